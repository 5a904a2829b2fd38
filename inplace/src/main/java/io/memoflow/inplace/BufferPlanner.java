package io.memoflow.inplace;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.BufferOperation;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Digest;
import io.memoflow.dag.Expr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Plans buffers for a {@link CompositeComputation} whose operations may overwrite their inputs
 * ({@link io.memoflow.dag.Operation#overwrites()}): chooses which overwrites run in place,
 * inserts a {@link Copy} before every other destroyed operand, orders the computations for a low
 * peak and pairs every variable with a buffer, reusing buffers across lifetimes that do not
 * overlap.
 *
 * <pre>{@code
 * BufferPlan plan = BufferPlanner.builder().donate(c).build().plan(composite);
 * System.out.println(plan);                  // C := GEMM(A, B, C) ...
 * Map<Expr, double[]> out = plan.execute(inputs);
 * }</pre>
 *
 * <p>Sizes come from {@link io.memoflow.dag.BufferOperation} lengths (8 bytes a double) unless a size
 * function is given. Graph inputs and the composite's outputs are never overwritten; a graph
 * input is when it is {@linkplain Builder#donate donated}. Planning is deterministic (equal
 * composites give equal plans) and idempotent: planning {@code plan.composite()} again gives an
 * equal plan with no new copies.
 *
 * <p>Immutable and thread-safe.
 */
public final class BufferPlanner {
  /*
   * Overview, after XLA's copy insertion: (1) InPlaceSelector keeps every declared overwrite in
   * place that it can make the operand's last reader (adding "other readers first" edges,
   * greedily, several candidate orders, best kept); (2) every other overwrite gets an explicit
   * Copy, so in the planned composite every overwrite runs in place; (3) Scheduler list-schedules
   * the planned composite several ways under the ordering edges and the schedule with the
   * lowest allocated peak is kept; (4) Lifetimes merges in-place chains into groups and assigns
   * buffers (greedy by size, or the best-fit sweep where it is lower). Step (1) on a planned
   * composite accepts every overwrite (its edges are consistent), so (2) adds nothing and (3)
   * and (4) see the same input: hence idempotence.
   */

  private static final BufferPlanner DEFAULT = new BufferPlanner(null, Set.of(), false);

  private final ToLongFunction<Expr> sizes;
  private final Set<Expr> donated;
  private final boolean exact;

  private BufferPlanner(ToLongFunction<Expr> sizes, Set<Expr> donated, boolean exact) {
    this.sizes = sizes;
    this.donated = donated;
    this.exact = exact;
  }

  /** Returns the planner that sizes values by BufferOperation lengths and donates nothing. */
  public static BufferPlanner of() {
    return DEFAULT;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Plans {@code composite}.
   *
   * @throws IllegalArgumentException if a value has no size (an operation is not BufferOperation and
   *     no size function was given), BufferOperation lengths disagree, an operation declares an
   *     overwrite out of range or two outputs over one input, or a donated variable is not a
   *     graph input of the composite
   */
  public BufferPlan plan(CompositeComputation composite) {
    requireNonNull(composite, "composite");
    Graph g = new Graph(composite, sizes, donated, exact || demandsExactLengths(composite));
    boolean[] inPlace = InPlaceSelector.select(g);
    Graph p = withCopies(g, inPlace);
    if (p != g) {
      inPlace = carryOver(g, inPlace, p);
    }
    int[][] inPlaceOperand = new int[p.nodeCount][];
    for (int q = 0; q < p.nodeCount; q++) {
      inPlaceOperand[q] = new int[p.outputs[q].length];
      Arrays.fill(inPlaceOperand[q], -1);
    }
    for (int i = 0; i < p.pairs.size(); i++) {
      if (inPlace[i]) {
        Graph.Pair pair = p.pairs.get(i);
        inPlaceOperand[pair.node()][pair.output()] = pair.operand();
      }
    }
    Scheduler scheduler = new Scheduler(p, inPlaceOperand);
    // Every schedule's lifetimes and max-live bound are cheap; allocation is not. Allocate in
    // order of increasing bound (heuristic order on ties) and stop at the first schedule whose
    // bound is not below the best peak so far: no allocation of it can be lower (the bound is a
    // lower bound), and on a tie the heuristic tried first wins. So the kept schedule is the one
    // with the lowest peak over all heuristics, the first on ties -- as if all were allocated.
    boolean small = p.values.length <= BREADTH_LIMIT;
    int[][] seqs = schedules(scheduler, small);
    int count = seqs.length;
    Lifetimes[] lives = new Lifetimes[count];
    Integer[] byBound = new Integer[count];
    for (int h = 0; h < count; h++) {
      lives[h] = new Lifetimes(p, seqs[h], inPlaceOperand);
      byBound[h] = h;
    }
    Arrays.sort(byBound, (a, b) -> {
      int c = Long.compare(lives[a].maxLive, lives[b].maxLive);
      return c != 0 ? c : Integer.compare(a, b);
    });
    int[] bestSeq = null;
    Lifetimes best = null;
    Lifetimes.Allocation alloc = null;
    int bestH = -1;
    for (int h : byBound) {
      Lifetimes life = lives[h];
      if (alloc != null
          && (life.maxLive > alloc.peak() || (life.maxLive == alloc.peak() && h > bestH))) {
        break; // this and every later schedule cannot beat the best
      }
      Lifetimes.Allocation a;
      if (g.exact) {
        a = life.greedyBySize(true);
      } else {
        a = life.greedyBySize();
        if (a.peak() > life.maxLive) { // else no allocation is lower: skip the sweep
          a = better(a, life.sweep());
        }
      }
      if (alloc == null || a.peak() < alloc.peak() || (a.peak() == alloc.peak() && h < bestH)) {
        alloc = a;
        bestSeq = seqs[h];
        best = life;
        bestH = h;
      }
    }
    if (small && !g.exact && alloc.peak() > best.maxLive) {
      // The slower allocators, on the chosen order only.
      alloc = best.improve(better(alloc, best.greedyByBreadth()));
    }
    int[] bufferOfValue = new int[p.values.length];
    for (int v = 0; v < bufferOfValue.length; v++) {
      bufferOfValue[v] = alloc.bufferOf()[best.group[v]];
    }
    return new BufferPlan(p, bestSeq, bufferOfValue, alloc.bufferSize(), null, best.maxLive,
        g.soleReaderRuleCopies());
  }

  /**
   * Returns the candidate schedules, in the order they win ties: the four heuristics, then on
   * small graphs the other memory-greedy keys, and per seed a memory-greedy schedule, a
   * largest-freed-first one and a plain topological one, each with pseudo-random ties. The
   * seeds are fewer the larger the graph (SEED_BUDGET units scheduled in all, between 2 and
   * MAX_SEEDS seeds), which bounds the time. A schedule equal to an earlier one is left out.
   */
  private static int[][] schedules(Scheduler scheduler, boolean small) {
    List<int[]> out = new ArrayList<>();
    for (Scheduler.Heuristic h : Scheduler.Heuristic.values()) {
      addDistinct(out, scheduler.schedule(h));
    }
    if (small) {
      for (Scheduler.Key k : Scheduler.Key.values()) {
        if (k != Scheduler.Key.DELTA && k != Scheduler.Key.NONE) {
          addDistinct(out, scheduler.schedule(k, 0));
        }
      }
      int seeds = (int) Math.min(MAX_SEEDS, Math.max(2, SEED_BUDGET / Math.max(1, scheduler.units())));
      for (long seed = 1; seed <= seeds; seed++) {
        addDistinct(out, scheduler.schedule(Scheduler.Key.DELTA, seed));
        addDistinct(out, scheduler.schedule(Scheduler.Key.LARGEST_FREED, seed));
        addDistinct(out, scheduler.schedule(Scheduler.Key.NONE, seed));
      }
    }
    return out.toArray(new int[0][]);
  }

  private static void addDistinct(List<int[]> seqs, int[] seq) {
    for (int[] s : seqs) {
      if (Arrays.equals(s, seq)) {
        return;
      }
    }
    seqs.add(seq);
  }

  /** Most pseudo-random tie orders tried per key on small graphs. */
  private static final int MAX_SEEDS = 64;

  /** Units scheduled over all the seeds of one key: bounds their time on larger graphs. */
  private static final long SEED_BUDGET = 16_384;

  /**
   * Values up to which the allocators that are quadratic in the worst case (greedy by breadth,
   * local improvement) are tried beside greedy by size and the best-fit sweep.
   */
  private static final int BREADTH_LIMIT = 2048;

  private static Lifetimes.Allocation better(Lifetimes.Allocation a, Lifetimes.Allocation b) {
    return b.peak() < a.peak() ? b : a;
  }

  /**
   * Returns the in-place choice for the planned graph {@code p}: an overwrite of an inserted copy
   * runs in place, every other overwrite as chosen on {@code g}. (Selecting on {@code p} again
   * gives the same: see InPlaceSelector.)
   */
  private static boolean[] carryOver(Graph g, boolean[] chosen, Graph p) {
    int[] pairOfResult = new int[g.values.length]; // result value -> pair in g, or -1
    Arrays.fill(pairOfResult, -1);
    for (int i = 0; i < g.pairs.size(); i++) {
      pairOfResult[g.pairs.get(i).result()] = i;
    }
    boolean[] out = new boolean[p.pairs.size()];
    for (int i = 0; i < p.pairs.size(); i++) {
      Graph.Pair pair = p.pairs.get(i);
      int producer = p.producer[pair.value()];
      if (producer >= 0 && p.fromNodeOf[producer] < 0) {
        out[i] = true; // the destroyer of a copy made for it (every new node is such a copy)
        continue;
      }
      int gi = pairOfResult[g.outputs[p.fromNodeOf[pair.node()]][pair.output()]];
      out[i] = gi >= 0 && chosen[gi];
    }
    return out;
  }

  /**
   * Replaces the operand of every overwrite not kept in place by a fresh Copy of it, when the
   * result is as large as the operand, and returns the graph of the planned composite (or
   * {@code g} when nothing is copied). A smaller result is written out of place instead: into a
   * buffer of its own size, which costs less than a copy of the operand.
   *
   * <p>The planned graph is built from {@code g}'s integer structure: each copy placed right
   * before its destroyer (a topological order), predecessors by position, canonical keys
   * reused. The planned composite itself is made only when a caller asks for it.
   */
  private Graph withCopies(Graph g, boolean[] inPlace) {
    List<Graph.Pair> copied = copiedPairs(g, inPlace);
    if (copied.isEmpty()) {
      return g;
    }
    int n = g.nodeCount;
    Set<Expr> taken = new HashSet<>(); // names given to copies; g.composite() holds the others
    Computation[] nodes = g.nodes.clone();
    Computation[] copies = new Computation[copied.size()];
    int[] copyCount = new int[n]; // node -> copies made for it
    int[][] copyOperand = new int[n][]; // node -> operand -> copy index, or -1
    List<Expr>[] newInputs = newInputLists(n);
    for (int c = 0; c < copies.length; c++) {
      Graph.Pair pair = copied.get(c);
      int q = pair.node();
      Expr v = g.values[pair.value()];
      Expr name = copyName(g, v, taken);
      copies[c] = new Computation(
          Copy.of(PlanExecutor.doubles(g.size[pair.value()])), List.of(v), List.of(name));
      if (newInputs[q] == null) {
        newInputs[q] = new ArrayList<>(nodes[q].inputs());
        copyOperand[q] = new int[g.inputs[q].length];
        Arrays.fill(copyOperand[q], -1);
      }
      newInputs[q].set(pair.operand(), name);
      copyOperand[q][pair.operand()] = c;
      copyCount[q]++;
    }
    // Given order: every node after the copies made for it; positions of nodes and copies.
    int[] nodePos = new int[n];
    int[] copyPos = new int[copies.length];
    int[][] copiesOf = new int[n][];
    for (int c = 0; c < copies.length; c++) {
      int q = copied.get(c).node();
      if (copiesOf[q] == null) {
        copiesOf[q] = new int[copyCount[q]];
        copyCount[q] = 0;
      }
      copiesOf[q][copyCount[q]++] = c;
    }
    int total = n + copies.length;
    List<Computation> given = new ArrayList<>(total);
    int[][] preds = new int[total][];
    Digest[] keys = new Digest[total];
    int[] fromNode = new int[total];
    long[][] operands = new long[total][];
    for (int q = 0; q < n; q++) {
      if (copiesOf[q] != null) {
        for (int c : copiesOf[q]) {
          int at = given.size();
          copyPos[c] = at;
          int v = copied.get(c).value();
          int pv = g.producer[v];
          preds[at] = pv < 0 ? new int[0] : new int[] {nodePos[pv]};
          keys[at] = copies[c].outputs().get(0).digest();
          fromNode[at] = -1;
          operands[at] = new long[] {source(g, v, nodePos)};
          given.add(copies[c]);
        }
      }
      Computation rewired = newInputs[q] == null ? nodes[q]
          : new Computation(nodes[q].operation(), newInputs[q], nodes[q].outputs());
      nodes[q] = rewired;
      long[] refs = new long[g.inputs[q].length];
      int at = given.size();
      preds[at] = operandPredecessors(g, q, copyOperand[q], copyPos, nodePos, refs);
      keys[at] = g.key[q];
      fromNode[at] = q;
      operands[at] = refs;
      nodePos[q] = at;
      given.add(rewired);
    }
    List<Computation> parts = new ArrayList<>(total); // as the planned composite is made of
    parts.addAll(Arrays.asList(nodes));
    parts.addAll(Arrays.asList(copies));
    return new Graph(given, preds, parts, new Graph.Derivation(g, keys, fromNode, operands));
  }

  /** The overwrites not kept in place whose result is as large as the operand: those get a Copy. */
  private static List<Graph.Pair> copiedPairs(Graph g, boolean[] inPlace) {
    List<Graph.Pair> copied = new ArrayList<>();
    for (int i = 0; i < g.pairs.size(); i++) {
      Graph.Pair pair = g.pairs.get(i);
      if (!inPlace[i] && pair.kind() != Graph.Kind.TOO_LARGE
          && g.size[pair.result()] == g.size[pair.value()]) {
        copied.add(pair);
      }
    }
    return copied;
  }

  /** A name for a copy of {@code v} that no variable of {@code g} and no other copy has. */
  private static Expr copyName(Graph g, Expr v, Set<Expr> taken) {
    Expr name = Expr.apply(Copy.NAME, v);
    for (long i = 1; g.composite().hasVariable(name) || !taken.add(name); i++) {
      name = Expr.apply(Copy.NAME, v, Expr.constant(i));
    }
    return name;
  }

  /**
   * Returns the distinct positions of node {@code q}'s predecessors in the planned order, and
   * fills {@code refs} with the source of each operand (a copy where {@code copyOperand} names
   * one, else the operand's producer; graph inputs keep their negative source).
   */
  private static int[] operandPredecessors(Graph g, int q, int[] copyOperand, int[] copyPos,
      int[] nodePos, long[] refs) {
    int[] ins = g.inputs[q];
    int[] ps = new int[ins.length];
    int k = 0;
    for (int j = 0; j < ins.length; j++) {
      int pos;
      if (copyOperand != null && copyOperand[j] >= 0) {
        pos = copyPos[copyOperand[j]];
        refs[j] = (long) pos << 32;
      } else if ((refs[j] = source(g, ins[j], nodePos)) >= 0) {
        pos = nodePos[g.producer[ins[j]]];
      } else {
        continue;
      }
      boolean seen = false;
      for (int i = 0; i < k && !seen; i++) {
        seen = ps[i] == pos;
      }
      if (!seen) {
        ps[k++] = pos;
      }
    }
    return Arrays.copyOf(ps, k);
  }

  /** The source of value {@code v} of {@code g} for a {@link Graph.Derivation}. */
  private static long source(Graph g, int v, int[] nodePos) {
    int p = g.producer[v];
    return p < 0 ? -(v + 1) : ((long) nodePos[p] << 32) | (v - g.outputs[p][0]);
  }

  /** Whether an operation of {@code composite} runs only on arrays of exactly its lengths. */
  private static boolean demandsExactLengths(CompositeComputation composite) {
    for (Computation c : composite.computations()) {
      if (c.operation() instanceof BufferOperation op && op.exactLengths()) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static List<Expr>[] newInputLists(int n) {
    return (List<Expr>[]) new List<?>[n];
  }

  /** Configures a {@link BufferPlanner}. Not thread-safe. */
  public static final class Builder {
    private ToLongFunction<Expr> sizes;
    private final Set<Expr> donated = new LinkedHashSet<>();
    private boolean exact;

    private Builder() {}

    /**
     * Sizes every variable by {@code bytes} instead of by BufferOperation lengths. Copies the planner
     * inserts take their operand's size without asking. The function must return a size of at
     * least 0 and be deterministic.
     */
    public Builder sizes(ToLongFunction<Expr> bytes) {
      this.sizes = requireNonNull(bytes, "bytes");
      return this;
    }

    /**
     * Donates graph inputs: the plan may overwrite them (and reuse their buffers) once they are
     * no longer needed. A donated variable must be a graph input of the planned composite and not
     * a requested output; that is checked when planning.
     */
    public Builder donate(Expr... inputs) {
      return donate(Arrays.asList(inputs));
    }

    /** Donates graph inputs; see {@link #donate(Expr...)}. */
    public Builder donate(Collection<? extends Expr> inputs) {
      for (Expr e : inputs) {
        donated.add(requireNonNull(e, "donated input"));
      }
      return this;
    }

    /**
     * Whether every buffer holds values of one size only (false by default); results smaller
     * than their operand are then written out of place. Without it, a buffer reused by values
     * of different sizes is as long as the largest, which lowers the peak. Composites with an
     * operation whose {@link BufferOperation#exactLengths()} is true (the {@code
     * io.memoflow.matrix} routines) are planned this way whatever is set here.
     */
    public Builder exactSizes(boolean exact) {
      this.exact = exact;
      return this;
    }

    /** Returns the planner. */
    public BufferPlanner build() {
      return new BufferPlanner(sizes, Set.copyOf(donated), exact);
    }
  }
}
