package io.memoflow.cache;

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

  /** Usage: {@code write|retrace|loop|hold <dir> [from] [count]}. */
  public static void main(String[] args) throws Exception {
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
          for (int batch = 0; ; batch++) {
            try (Session s = storage.session()) {
              for (int i = 0; i < 50; i++) {
                INC.call(batch * 50 + i);
              }
            }
            System.out.println("committed " + batch);
            System.out.flush();
          }
        }
        case "hold" -> {
          System.out.println("open");
          System.out.flush();
          System.in.read();
        }
        default -> throw new IllegalArgumentException(cmd);
      }
    } catch (StorageException e) {
      System.out.println("error: " + e.getMessage());
    }
    System.out.flush();
  }
}
