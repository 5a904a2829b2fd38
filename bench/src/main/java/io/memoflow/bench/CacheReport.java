package io.memoflow.bench;

import io.memoflow.cache.Op;
import io.memoflow.cache.Session;
import io.memoflow.cache.SessionMode;
import io.memoflow.cache.Storage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A quick report of {@link CacheBenchmark}'s figures as JSON lines, measured in both wall
 * time and the thread's CPU time (on a shared, loaded machine CPU time shows the cost of the
 * code, wall time what a user waits), plus bytes on disk per call. {@code retraceHitLabelled}
 * is {@code retraceHit} for the same op with an explicit version label, so the difference is
 * what code versioning adds to a retrace; both are the fastest of {@value #ROUNDS} rounds over
 * every stored call. Not a JMH benchmark: one
 * pass after a warm-up pass; use {@code CacheBenchmark} for rigorous numbers.
 *
 * <pre>
 * java $JVM_OPTIONS -cp bench/target/benchmarks.jar io.memoflow.bench.CacheReport [maxCalls]
 * </pre>
 */
public final class CacheReport {
  /** The op {@link CacheBenchmark#fill} stores (one instance: a code-versioned lambda elsewhere is another op). */
  private static final Op INC = CacheBenchmark.INC;
  /** The same op with an explicit label: its retrace is the figure without code versioning. */
  private static final Op LABELLED = Op.builder("inc").version("1").inputs("x0")
      .function(a -> (Integer) a[0] + 1).build();
  private static final int ROUNDS = 5;
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  private CacheReport() {}

  /** Runs the report; the optional argument caps the largest store (default 1,000,000). */
  public static void main(String[] args) throws IOException {
    int max = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path tmp = Files.createTempDirectory("memoflow-report");
    try {
      for (int pass = 0; pass < 2; pass++) {
        boolean print = pass == 1;
        for (int size : new int[] {10_000, 100_000, 1_000_000}) {
          if (size > max || (!print && size > 10_000)) {
            continue;
          }
          inMemory(size, print);
          persistent(tmp.resolve("p" + pass + "-" + size), size, print);
        }
      }
    } finally {
      CacheBenchmark.deleteTree(tmp);
    }
  }

  private static void inMemory(int size, boolean print) {
    try (Storage storage = Storage.inMemory()) {
      long[] t = timed(() -> CacheBenchmark.fill(storage, size));
      emit(print, "newCallInMemory", size, t, size);
      emit(print, "retraceHit", size, retraces(storage, INC, size), size);
    }
    try (Storage storage = Storage.inMemory()) {
      try (Session s = storage.session()) {
        for (int i = 0; i < size; i++) {
          LABELLED.call(i);
        }
      }
      emit(print, "retraceHitLabelled", size, retraces(storage, LABELLED, size), size);
    }
  }

  private static void persistent(Path dir, int size, boolean print) throws IOException {
    try (Storage storage = Storage.open(dir)) {
      long[] t = timed(() -> CacheBenchmark.fill(storage, size));
      emit(print, "newCallPersistent(batch=10000)", size, t, size);
    }
    long[] o = timed(() -> {
      try (Storage storage = Storage.open(dir);
          Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
        INC.call(size - 1).value();
      }
    });
    emit(print, "reopenAndRetraceOne", size, o, 1);
    if (print) {
      long bytes = diskBytes(dir);
      System.out.printf(Locale.ROOT,
          "{\"figure\":\"bytesOnDiskPerCall\",\"calls\":%d,\"bytes\":%d,\"perCall\":%.1f}%n",
          size, bytes, (double) bytes / size);
    }
  }

  /** Allocated bytes (not apparent sizes: Chronicle files are sparse), via {@code du}. */
  private static long diskBytes(Path dir) throws IOException {
    Process p = new ProcessBuilder("du", "-sk", dir.toString()).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    try {
      return Long.parseLong(out.split("\\s+")[0]) * 1024;
    } catch (NumberFormatException e) {
      try (Stream<Path> s = Files.walk(dir)) {
        return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
      }
    }
  }

  /**
   * Retraces {@code op(0 .. size-1)} in {@value #ROUNDS} rounds and returns the round with the
   * least CPU time: on a shared machine, other processes only ever add to a round's time.
   */
  private static long[] retraces(Storage storage, Op op, int size) {
    long[] best = null;
    for (int round = 0; round < ROUNDS; round++) {
      long[] r = timed(() -> {
        try (Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
          for (int i = 0; i < size; i++) {
            op.call(i);
          }
        }
      });
      if (best == null || r[1] < best[1]) {
        best = r;
      }
    }
    return best;
  }

  private static long[] timed(Runnable r) {
    long w = System.nanoTime();
    long c = MX.getCurrentThreadCpuTime();
    r.run();
    return new long[] {System.nanoTime() - w, MX.getCurrentThreadCpuTime() - c};
  }

  private static void emit(boolean print, String figure, int size, long[] t, long ops) {
    if (print) {
      System.out.printf(Locale.ROOT,
          "{\"figure\":\"%s\",\"calls\":%d,\"wallUsPerOp\":%.2f,\"cpuUsPerOp\":%.2f}%n",
          figure, size, t[0] / 1e3 / ops, t[1] / 1e3 / ops);
    }
  }
}
