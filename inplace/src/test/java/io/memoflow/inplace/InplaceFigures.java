package io.memoflow.inplace;

import java.util.Arrays;
import java.util.Locale;

/**
 * The headline figures of in-place planning over random composites: peak against the max-live
 * bound, copies against the rule "copy unless the destroyer is the only reader", and memory
 * against one buffer per value. Deterministic for given seeds.
 */
public final class InplaceFigures {
  private InplaceFigures() {}

  /**
   * Figures over {@code cases} random composites.
   *
   * @param cases composites planned
   * @param casesAtBound of them, how many have peak equal to the max-live bound
   * @param meanOverBound mean of (peak / bound - 1)
   * @param p99OverBound 99th percentile of (peak / bound - 1)
   * @param maxOverBound largest (peak / bound - 1)
   * @param copies copies the plans make, in total
   * @param ruleCopies copies the sole-reader rule makes, in total
   * @param peakBytes total peak bytes of the plans
   * @param oneBufferPerValueBytes total bytes of one buffer per value
   */
  public record Figures(int cases, int casesAtBound, double meanOverBound, double p99OverBound,
      double maxOverBound, long copies, long ruleCopies, long peakBytes, long oneBufferPerValueBytes) {

    /** Returns the figures as one JSON object. */
    public String toJson(String name) {
      return String.format(Locale.ROOT,
          "{\"figure\":\"%s\",\"cases\":%d,\"casesAtBound\":%d,\"meanOverBoundPct\":%.4f,"
              + "\"p99OverBoundPct\":%.4f,\"maxOverBoundPct\":%.4f,\"copies\":%d,"
              + "\"soleReaderRuleCopies\":%d,\"copyRatio\":%.4f,\"peakBytes\":%d,"
              + "\"oneBufferPerValueBytes\":%d}",
          name, cases, casesAtBound, 100 * meanOverBound, 100 * p99OverBound, 100 * maxOverBound,
          copies, ruleCopies, ruleCopies == 0 ? 0.0 : (double) copies / ruleCopies, peakBytes,
          oneBufferPerValueBytes);
    }
  }

  /** Plans {@code cases} symbolic composites of 1..{@code maxComputations} computations. */
  public static Figures measure(InplaceComposites.Sizes sizes, int cases, int maxComputations, long seed) {
    return measure(sizes, InplaceComposites.Overwrites.DENSE, cases, maxComputations, seed);
  }

  /** Plans {@code cases} symbolic composites of 1..{@code maxComputations} computations. */
  public static Figures measure(InplaceComposites.Sizes sizes, InplaceComposites.Overwrites overwrites,
      int cases, int maxComputations, long seed) {
    double[] over = new double[cases];
    int atBound = 0;
    long copies = 0;
    long rule = 0;
    long peak = 0;
    long one = 0;
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    for (int i = 0; i < cases; i++) {
      InplaceComposites.Scenario s =
          InplaceComposites.symbolic(rnd.nextLong(), 1 + rnd.nextInt(maxComputations), sizes, overwrites);
      BufferPlan plan = s.planner().plan(s.composite());
      over[i] = plan.maxLiveBytes() == 0 ? 0 : (double) plan.peakBytes() / plan.maxLiveBytes() - 1;
      if (plan.peakBytes() == plan.maxLiveBytes()) {
        atBound++;
      }
      copies += plan.copies();
      rule += plan.soleReaderRuleCopies();
      peak += plan.peakBytes();
      one += plan.oneBufferPerValueBytes();
    }
    double[] sorted = over.clone();
    Arrays.sort(sorted);
    double mean = Arrays.stream(over).average().orElse(0);
    double p99 = sorted[Math.min(cases - 1, (int) Math.ceil(0.99 * cases) - 1)];
    return new Figures(cases, atBound, mean, p99, sorted[cases - 1], copies, rule, peak, one);
  }

