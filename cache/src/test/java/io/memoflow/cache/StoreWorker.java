package io.memoflow.cache;

import io.memoflow.cache.spi.StorageException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The second process of {@link CrossProcessTest}: opens a store and writes or reads
 * {@code inc} calls, reporting progress on stdout. Not a test.
 */
public final class StoreWorker {

  /**
   * Starts a worker JVM running {@code args} on this JVM's class path, with this JVM's
   * {@code --add-*}, {@code -D} and {@code -Xmx} options (none when {@code inheritOptions} is
   * false, as a user who forgot jvm.options would run it) and then {@code extraOptions}.
   */
  static Process start(boolean inheritOptions, List<String> extraOptions, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (inheritOptions) {
      for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (a.startsWith("--add-") || a.startsWith("-D") || a.startsWith("-Xmx")) {
          cmd.add(a);
        }
      }
    }
    cmd.addAll(extraOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), StoreWorker.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }
  private StoreWorker() {}

  // Same op as CrossProcessTest's counting lambda: the explicit label says so ([versioning]).
  static final Op INC = Op.builder("inc").version("1").inputs("x0")
      .function(a -> (Integer) a[0] + 1).build();

  /** How many calls of SLOW have started in this process. */
  static final AtomicInteger SLOW_RUNNING = new AtomicInteger();

  /** An expensive step: 2 ms per point, or forever for a negative point (a holder that hangs). */
  static final Op SLOW = Op.builder("slow").version("1").inputs("x")
      .function(a -> {
        int x = (Integer) a[0];
        SLOW_RUNNING.incrementAndGet();
        try {
          Thread.sleep(x < 0 ? Long.MAX_VALUE : 2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
        return x * 2;
      }).build();

  /** SLOW as the process taking over a hanging call runs it: the same op (its label says so), quick. */
  static final Op SLOW_TAKEOVER = Op.builder("slow").version("1").inputs("x")
      .function(a -> (Integer) a[0] * 2).build();

  /** The options of this worker's storage: a claim lease from -Dmemoflow.test.leaseMillis. */
  static StorageOptions options() {
    long lease = Long.getLong("memoflow.test.leaseMillis", 10_000);
    return StorageOptions.defaults().claimLease(java.time.Duration.ofMillis(lease));
  }

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
        case "hang" -> {
          // Claims slow(X) and never returns: the caller kills or stops this process.
          Thread t = new Thread(() -> {
            try (Session s = storage.session()) {
              SLOW.call(Integer.parseInt(w[1]));
            } catch (RuntimeException e) {
              // killed or closed
            }
          });
          t.setDaemon(true);
          t.start();
          while (SLOW_RUNNING.get() == 0 && t.isAlive()) {
            Thread.onSpinWait();
          }
          System.out.println("executed hanging");
        }
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
    try (Storage storage = Storage.open(dir, options())) {
      switch (cmd) {
        case "sweep" -> {
          // The points 0..from-1 in an order of its own (seed = count), all in one session.
          List<Integer> points = new java.util.ArrayList<>();
          for (int i = 0; i < from; i++) {
            points.add(i);
          }
          java.util.Collections.shuffle(points, new java.util.Random(count));
          int executed = 0;
          try (Session s = storage.session()) {
            for (int x : points) {
              if (s.callPositional(SLOW, x).source() == CallResult.Source.EXECUTED) {
                executed++;
              }
            }
          }
          System.out.println("executed " + executed);
        }
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
