package io.memoflow.bench;

import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import io.memoflow.cache.StorageOptions;
import io.memoflow.cache.frame.ComputationFrame;
import io.memoflow.cache.frame.FrameTable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The figure of {@link FrameBenchmark} as CPU time and allocation of one thread rather than
 * wall time: create the frame of {@code inc}, grow it to the full graph and evaluate the table,
 * over {@code calls} stored calls of {@code dbl(inc(x))}. Frames run on the calling thread, so
 * a loaded machine changes this much less than JMH's wall-clock times (GC threads are not
 * counted here; the allocation figure shows what they have to clean up). Prints one JSON line
 * per round; the first rounds include JIT warm-up.
 *
 * <p>Run (Chronicle Map's JVM options, needed for {@code disk}, from their argument file):
 * <pre>
 * java @cache/src/main/resources/META-INF/memoflow/jvm.options -Xmx4g -cp bench/target/benchmarks.jar io.memoflow.bench.FrameCpuTime \
 *     [rounds=8] [sizes=10000,100000] [backends=memory,disk]
 * </pre>
 */
public final class FrameCpuTime {
  private FrameCpuTime() {}

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Runs the rounds for every size and backend given (see the class comment). */
  public static void main(String[] args) throws IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    String[] sizes = (args.length > 1 ? args[1] : "10000,100000").split(",");
    String[] backends = (args.length > 2 ? args[2] : "memory,disk").split(",");
    for (String backend : backends) {
      for (String size : sizes) {
        run(backend, Integer.parseInt(size), rounds);
      }
    }
  }

  private static void run(String backend, int calls, int rounds) throws IOException {
    Path dir = backend.equals("disk") ? Files.createTempDirectory("frame-cpu") : null;
    try (Storage storage = dir != null
        ? Storage.open(dir, StorageOptions.defaults().initialEntries(4L * calls))
        : Storage.inMemory()) {
      fill(storage, calls);
      long tid = Thread.currentThread().getId();
      for (int round = 0; round < rounds; round++) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long alloc0 = THREADS.getThreadAllocatedBytes(tid);
        long wall0 = System.nanoTime();
        FrameTable t = ComputationFrame.of(storage, FrameBenchmark.INC).grow().toTable();
        long wall = System.nanoTime() - wall0;
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        long alloc = THREADS.getThreadAllocatedBytes(tid) - alloc0;
        if (t.size() != calls / 2) {
          throw new IllegalStateException("expected " + calls / 2 + " rows, got " + t.size());
        }
        System.out.printf("{\"backend\":\"%s\",\"calls\":%d,\"round\":%d,\"cpuMs\":%.1f,"
                + "\"wallMs\":%.1f,\"allocBytesPerCall\":%d}%n",
            backend, calls, round, cpu / 1e6, wall / 1e6, alloc / calls);
      }
    } finally {
      if (dir != null) {
        try (Stream<Path> s = Files.walk(dir)) {
          s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }
  }

  private static void fill(Storage storage, int calls) {
    int n = calls / 2;
    for (int start = 0; start < n; start += 10_000) {
      try (Session s = storage.session()) {
        for (int x = start; x < Math.min(n, start + 10_000); x++) {
          Ref<Integer> y = FrameBenchmark.INC.call(x);
          FrameBenchmark.DBL.call(y);
        }
      }
    }
  }
}