  /**
   * Returns a lower bound on the peak of any assignment of whole buffers for the plan's order,
   * tighter than the max-live bound: the i-th largest value live at any one step needs a buffer
   * of its own at least that large, so the i-th largest buffer is at least the largest i-th
   * largest live value over all steps; the bound is the sum over i.
   */
  public static long wholeBufferBound(BufferPlan plan) {
    java.util.List<io.memoflow.dag.Computation> order = plan.order();
    int m = order.size();
    java.util.Map<io.memoflow.dag.Expr, Integer> def = new java.util.HashMap<>();
    java.util.Map<io.memoflow.dag.Expr, Integer> end = new java.util.HashMap<>();
    io.memoflow.dag.CompositeComputation g = plan.composite();
    java.util.Set<io.memoflow.dag.Expr> keep = new java.util.HashSet<>(g.outputs());
    for (io.memoflow.dag.Expr x : g.inputs()) {
      def.put(x, 0);
      end.put(x, plan.donated().contains(x) ? 0 : m - 1);
    }
    for (int t = 0; t < m; t++) {
      for (io.memoflow.dag.Expr x : order.get(t).inputs()) {
        end.merge(x, t, Math::max);
      }
      for (io.memoflow.dag.Expr y : order.get(t).outputs()) {
        def.put(y, t);
        end.put(y, keep.contains(y) ? m - 1 : t);
      }
    }
    for (io.memoflow.dag.Expr k : keep) {
      end.put(k, m - 1);
    }
    long[] rankMax = new long[0];
    for (int t = 0; t < m; t++) {
      java.util.Map<Buffer, Long> live = new java.util.HashMap<>();
      for (var e : def.entrySet()) {
        io.memoflow.dag.Expr v = e.getKey();
        if (e.getValue() <= t && t <= end.get(v)) {
          live.merge(plan.bufferOf(v), plan.bytesOf(v), Math::max);
        }
      }
      long[] sizes = live.values().stream().mapToLong(Long::longValue).sorted().toArray();
      if (sizes.length > rankMax.length) {
        rankMax = Arrays.copyOf(rankMax, sizes.length);
      }
      for (int i = 0; i < sizes.length; i++) {
        rankMax[i] = Math.max(rankMax[i], sizes[sizes.length - 1 - i]);
      }
    }
    return Arrays.stream(rankMax).sum();
  }

  /** Returns one JSON line with the plan figures of a matrix example. */
  public static String example(io.memoflow.dag.matrix.MatrixExamples.Example e, boolean donate, boolean exact) {
    BufferPlanner.Builder b = BufferPlanner.builder().exactSizes(exact);
    if (donate) {
      b.donate(e.composite().inputs());
    }
    BufferPlan plan = b.build().plan(e.composite());
    return String.format(Locale.ROOT,
        "{\"figure\":\"inplace.example.%s\",\"computations\":%d,\"donatedInputs\":%b,"
            + "\"exactSizes\":%b,\"peakBytes\":%d,\"maxLiveBytes\":%d,"
            + "\"oneBufferPerValueBytes\":%d,\"savedPct\":%.1f,\"copies\":%d,"
            + "\"soleReaderRuleCopies\":%d}",
        e.name(), e.composite().size(), donate, exact, plan.peakBytes(), plan.maxLiveBytes(),
        plan.oneBufferPerValueBytes(), 100.0 * plan.bytesSaved() / plan.oneBufferPerValueBytes(),
        plan.copies(), plan.soleReaderRuleCopies());
  }

  /** Prints the figures as JSON lines. */
  public static void main(String[] args) {
    int cases = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    for (var e : java.util.List.of(io.memoflow.dag.matrix.MatrixExamples.kalman(100, 20),
        io.memoflow.dag.matrix.MatrixExamples.linearRegression(2000, 200))) {
      for (boolean donate : new boolean[] {false, true}) {
        for (boolean exact : new boolean[] {false, true}) {
          System.out.println(example(e, donate, exact));
        }
      }
    }
    for (InplaceComposites.Overwrites o : InplaceComposites.Overwrites.values()) {
      String tag = o.name().toLowerCase(Locale.ROOT);
      for (InplaceComposites.Sizes s : InplaceComposites.Sizes.values()) {
        System.out.println(measure(s, o, cases, 200, 1 + s.ordinal())
            .toJson("inplace." + tag + "." + s.name().toLowerCase(Locale.ROOT)));
      }
    }
  }
}
