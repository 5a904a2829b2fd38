package io.memoflow.bench;

import java.util.function.Consumer;

/**
 * Issue 6, with {@link VersioningBenchmark}'s states: the first code version of an op (paid once
 * per op per process), asking for it again (cached), and a retrace hit of an op versioned by its
 * code against the same op with an explicit label (target: within 10%).
 */
final class VersioningFigures implements FigureGroup {
  static final int STORED = 10_000;

  @Override
  public String prefix() {
    return "versioning.";
  }

  @Override
  public void measure(ReportOptions o, Consumer<Figure> out) throws Exception {
    VersioningBenchmark bench = new VersioningBenchmark();
    VersioningBenchmark.Fresh fresh = new VersioningBenchmark.Fresh();
    fresh.ops = "CHAIN";
    int warm = o.pick(30, 100);
    int reps = o.pick(15, 50);
    Measure.Sample first = Measure.best(warm, reps, () -> Measure.keep(bench.firstVersion(fresh)));
    Measure.Sample load = Measure.best(warm, reps, () -> Measure.keep(bench.loadOnly(fresh)));
    double firstUs = Math.max(0, first.costNanos() - load.costNanos()) / 1e3;
    out.accept(Figure.of("versioning.firstVersion", firstUs, "us", 11)
        .target("paid once per op per process (see versioning.cachedVersion)", null)
        .with("methods", 11).with("withClassLoadingUs", first.costNanos() / 1e3));

    VersioningBenchmark.Seen seen = new VersioningBenchmark.Seen();
    seen.setUp();
    int calls = 1_000_000;
    Measure.Sample cached = Measure.best(2, o.pick(3, 10), () -> {
      for (int i = 0; i < calls; i++) {
        Measure.keep(bench.cachedOpVersion(seen));
      }
    });
    double cachedNs = (double) cached.costNanos() / calls;
    out.accept(Figure.of("versioning.cachedVersion", cachedNs, "ns/call", 11)
        .target("cached: < 1% of versioning.firstVersion", cachedNs < firstUs * 1e3 / 100)
        .with("firstVersionUs", firstUs));

    trackingCost(o, out);

    VersioningBenchmark.Stored st = new VersioningBenchmark.Stored();
    st.size = STORED;
    st.fill();
    st.open();
    try {
      Measure.Sample versioned = null;
      Measure.Sample labelled = null;
      int rounds = o.pick(10, 30);
      for (int i = 0; i < rounds + 3; i++) { // alternate; three warm-up rounds
        Measure.Sample v = Measure.timed(() -> {
          for (int k = 0; k < STORED; k++) {
            Measure.keep(bench.retraceCodeVersioned(st));
          }
        });
        Measure.Sample l = Measure.timed(() -> {
          for (int k = 0; k < STORED; k++) {
            Measure.keep(bench.retraceLabelled(st));
          }
        });
        if (i >= 3) {
          versioned = versioned == null || v.costNanos() < versioned.costNanos() ? v : versioned;
          labelled = labelled == null || l.costNanos() < labelled.costNanos() ? l : labelled;
        }
      }
      double overhead = 100.0 * ((double) versioned.costNanos() / labelled.costNanos() - 1);
      out.accept(Figure.of("versioning.retraceOverhead", overhead, "%", STORED)
          .target("<= 10% over a retrace hit of an op with an explicit version label", overhead <= 10)
          .with("versionedUsPerCall", versioned.costNanos() / 1e3 / STORED)
          .with("labelledUsPerCall", labelled.costNanos() / 1e3 / STORED));
    } finally {
      st.closeSession();
      st.close();
    }
  }

  /**
   * What dynamic dependency tracking costs per call: new calls and retraces of an op that calls a
   * model through its tracked view against the same op calling it directly (in-memory storage,
   * 10,000 calls a round, rounds alternated, the cheapest of each kept).
   */
  private static void trackingCost(ReportOptions o, Consumer<Figure> out) {
    int n = 10_000;
    io.memoflow.cache.Op[] ops = {TrackedModels.VIA_TRACKED, TrackedModels.VIA_PLAIN, TrackedModels.VIA_HELPER};
    long[] best = new long[2 * ops.length];   // new calls, then retraces, per op
    java.util.Arrays.fill(best, Long.MAX_VALUE);
    for (int round = 0; round < o.pick(8, 20) + 3; round++) {
      for (int which = 0; which < ops.length; which++) {
        io.memoflow.cache.Op op = ops[which];
        try (io.memoflow.cache.Storage storage = io.memoflow.cache.Storage.inMemory();
             io.memoflow.cache.Session s = storage.session()) {
          Measure.Sample executed = Measure.timed(() -> {
            for (int x = 0; x < n; x++) {
              Measure.keep(op.call(x));
            }
          });
          Measure.Sample retraced = Measure.timed(() -> {
            for (int x = 0; x < n; x++) {
              Measure.keep(op.call(x));
            }
          });
          if (round >= 3) { // three warm-up rounds
            best[which] = Math.min(best[which], executed.costNanos());
            best[ops.length + which] = Math.min(best[ops.length + which], retraced.costNanos());
          }
        }
      }
    }
    double newNs = (double) (best[0] - best[1]) / n;
    double retraceNs = (double) (best[3] - best[4]) / n;
    out.accept(Figure.of("versioning.trackingPerNewCall", newNs, "ns/call", n)
        .target("reported: a tracked view's call recorded with an executing call", null)
        .with("trackedUs", best[0] / 1e3 / n).with("plainUs", best[1] / 1e3 / n)
        .with("trackedHelperUs", best[2] / 1e3 / n));
    out.accept(Figure.of("versioning.trackingPerRetrace", retraceNs, "ns/call", n)
        .target("reported: a retrace of a call that ran a tracked dependency", null)
        .with("trackedUs", best[3] / 1e3 / n).with("plainUs", best[4] / 1e3 / n)
        .with("trackedHelperUs", best[5] / 1e3 / n));
  }
}
