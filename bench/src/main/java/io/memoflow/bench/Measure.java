package io.memoflow.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The measuring code the reports share ({@link Report}, {@link CacheReport}, {@link
 * EngineCpuTime}): the calling thread's CPU time, garbage-collection pauses, wall time, and
 * bytes a directory takes on disk.
 *
 * <p>On a shared, loaded machine the calling thread's CPU time shows what the code costs, while
 * wall time also shows how long it waited for a core. Work done by collector threads is not in
 * the thread's CPU time, so {@link Sample#costNanos()} adds the collectors' accumulated pause
 * time.
 */
final class Measure {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  private static volatile Object sink;

  private Measure() {}

  /** Wall time, the calling thread's CPU time and collection time of one timed run, in ns. */
  record Sample(long wallNanos, long cpuNanos, long gcNanos) {
    /** The run's cost: the thread's CPU time plus the collectors' time while it ran. */
    long costNanos() {
      return cpuNanos + gcNanos;
    }
  }

  /** Work to time; may throw. */
  @FunctionalInterface
  interface Work {
    void run() throws Exception;
  }

  /** Returns the calling thread's CPU time in nanoseconds. */
  static long cpuNanos() {
    return MX.getCurrentThreadCpuTime();
  }

  /** Returns the collectors' accumulated collection time in nanoseconds (ms resolution). */
  static long gcNanos() {
    long ms = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ms += Math.max(0, gc.getCollectionTime());
    }
    return ms * 1_000_000;
  }

  /** Runs {@code work} once and returns what it took. */
  static Sample timed(Work work) {
    long g = gcNanos();
    long w = System.nanoTime();
    long c = cpuNanos();
    try {
      work.run();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("measured work failed: " + e, e);
    }
    long cpu = cpuNanos() - c;
    long wall = System.nanoTime() - w;
    return new Sample(wall, cpu, gcNanos() - g);
  }

  /**
   * Runs {@code work} {@code warmups} times unmeasured, then {@code reps} times measured, and
   * returns the cheapest measured run (the one least disturbed by the rest of the machine).
   */
  static Sample best(int warmups, int reps, Work work) {
    for (int i = 0; i < warmups; i++) {
      timed(work);
    }
    Sample best = null;
    for (int i = 0; i < Math.max(1, reps); i++) {
      Sample s = timed(work);
      if (best == null || s.costNanos() < best.costNanos()) {
        best = s;
      }
    }
    return best;
  }

  /** Like {@link #best(int, int, Work)} for trials that set up before timing: each returns its own sample. */
  static Sample bestTrial(int warmups, int reps, java.util.concurrent.Callable<Sample> trial) throws Exception {
    for (int i = 0; i < warmups; i++) {
      trial.call();
    }
    Sample best = null;
    for (int i = 0; i < Math.max(1, reps); i++) {
      Sample s = trial.call();
      if (best == null || s.costNanos() < best.costNanos()) {
        best = s;
      }
    }
    return best;
  }

  /** Keeps a result reachable so the compiler cannot drop the work that made it. */
  static void keep(Object result) {
    sink = result;
  }

  /** Allocated bytes under {@code dir} (not apparent sizes: Chronicle files are sparse), via {@code du}. */
  static long diskBytes(Path dir) throws IOException {
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
}
