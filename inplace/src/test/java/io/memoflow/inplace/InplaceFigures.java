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
   * @param meanOverWholeBound mean of (peak / {@link #wholeBufferBound} - 1): the allocator
   *     against the best whole buffers could do on the plan's order
   * @param p99OverWholeBound 99th percentile of the same
   * @param copies copies the plans make, in total
   * @param ruleCopies copies the sole-reader rule makes, in total
   * @param unavoidableCopies copies every safe plan makes, in total ({@link #unavoidableCopies(
   *     Graph)}): a lower bound that the plans and the rule both include
   * @param peakBytes total peak bytes of the plans
   * @param oneBufferPerValueBytes total bytes of one buffer per value
   */
  public record Figures(int cases, int casesAtBound, double meanOverBound, double p99OverBound,
      double maxOverBound, double meanOverWholeBound, double p99OverWholeBound, long copies, long ruleCopies, long unavoidableCopies, long peakBytes,
      long oneBufferPerValueBytes) {

    /**
     * Returns the plans' avoidable copies against the rule's: (copies - unavoidable) / (rule
     * copies - unavoidable), the part of the ratio the planner's choices decide.
     */
    public double avoidableRatio() {
      long r = ruleCopies - unavoidableCopies;
      return r == 0 ? 0 : (double) (copies - unavoidableCopies) / r;
    }

    /** Returns the figures as one JSON object. */
    public String toJson(String name) {
      return String.format(Locale.ROOT,
          "{\"figure\":\"%s\",\"cases\":%d,\"casesAtBound\":%d,\"meanOverBoundPct\":%.4f,"
              + "\"p99OverBoundPct\":%.4f,\"maxOverBoundPct\":%.4f,"
              + "\"meanOverWholeBufferBoundPct\":%.4f,\"p99OverWholeBufferBoundPct\":%.4f,\"copies\":%d,"
              + "\"soleReaderRuleCopies\":%d,\"copyRatio\":%.4f,\"unavoidableCopies\":%d,"
              + "\"avoidableCopyRatio\":%.4f,\"peakBytes\":%d,\"oneBufferPerValueBytes\":%d}",
          name, cases, casesAtBound, 100 * meanOverBound, 100 * p99OverBound, 100 * maxOverBound,
          100 * meanOverWholeBound, 100 * p99OverWholeBound, copies, ruleCopies, ruleCopies == 0 ? 0.0 : (double) copies / ruleCopies,
          unavoidableCopies, avoidableRatio(), peakBytes, oneBufferPerValueBytes);
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
    double[] overWhole = new double[cases];
    int atBound = 0;
    long copies = 0;
    long rule = 0;
    long unavoidable = 0;
    long peak = 0;
    long one = 0;
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    for (int i = 0; i < cases; i++) {
      InplaceComposites.Scenario s =
          InplaceComposites.symbolic(rnd.nextLong(), 1 + rnd.nextInt(maxComputations), sizes, overwrites);
      BufferPlan plan = s.planner().plan(s.composite());
      over[i] = plan.maxLiveBytes() == 0 ? 0 : (double) plan.peakBytes() / plan.maxLiveBytes() - 1;
      long whole = wholeBufferBound(plan);
      overWhole[i] = whole == 0 ? 0 : (double) plan.peakBytes() / whole - 1;
      if (plan.peakBytes() == plan.maxLiveBytes()) {
        atBound++;
      }
      copies += plan.copies();
      rule += plan.soleReaderRuleCopies();
      unavoidable += unavoidableCopies(new Graph(s.composite(), s.sizes(), s.donated(), false));
      peak += plan.peakBytes();
      one += plan.oneBufferPerValueBytes();
    }
    double[] sorted = over.clone();
    Arrays.sort(sorted);
    double mean = Arrays.stream(over).average().orElse(0);
    double p99 = sorted[p99Index(cases)];
    double[] sortedWhole = overWhole.clone();
    Arrays.sort(sortedWhole);
    return new Figures(cases, atBound, mean, p99, sorted[cases - 1],
        Arrays.stream(overWhole).average().orElse(0), sortedWhole[p99Index(cases)], copies, rule, unavoidable,
        peak, one);
  }

  private static int p99Index(int cases) {
    return Math.min(cases - 1, (int) Math.ceil(0.99 * cases) - 1);
  }

  /**
   * Returns the copies every safe plan of {@code g} makes, whatever its order: each overwrite
   * of a protected operand, or of an operand its destroyer reads twice (both as the rule
   * counts them: a copy, or a write out of place); and of the other destroyers of one value,
   * all but one -- all when each of them reaches another reader of the value, since a
   * destroyer must be its operand's last reader. Overwrites whose result is larger than the
   * operand copy nothing and are not counted.
   */
  static long unavoidableCopies(Graph g) {
    long n = 0;
    java.util.Map<Integer, java.util.List<Integer>> destroyers = new java.util.TreeMap<>();
    for (Graph.Pair p : g.pairs) {
      if (p.kind() == Graph.Kind.FORCED_COPY) {
        n++;
      } else if (p.kind() == Graph.Kind.CANDIDATE) {
        destroyers.computeIfAbsent(p.value(), v -> new java.util.ArrayList<>()).add(p.node());
      }
    }
    int[][] succ = successors(g);
    for (var e : destroyers.entrySet()) {
      int v = e.getKey();
      boolean someCanBeLast = false;
      for (int d : e.getValue()) {
        someCanBeLast |= !reachesAnotherReader(g, succ, d, v);
      }
      n += e.getValue().size() - (someCanBeLast ? 1 : 0);
    }
    return n;
  }

  private static int[][] successors(Graph g) {
    java.util.List<java.util.List<Integer>> s = new java.util.ArrayList<>();
    for (int q = 0; q < g.nodeCount; q++) {
      s.add(new java.util.ArrayList<>());
    }
    for (int q = 0; q < g.nodeCount; q++) {
      for (int p : g.preds(q)) {
        s.get(p).add(q);
      }
    }
    int[][] out = new int[g.nodeCount][];
    for (int q = 0; q < out.length; q++) {
      out[q] = s.get(q).stream().mapToInt(Integer::intValue).toArray();
    }
    return out;
  }

  private static boolean reachesAnotherReader(Graph g, int[][] succ, int d, int v) {
    boolean[] reader = new boolean[g.nodeCount];
    for (int r : g.readers[v]) {
      reader[r] = r != d;
    }
    boolean[] seen = new boolean[g.nodeCount];
    java.util.ArrayDeque<Integer> stack = new java.util.ArrayDeque<>(java.util.List.of(d));
    seen[d] = true;
    while (!stack.isEmpty()) {
      for (int w : succ[stack.pop()]) {
        if (reader[w]) {
          return true;
        }
        if (!seen[w]) {
          seen[w] = true;
          stack.push(w);
        }
      }
    }
    return false;
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
  public static String example(io.memoflow.matrix.MatrixExamples.Example e, boolean donate, boolean exact) {
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
    for (var e : java.util.List.of(io.memoflow.matrix.MatrixExamples.kalman(100, 20),
        io.memoflow.matrix.MatrixExamples.linearRegression(2000, 200))) {
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
