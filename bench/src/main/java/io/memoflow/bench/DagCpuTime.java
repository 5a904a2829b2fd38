package io.memoflow.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * The figures of {@link DagBenchmark#build()} as CPU time of the building thread rather than
 * wall time, with the bytes that thread allocated and the collectors' time: on a shared machine
 * other processes stretch wall time far more than they stretch a thread's CPU time. Prints one
 * JSON line per size and shape with the median of the measured rounds (after warm-up rounds).
 * GC threads' CPU time is not the building thread's, so the collectors' wall time (from the
 * collector beans, averaged over the measured rounds, since most rounds collect nothing) is
 * reported beside it.
 *
 * <p>Run with (same collector and heap as the JMH fork):
 *
 * <pre>{@code
 * mvn -B -q -pl bench -am package -DskipTests
 * java -Xms4g -Xmx4g -XX:+UseParallelGC -cp bench/target/benchmarks.jar io.memoflow.bench.DagCpuTime
 * }</pre>
 *
 * Optional arguments: sizes, shapes, then what to measure, e.g. {@code 10000,100000,1000000
 * uniform,local build} (the default); the last is {@code build}, {@code buildBatched}, {@code
 * bulk} or {@code bulkConstruct} ({@link DagBenchmark#buildBatched()}, {@link
 * DagBenchmark#bulk()}, {@link DagBenchmark#bulkConstruct()}).
 */
public final class DagCpuTime {
  private DagCpuTime() {}

  /** Runs each size and shape; see the class documentation. */
  public static void main(String[] args) {
    String[] sizes = (args.length > 0 ? args[0] : "10000,100000,1000000").split(",");
    String[] shapes = (args.length > 1 ? args[1] : "uniform,local").split(",");
    String method = args.length > 2 ? args[2] : "build";
    java.util.function.Function<DagBenchmark, Object> work = switch (method) {
      case "build" -> DagBenchmark::build;
      case "buildBatched" -> DagBenchmark::buildBatched;
      case "bulk" -> DagBenchmark::bulk;
      case "bulkConstruct" -> DagBenchmark::bulkConstruct;
      default -> throw new IllegalArgumentException(
          "Unknown measurement '" + method + "': use build, buildBatched, bulk or bulkConstruct.");
    };
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (String shape : shapes) { // warm-up: compile the builder with both shapes' profiles
      DagBenchmark w = new DagBenchmark();
      w.size = 10_000;
      w.shape = shape;
      w.setUp();
      for (int r = 0; r < 100; r++) {
        work.apply(w);
      }
    }
    for (String shape : shapes) {
      for (String sizeText : sizes) {
        DagBenchmark b = new DagBenchmark();
        b.size = Integer.parseInt(sizeText);
        b.shape = shape;
        b.setUp();
        int rounds = Math.max(7, Math.min(200, 20_000_000 / b.size));
        int warm = rounds / 2;
        double[] cpuNs = new double[rounds - warm];
        double[] gcMs = new double[rounds - warm];
        double[] bytes = new double[rounds - warm];
        long tid = Thread.currentThread().getId();
        for (int r = 0; r < rounds; r++) {
          long g0 = gcTime();
          long a0 = threads.getThreadAllocatedBytes(tid);
          long c0 = threads.getCurrentThreadCpuTime();
          Object g = work.apply(b);
          long c1 = threads.getCurrentThreadCpuTime();
          long a1 = threads.getThreadAllocatedBytes(tid);
          long g1 = gcTime();
          if (g == null) {
            throw new AssertionError();
          }
          if (r >= warm) {
            cpuNs[r - warm] = (c1 - c0) / (double) b.size;
            gcMs[r - warm] = g1 - g0;
            bytes[r - warm] = (a1 - a0) / (double) b.size;
          }
        }
        System.out.printf(Locale.ROOT,
            "{\"method\": \"%s\", \"shape\": \"%s\", \"size\": %d, \"rounds\": %d, \"cpuNsPerComputation\": %.0f,"
                + " \"minCpuNsPerComputation\": %.0f, \"meanGcNsPerComputation\": %.0f,"
                + " \"allocatedBytesPerComputation\": %.0f}%n",
            method, shape, b.size, rounds - warm, median(cpuNs), Arrays.stream(cpuNs).min().getAsDouble(),
            Arrays.stream(gcMs).average().getAsDouble() * 1e6 / b.size, median(bytes));
      }
    }
  }

  private static long gcTime() {
    long t = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      t += Math.max(0, gc.getCollectionTime());
    }
    return t;
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
