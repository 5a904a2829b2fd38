package io.memoflow.cache;

import io.memoflow.cache.spi.StorageException;
import java.nio.file.Path;

/**
 * The second process of {@link CrossProcessTest}: opens a store and writes or reads
 * {@code inc} calls, reporting progress on stdout. Not a test.
 */
public final class StoreWorker {
  private StoreWorker() {}

  // Same op as CrossProcessTest's counting lambda: the explicit label says so ([versioning]).
  static final Op INC = Op.builder("inc").version("1").inputs("x0")
      .function(a -> (Integer) a[0] + 1).build();

  /**
   * Usage: {@code write|retrace|loop|serve <dir> [from] [count]}. {@code serve} keeps the store
   * open and answers one command per stdin line: {@code write FROM COUNT} or {@code retrace FROM
   * COUNT} (both print how many executed), {@code delete X} (deletes the stored {@code inc(X)}),
   * {@code calls} (prints how many {@code inc} calls provenance lists), {@code quit}.
   */
  public static void main(String[] args) throws Exception {
    mainIn(args);
    System.out.flush();
  }

  private static void serve(Storage storage) throws java.io.IOException {
    System.out.println("open");
    System.out.flush();
    java.io.BufferedReader in = new java.io.BufferedReader(
        new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
      String[] w = line.split(" ");
      switch (w[0]) {
        case "write", "retrace" -> {
          int from = Integer.parseInt(w[1]);
          int count = Integer.parseInt(w[2]);
          int executed = 0;
          try (Session s = storage.session()) {
            for (int i = from; i < from + count; i++) {
              if (s.callPositional(INC, i).source() == CallResult.Source.EXECUTED) {
                executed++;
              }
            }
          }
          System.out.println((w[0].equals("write") ? "written " : "executed ") + executed);
        }
        case "delete" -> {
          Call c;
          try (Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
            c = INC.invoke(Integer.parseInt(w[1]));
          }
          System.out.println("deleted " + storage.delete(c, true));
        }
        case "calls" -> System.out.println("calls " + storage.calls("inc").size());
        default -> System.out.println("unknown " + line);
      }
      System.out.flush();
    }
  }

  private static void mainIn(String[] args) throws Exception {
    String cmd = args[0];
    Path dir = Path.of(args[1]);
    int from = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    int count = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    try (Storage storage = Storage.open(dir)) {
      switch (cmd) {
        case "write" -> {
          try (Session s = storage.session()) {
            for (int i = from; i < from + count; i++) {
              INC.call(i);
            }
          }
          System.out.println("written " + count);
        }
        case "retrace" -> {
          int executed = 0;
          try (Session s = storage.session()) {
            for (int i = from; i < from + count; i++) {
              if (s.callPositional(INC, i).source() == CallResult.Source.EXECUTED) {
                executed++;
              }
            }
          }
          System.out.println("executed " + executed);
        }
        case "loop" -> {
          // from > 0: pause that many ms after each commit (a kill then lands between commits).
          for (int batch = 0; ; batch++) {
            try (Session s = storage.session()) {
              for (int i = 0; i < 50; i++) {
                INC.call(batch * 50 + i);
              }
            }
            System.out.println("committed " + batch);
            System.out.flush();
            if (from > 0) {
              Thread.sleep(from);
            }
          }
        }
        case "serve" -> serve(storage);
        default -> throw new IllegalArgumentException(cmd);
      }
    } catch (StorageException e) {
      System.out.println("error: " + e.getMessage());
    }
  }
}
