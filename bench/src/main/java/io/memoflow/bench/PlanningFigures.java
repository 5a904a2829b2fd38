package io.memoflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memoflow.matrix.MatrixExamples;
import io.memoflow.inplace.InplaceComposites;
import io.memoflow.inplace.InplaceFigures;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Issue 7: planning time with {@link InplaceBenchmark} (target: under 100 ms at 10,000
 * computations), and the memory figures of {@link InplaceFigures} (the inplace test-jar) over
 * random composites of 1-200 computations: peak against the max-live bound, copies against the
 * rule "copy unless the destroyer is the only reader", and the Kalman and regression examples
 * against one buffer per value.
 */
final class PlanningFigures implements FigureGroup {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String prefix() {
    return "inplace.";
  }

  @Override
  public void measure(ReportOptions o, Consumer<Figure> out) throws Exception {
    // Warm-up: the planner's code is only fully compiled after about ten plans of 10,000 on a
    // loaded machine (the first take about 1.5x the settled time), so each size is planned
    // until about 100,000 computations have gone through before timing. And the young
    // generation is cycled once first: a plan of 10,000 allocates about 40 MB, and on a fresh
    // heap every new page costs the thread a page fault (about 30 ms of system time per plan
    // of 10,000), which a running process -- or -XX:+AlwaysPreTouch -- does not pay.
    if (o.wantsAny("inplace.plan")) {
      cycleYoungGeneration();
    }
    double at10k = Double.NaN;
    for (int n : o.wantsAny("inplace.plan") ? new int[] {1_000, 10_000, 100_000} : new int[0]) {
      InplaceBenchmark bench = new InplaceBenchmark();
      bench.computations = n;
      bench.setUp();
      int warmups = n == 100_000 ? o.pick(1, 2) : 100_000 / n;
      int reps = n == 100_000 ? o.pick(2, 5) : o.pick(5, 15);
      Measure.Sample s = Measure.best(warmups, reps, () -> Measure.keep(bench.plan()));
      double ms = s.costNanos() / 1e6;
      Figure f = Figure.of("inplace.plan", ms, "ms", n).with("wallMs", s.wallNanos() / 1e6);
      if (n == 10_000) {
        at10k = ms;
        out.accept(f.target("< 100 ms", ms < 100));
      } else if (n == 100_000) {
        out.accept(f.target("reference (target at 10000)", null).with("perComputationVs10k", ms / 10 / at10k));
      } else {
        out.accept(f.target("reference (target at 10000)", null));
      }
    }

    int cases = o.pick(150, 1000);
    for (InplaceComposites.Overwrites ow : o.wantsAny("inplace.peak.", "inplace.copies.")
        ? InplaceComposites.Overwrites.values() : new InplaceComposites.Overwrites[0]) {
      String tag = ow.name().toLowerCase(Locale.ROOT);
      // Seeds as in InplaceFigures.main: 1 + the sizes' ordinal.
      InplaceFigures.Figures equal =
          InplaceFigures.measure(InplaceComposites.Sizes.EQUAL, ow, cases, 200, 1);
      InplaceFigures.Figures mixed =
          InplaceFigures.measure(InplaceComposites.Sizes.MIXED, ow, cases, 200, 2);
      double atBound = 100.0 * equal.casesAtBound() / equal.cases();
      out.accept(Figure.of("inplace.peak.equal." + tag, atBound, "% of cases at the max-live bound", cases)
          .target("100% (peak = max-live bound in every case)", equal.casesAtBound() == equal.cases())
          .with("maxOverBoundPct", 100 * equal.maxOverBound()));
      double mean = 100 * mixed.meanOverBound();
      out.accept(Figure.of("inplace.peak.mixed." + tag + ".mean", mean, "% over the max-live bound", cases)
          .target("<= 2%", mean <= 2)
          .with("meanOverWholeBufferBoundPct", 100 * mixed.meanOverWholeBound()));
      double p99 = 100 * mixed.p99OverBound();
      out.accept(Figure.of("inplace.peak.mixed." + tag + ".p99", p99, "% over the max-live bound", cases)
          .target("<= 10%", p99 <= 10)
          .with("p99OverWholeBufferBoundPct", 100 * mixed.p99OverWholeBound()));
      long copies = equal.copies() + mixed.copies();
      long rule = equal.ruleCopies() + mixed.ruleCopies();
      long unavoidable = equal.unavoidableCopies() + mixed.unavoidableCopies();
      double ratio = rule == 0 ? 0 : (double) copies / rule;
      // Beside the ratio of all copies: the ratio of the avoidable ones (copies beyond those
      // every safe plan makes: protected or twice-read operands, all but one destroyer of a value).
      double avoidable = rule == unavoidable ? 0 : (double) (copies - unavoidable) / (rule - unavoidable);
      out.accept(Figure.of("inplace.copies." + tag, ratio, "x the sole-reader rule's copies", 2 * cases)
          .target("<= 0.5x", ratio <= 0.5).with("copies", copies).with("soleReaderRuleCopies", rule)
          .with("unavoidableCopies", unavoidable).with("avoidableCopyRatio", avoidable));
    }

    for (MatrixExamples.Example e : new MatrixExamples.Example[] {
        MatrixExamples.kalman(100, 20), MatrixExamples.linearRegression(2000, 200)}) {
      for (boolean donate : new boolean[] {false, true}) {
        JsonNode line = JSON.readTree(InplaceFigures.example(e, donate, false));
        long peak = line.get("peakBytes").asLong();
        long one = line.get("oneBufferPerValueBytes").asLong();
        String name = "inplace.example." + e.name() + (donate ? ".donated" : "");
        out.accept(Figure.of(name, peak, "bytes peak", line.get("computations").asInt())
            .target("report against one buffer per value", null)
            .with("oneBufferPerValueBytes", one).with("maxLiveBytes", line.get("maxLiveBytes").asLong())
            .with("savedPct", line.get("savedPct").asDouble()).with("copies", line.get("copies").asLong()));
      }
    }
  }

  /**
   * Allocates short-lived garbage until a young collection has run (at most 16 GB), so that the
   * pages of the young generation are mapped before anything is timed.
   */
  private static void cycleYoungGeneration() {
    long before = collections();
    for (long allocated = 0; collections() == before && allocated < (16L << 30); allocated += 1 << 20) {
      Measure.keep(new byte[1 << 20]);
    }
  }

  private static long collections() {
    long n = 0;
    for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }
}
