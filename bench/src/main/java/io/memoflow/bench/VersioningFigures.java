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
}
