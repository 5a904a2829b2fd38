package io.memoflow.matrix;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.CycleException;
import io.memoflow.matrix.MatrixExpr.Factor;
import io.memoflow.matrix.MatrixExpr.Symbol;
import io.memoflow.matrix.internal.TreeRegions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Compiles matrix expressions into {@link Cover}s: DAGs of BLAS/LAPACK calls chosen by a
 * cost-guided search over the {@link RuleSet}'s rewrites.
 *
 * <pre>{@code
 * MatrixExpr X = MatrixExpr.symbol("X", 2000, 200, MatrixProperty.FULL_RANK);
 * MatrixExpr y = MatrixExpr.symbol("y", 2000, 1);
 * Cover c = MatrixCompiler.standard().compile(X.t().times(X).inv().times(X.t()).times(y));
 * c.routines();   // [SYRK, GEMM, POSV]
 * }</pre>
 *
 * <p>{@link #compile} returns the cheapest cover under the cost model; {@link #covers} enumerates
 * covers in non-decreasing cost. Both are deterministic: the same expressions give the same
 * covers in the same order on every run. Instances are immutable and thread-safe.
 */
public final class MatrixCompiler {
  /*
   * Overview: A* search over partial covers. A state is a set of chosen steps; what it still
   * needs ("pending": inputs of chosen steps and requested outputs that nothing chosen
   * produces and that are not leaves; factorizations such as Cholesky(A) included) follows from
   * the set. Expanding a state picks one pending
   * value deterministically (largest expression first, then by text) and branches on every
   * step that computes it; the inputs of the step join the pending set unless available, which
   * is how common sub-expressions are computed once and factorizations are shared: a factor
   * input is pending like any value (POTRF, GETRF compute it) unless an earlier step made it, as
   * POSV's by-product; a step whose by-product is pending or available is not chosen. g is the
   * sum of step costs;
   * h is the sum over pending values v of lb(v), where lb(v) is the cheapest step for v plus
   * lb of its "private" inputs: values that, among all values reachable from the outputs, only
   * steps for v read. Private values of distinct pending values are distinct and not yet
   * computed, and every pending value needs its own step (a pending factor cannot come as a
   * by-product), and factors are never private (a by-product may make them free), so h is
   * admissible; it is also consistent, so complete covers leave the queue in non-decreasing
   * cost. Ties break by insertion order, which is
   * deterministic. Identical step sets reached twice are expanded once. A completed set that
   * turns out cyclic (possible only with factor reuse) is skipped.
   *
   * Dynamic programming: inside a tree region (TreeRegions: a value that dominates everything
   * below it and below which no step needs two overlapping values, such as a chain of distinct
   * factors), lb counts every input, so lb is the cheapest tree: the classic matrix-chain
   * recurrence over sub-chains. It stays admissible and consistent there (nothing in a region
   * is shared or available before its head's step), and with an exact h A* walks straight to
   * the optimum: a 20-matrix chain takes hundreds of states instead of millions.
   */

  private static final MatrixCompiler STANDARD = new MatrixCompiler(RuleSet.standard(), 2_000_000);

  private final RuleSet rules;
  private final int maxStates;

  private MatrixCompiler(RuleSet rules, int maxStates) {
    this.rules = requireNonNull(rules, "rules");
    this.maxStates = maxStates;
  }

  /** Returns the compiler with {@link RuleSet#standard()}. */
  public static MatrixCompiler standard() {
    return STANDARD;
  }

  /** Returns a compiler using {@code rules}. */
  public static MatrixCompiler of(RuleSet rules) {
    return new MatrixCompiler(rules, STANDARD.maxStates);
  }

  /** Returns this compiler with a different limit on search states (default 2,000,000). */
  public MatrixCompiler maxStates(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("maxStates must be at least 1, not " + limit + ".");
    }
    return new MatrixCompiler(rules, limit);
  }

  /** Returns the rules. */
  public RuleSet rules() {
    return rules;
  }

  /**
   * Returns the cheapest cover of {@code outputs}.
   *
   * @throws IllegalArgumentException if an output is a leaf, a symbol name is used with two
   *     shapes or assumption sets, or no rule computes some value
   * @throws SearchLimitException if the search exceeds {@link #maxStates} (the exception says
   *     how far it got)
   */
  public Cover compile(MatrixExpr... outputs) {
    return compile(Arrays.asList(outputs));
  }

  /** Returns the cheapest cover of {@code outputs}; see {@link #compile(MatrixExpr...)}. */
  public Cover compile(List<? extends MatrixExpr> outputs) {
    Iterator<Cover> it = covers(outputs);
    if (!it.hasNext()) {
      throw new IllegalArgumentException(
          "No cover of " + outputs + " exists with these rules. Add rules for its operations.");
    }
    return it.next();
  }

  /**
   * Returns the covers of {@code outputs} in non-decreasing cost, lazily; the first is {@link
   * #compile}'s. Covers differ in their set of steps. The iterator is not thread-safe.
   *
   * @throws IllegalArgumentException as {@link #compile(MatrixExpr...)}
   */
  public Iterator<Cover> covers(List<? extends MatrixExpr> outputs) {
    return new Search(rules, maxStates, validate(outputs));
  }

  /** Returns up to {@code limit} cheapest covers; see {@link #covers}. */
  public List<Cover> covers(List<? extends MatrixExpr> outputs, int limit) {
    List<Cover> out = new ArrayList<>();
    Iterator<Cover> it = covers(outputs);
    while (out.size() < limit && it.hasNext()) {
      out.add(it.next());
    }
    return out;
  }

  private static List<MatrixExpr> validate(List<? extends MatrixExpr> outputs) {
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException("Nothing to compile: pass at least one expression.");
    }
    Map<String, Symbol> byName = new HashMap<>();
    LinkedHashSet<MatrixExpr> distinct = new LinkedHashSet<>();
    for (MatrixExpr o : outputs) {
      requireNonNull(o, "output");
      if (o.isLeaf()) {
        throw new IllegalArgumentException(MatrixMessages.leafOutput(o));
      }
      for (Symbol s : o.symbols()) {
        Symbol prior = byName.putIfAbsent(s.name(), s);
        if (prior != null && !prior.equals(s)) {
          throw new IllegalArgumentException(MatrixMessages.inconsistentSymbol(prior, s));
        }
      }
      distinct.add(o);
    }
    return List.copyOf(distinct);
  }

  /** The A* search; see the overview. Values and steps are interned as ints. */
  private static final class Search implements Iterator<Cover> {
    private final RuleSet rules;
    private final int maxStates;
    private final List<MatrixExpr> targets;
    private final Map<MatrixExpr, Integer> idOf = new HashMap<>(); // ids ascend in pending order
    private final List<MatrixExpr> values = new ArrayList<>();
    private final List<List<Move>> movesOf = new ArrayList<>(); // by value id; null = not yet
    private final List<Double> lb = new ArrayList<>(); // by value id; null = not yet
    private final Map<MatrixExpr, MatrixExpr> privateTo = new HashMap<>();
    private final Map<MatrixExpr, List<Step>> stepsOf = new HashMap<>(); // met while ranking
    private BitSet inTreeRegion = new BitSet(); // values whose lb counts every input
    private final List<Step> byId = new ArrayList<>();
    private final Set<BitSet> visited = new HashSet<>();
    private final PriorityQueue<State> queue =
        new PriorityQueue<>(Comparator.comparingDouble((State s) -> s.f)
            .thenComparingDouble(s -> -s.g) // among equals, the most complete first
            .thenComparingLong(s -> s.seq));
    private long seq;
    private int states;
    private Cover next;

    /** A step with its inputs and outputs as value ids. */
    private record Move(int id, Step step, int[] needs, int[] outs, int[] factors) {}

    Search(RuleSet rules, int maxStates, List<MatrixExpr> targets) {
      this.rules = rules;
      this.maxStates = maxStates;
      this.targets = targets;
      for (MatrixExpr t : targets) {
        if (rules.steps(t).isEmpty()) {
          throw new IllegalArgumentException(MatrixMessages.noRule(t));
        }
      }
      rankReachableValues();
      findTreeRegions();
      int[] pending = new int[targets.size()];
      double h = 0;
      for (int i = 0; i < pending.length; i++) {
        pending[i] = id(targets.get(i));
        h += lowerBound(pending[i]);
      }
      Arrays.sort(pending);
      queue.add(new State(null, -1, 0, h, seq++, new BitSet(), pending, new BitSet()));
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = advance();
      }
      return next != null;
    }

    @Override
    public Cover next() {
      if (!hasNext()) {
        throw new NoSuchElementException("No more covers.");
      }
      Cover c = next;
      next = null;
      return c;
    }

    private Cover advance() {
      State s;
      while ((s = queue.poll()) != null) {
        if (s.pending.length == 0) {
          Cover c = toCover(s);
          if (c != null) {
            return c;
          }
          continue;
        }
        expand(s);
      }
      return null;
    }

    private Cover toCover(State s) {
      List<Step> chosen = new ArrayList<>();
      for (State x = s; x.stepId >= 0; x = x.parent) {
        chosen.add(byId.get(x.stepId));
      }
      Collections.reverse(chosen);
      try {
        return new Cover(targets, chosen, s.g);
      } catch (CycleException e) {
        return null; // a factor reused by a step its own producer depends on
      }
    }

    private void expand(State s) {
      int v = s.pending[0];
      double hRest = s.f - s.g - lowerBound(v);
      for (Move m : moves(v)) {
        if (!usable(m, s)) {
          continue;
        }
        BitSet key = (BitSet) s.key.clone();
        key.set(m.id);
        if (!visited.add(key)) {
          continue;
        }
        BitSet avail = (BitSet) s.available.clone();
        for (int o : m.outs) {
          avail.set(o);
        }
        int[] pending = Arrays.copyOf(s.pending, s.pending.length - 1 + m.needs.length);
        System.arraycopy(s.pending, 1, pending, 0, s.pending.length - 1);
        int n = s.pending.length - 1;
        double h = hRest;
        for (int in : m.needs) {
          if (!avail.get(in) && Arrays.binarySearch(s.pending, 1, s.pending.length, in) < 0
              && !contains(pending, s.pending.length - 1, n, in)) {
            pending[n++] = in;
            h += lowerBound(in);
          }
        }
        if (Double.isInfinite(h)) {
          continue;
        }
        pending = Arrays.copyOf(pending, n);
        Arrays.sort(pending);
        if (++states > maxStates) {
          throw new SearchLimitException(targets, maxStates, s.f, queue.size() + 1);
        }
        double g = s.g + m.step.cost();
        queue.add(new State(s, m.id, g, g + Math.max(0, h), seq++, avail, pending, key));
      }
    }

    private static boolean contains(int[] xs, int from, int to, int x) {
      for (int i = from; i < to; i++) {
        if (xs[i] == x) {
          return true;
        }
      }
      return false;
    }

    private boolean usable(Move m, State s) {
      for (int k = 1; k < m.outs.length; k++) {
        if (s.available.get(m.outs[k]) || Arrays.binarySearch(s.pending, m.outs[k]) >= 0) {
          return false; // another step already produces it
        }
      }
      return true;
    }

    private int id(MatrixExpr v) {
      Integer i = idOf.get(v);
      if (i == null) {
        i = values.size();
        idOf.put(v, i);
        values.add(v);
        movesOf.add(null);
        lb.add(null);
      }
      return i;
    }

    private List<Move> moves(int v) {
      List<Move> ms = movesOf.get(v);
      if (ms == null) {
        ms = new ArrayList<>();
        MatrixExpr value = values.get(v);
        List<Step> steps = stepsOf.remove(value);
        for (Step st : steps != null ? steps : rules.steps(value)) {
          int[] needs = ids(st.inputs(), false);
          int[] factors = ids(st.inputs(), true); // also among needs
          int[] outs = new int[st.outputs().size()];
          outs[0] = v; // the first output is the value itself
          for (int k = 1; k < outs.length; k++) {
            outs[k] = id(st.outputs().get(k));
          }
          byId.add(st);
          ms.add(new Move(byId.size() - 1, st, needs, outs, factors));
        }
        movesOf.set(v, ms);
      }
      return ms;
    }

    /** Returns the ids of the factor inputs, or else of all non-leaf inputs. */
    private int[] ids(List<MatrixExpr> inputs, boolean factors) {
      int[] out = new int[inputs.size()];
      int n = 0;
      for (MatrixExpr e : inputs) {
        if (factors ? e instanceof Factor : !e.isLeaf()) {
          out[n++] = id(e);
        }
      }
      return Arrays.copyOf(out, n);
    }

    /**
     * Gives every value reachable from the targets its id, largest first then by text (the
     * order in which pending values are expanded), and records which are private to another.
     */
    private void rankReachableValues() {
      Map<MatrixExpr, Set<MatrixExpr>> consumers = new HashMap<>();
      List<MatrixExpr> todo = new ArrayList<>(targets);
      Set<MatrixExpr> seen = new HashSet<>(targets);
      for (int i = 0; i < todo.size(); i++) {
        MatrixExpr v = todo.get(i);
        List<Step> steps = rules.steps(v);
        stepsOf.put(v, steps);
        for (Step st : steps) {
          for (MatrixExpr w : st.inputs()) {
            if (w.isLeaf()) {
              continue;
            }
            consumers.computeIfAbsent(w, k -> new HashSet<>()).add(v);
            if (seen.add(w)) {
              todo.add(w);
            }
          }
        }
      }
      Map<MatrixExpr, String> text = new HashMap<>();
      Map<MatrixExpr, Integer> size = new HashMap<>();
      for (MatrixExpr v : todo) {
        text.put(v, v.toString());
        size.put(v, size(v));
      }
      List<MatrixExpr> ranked = new ArrayList<>(todo);
      ranked.sort(Comparator.comparingInt((MatrixExpr e) -> -size.get(e)).thenComparing(text::get));
      for (MatrixExpr v : ranked) {
        id(v);
      }
      Set<MatrixExpr> targetSet = new HashSet<>(targets);
      for (var e : consumers.entrySet()) {
        // A factor may also come as another step's by-product (POSV's): never private.
        if (e.getValue().size() == 1 && !targetSet.contains(e.getKey())
            && !(e.getKey() instanceof Factor)) {
          privateTo.put(e.getKey(), e.getValue().iterator().next());
        }
      }
    }

    private void findTreeRegions() {
      int n = values.size();
      List<List<int[]>> needs = new ArrayList<>(n);
      for (int v = 0; v < n; v++) {
        List<int[]> steps = new ArrayList<>();
        for (Move m : moves(v)) {
          steps.add(m.needs);
        }
        needs.add(steps);
      }
      int[] roots = targets.stream().mapToInt(idOf::get).toArray();
      BitSet readsFactor = new BitSet(); // a factor may come free as a by-product: no regions
      for (int v = 0; v < n; v++) {
        for (Move m : moves(v)) {
          if (m.factors.length > 0 || values.get(v) instanceof Factor) {
            readsFactor.set(v);
          }
        }
      }
      inTreeRegion = TreeRegions.find(needs, roots, readsFactor);
    }

    private static int size(MatrixExpr e) {
      int total = 1;
      for (MatrixExpr c : e.children()) {
        total += size(c);
      }
      return total;
    }

    /** Returns lb(v): see the overview. */
    private double lowerBound(int v) {
      Double c = lb.get(v);
      if (c == null) {
        MatrixExpr value = values.get(v);
        double best = Double.POSITIVE_INFINITY;
        for (Move m : moves(v)) {
          double total = m.step.cost();
          if (inTreeRegion.get(v)) {
            for (int w : m.needs) {
              total += lowerBound(w);
            }
          } else {
            for (MatrixExpr w : m.step.inputs()) {
              if (value.equals(privateTo.get(w))) {
                total += lowerBound(id(w));
              }
            }
          }
          best = Math.min(best, total);
        }
        lb.set(v, best);
        c = best;
      }
      return c;
    }
  }

  /** A partial cover: the last step chosen, costs, and what is available and still needed. */
  private static final class State {
    final State parent;
    final int stepId;
    final double g;
    final double f;
    final long seq;
    final BitSet available;
    final int[] pending; // value ids, ascending: the first is expanded next
    final BitSet key;

    State(State parent, int stepId, double g, double f, long seq, BitSet available,
        int[] pending, BitSet key) {
      this.parent = parent;
      this.stepId = stepId;
      this.g = g;
      this.f = f;
      this.seq = seq;
      this.available = available;
      this.pending = pending;
      this.key = key;
    }
  }
}
