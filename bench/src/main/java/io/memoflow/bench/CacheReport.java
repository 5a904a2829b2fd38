package io.memoflow.bench;

import io.memoflow.cache.Op;
import io.memoflow.cache.Session;
import io.memoflow.cache.SessionMode;
import io.memoflow.cache.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A quick report of {@link CacheBenchmark}'s figures as JSON lines, measured in both wall
 * time and the thread's CPU time (on a shared, loaded machine CPU time shows the cost of the
 * code, wall time what a user waits), plus bytes on disk per call. {@code retraceHitLabelled} is
 * {@code retraceHit} for the same op with a version label, so the two differ by what code
 * versioning adds to a retrace. Not a JMH benchmark: one
 * pass after a warm-up pass; use {@code CacheBenchmark} for rigorous numbers, and {@link Report}
 * for every headline figure with its target.
 *
 * <pre>
 * java $JVM_OPTIONS -cp bench/target/benchmarks.jar io.memoflow.bench.CacheReport [maxCalls]
 * </pre>
 */
public final class CacheReport {
  /** {@code inc} with an explicit label: its retrace is {@code retraceHit} without code versioning. */
  private static final Op LABELLED = Op.builder("inc").version("1").inputs("x0")
      .function(a -> (Integer) a[0] + 1).build();

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
      Measure.Sample t = Measure.timed(() -> CacheBenchmark.fill(storage, size));
      emit(print, "newCallInMemory", size, t, size);
      Measure.Sample r = Measure.timed(() -> CacheBenchmark.retrace(storage, size, 3));
      emit(print, "retraceHit", size, r, 3L * size);
    }
    try (Storage storage = Storage.inMemory()) {
      Runnable calls = () -> {
        for (int i = 0; i < size; i++) {
          LABELLED.call(i);
        }
      };
      try (Session s = storage.session()) {
        calls.run();
      }
      Measure.Sample r = Measure.timed(() -> {
        try (Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
          for (int k = 0; k < 3; k++) {
            calls.run();
          }
        }
      });
      emit(print, "retraceHitLabelled", size, r, 3L * size);
    }
  }

  private static void persistent(Path dir, int size, boolean print) throws IOException {
    try (Storage storage = Storage.open(dir)) {
      Measure.Sample t = Measure.timed(() -> CacheBenchmark.fill(storage, size));
      emit(print, "newCallPersistent(batch=10000)", size, t, size);
    }
    Measure.Sample o = Measure.timed(() -> CacheBenchmark.reopenAndRetraceOne(dir, size));
    emit(print, "reopenAndRetraceOne", size, o, 1);
    if (print) {
      long bytes = Measure.diskBytes(dir);
      System.out.printf(Locale.ROOT,
          "{\"figure\":\"bytesOnDiskPerCall\",\"calls\":%d,\"bytes\":%d,\"perCall\":%.1f}%n",
          size, bytes, (double) bytes / size);
    }
  }

  private static void emit(boolean print, String figure, int size, Measure.Sample t, long ops) {
    if (print) {
      System.out.printf(Locale.ROOT,
          "{\"figure\":\"%s\",\"calls\":%d,\"wallUsPerOp\":%.2f,\"cpuUsPerOp\":%.2f}%n",
          figure, size, t.wallNanos() / 1e3 / ops, t.cpuNanos() / 1e3 / ops);
    }
  }
}
