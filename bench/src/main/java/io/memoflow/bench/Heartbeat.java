package io.memoflow.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Says on standard error, every few seconds, what the report is still measuring and for how
 * long, so a group that takes a minute does not look like a hang. Plain lines (no carriage
 * returns), so a log file reads as well as a terminal.
 */
final class Heartbeat {
  private final PrintWriter err;
  private final long reportStart;
  private final ScheduledExecutorService timer;
  private volatile String what;
  private volatile long since;

  Heartbeat(PrintWriter err, long reportStart, long periodSeconds) {
    this.err = err;
    this.reportStart = reportStart;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "memoflow-bench-heartbeat");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::beat, periodSeconds, periodSeconds, TimeUnit.SECONDS);
  }

  /** Marks the start of measuring {@code what}. */
  void measuring(String what) {
    this.since = System.nanoTime();
    this.what = what;
  }

  void stop() {
    timer.shutdownNow();
  }

  private void beat() {
    String w = what;
    if (w != null) {
      synchronized (err) {
        err.printf(Locale.ROOT, "memoflow bench: [%s] still measuring %s, %s on it%n",
            clock(reportStart), w, clock(since));
        err.flush();
      }
    }
  }

  /** Returns the time since {@code start} as {@code m:ss}. */
  static String clock(long start) {
    long s = (System.nanoTime() - start) / 1_000_000_000L;
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
