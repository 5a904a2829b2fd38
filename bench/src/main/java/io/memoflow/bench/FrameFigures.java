package io.memoflow.bench;

import java.util.function.Consumer;

/**
 * Issue 5, with {@link FrameBenchmark}'s store and measured method: for stored calls of the
 * two-op pipeline {@code dbl(inc(x))} in memory, create the frame of {@code inc}, grow it to the
 * full graph and evaluate the table (target: under 1 s total at 100,000 calls, linear in calls).
 * {@link Report} finds this class by name ({@link Report#FRAME_FIGURES}).
 */
public final class FrameFigures implements FigureGroup {
  static final int SMALL = 10_000;
  static final int LARGE = 100_000;

  /** Creates the group; measuring happens in {@link #measure}. */
  public FrameFigures() {}

  @Override
  public String prefix() {
    return "frame.";
  }

  @Override
  public void measure(ReportOptions o, Consumer<Figure> out) throws Exception {
    double smallNs = 0;
    for (int calls : new int[] {SMALL, LARGE}) {
      FrameBenchmark bench = new FrameBenchmark();
      bench.calls = calls;
      bench.backend = "memory";
      bench.fill();
      try {
        Measure.Sample s = calls == SMALL
            ? Measure.best(o.pick(10, 30), o.pick(5, 15), () -> Measure.keep(bench.createGrowEvaluate()))
            : Measure.best(o.pick(1, 3), o.pick(3, 10), () -> Measure.keep(bench.createGrowEvaluate()));
        double ms = s.costNanos() / 1e6;
        double ns = (double) s.costNanos() / calls;
        Figure f = Figure.of("frame.pipeline", ms, "ms", calls).with("nsPerCall", ns)
            .with("gcMs", s.gcNanos() / 1e6).with("wallMs", s.wallNanos() / 1e6);
        if (calls == SMALL) {
          smallNs = ns;
          out.accept(f.target("reference for frame.growth", null));
        } else {
          out.accept(f.target("< 1000 ms total (create, grow and evaluate a frame of a two-op pipeline)", ms < 1000));
          out.accept(Figure.of("frame.growth", ns / smallNs, "x", calls)
              .target("< 2x the per-call cost at " + SMALL + " (linear)", ns / smallNs < 2));
        }
      } finally {
        bench.close();
      }
    }
  }
}
