package io.memoflow.dag.matrix;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.CycleException;
import io.memoflow.dag.matrix.MatrixExpr.Factor;
import io.memoflow.dag.matrix.MatrixExpr.Symbol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * MatrixExpr X = MatrixExpr.symbol("X", 2000, 200, Property.FULL_RANK);
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
   * produces and that are not leaves) follows from the set. Expanding a state picks one pending
   * value deterministically (largest expression first, then by text) and branches on every
   * step that computes it; the inputs of the step join the pending set unless available, which
   * is how common sub-expressions are computed once and secondary outputs (POSV's Cholesky
   * factor) are shared: a factor input must already be available. g is the sum of step costs;
   * h is the sum over pending values v of lb(v), where lb(v) is the cheapest step for v plus
   * lb of its "private" inputs: values that, among all values reachable from the outputs, only
   * steps for v read. Private values of distinct pending values are distinct and not yet
   * computed, and every pending value needs its own step (factors are never pending), so h is
   * admissible; it is also consistent, so complete covers leave the queue in non-decreasing
   * cost. Ties break by insertion order, which is
   * deterministic. Identical step sets reached twice are expanded once. A completed set that
   * turns out cyclic (possible only with factor reuse) is skipped.
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
   * @throws IllegalStateException if the search exceeds {@link #maxStates}
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

  /** Returns the number of search states created to find the first cover (for tests and tuning). */
  int statesToFirstCover(List<? extends MatrixExpr> outputs) {
    Search s = new Search(rules, maxStates, validate(outputs));
    s.hasNext();
    return s.states();
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

  /** The A* search; see the overview. */
  private static final class Search implements Iterator<Cover> {
    private final RuleSet rules;
    private final int maxStates;
    private final List<MatrixExpr> targets;
    private final Map<MatrixExpr, List<Step>> steps = new HashMap<>();
    private final Map<MatrixExpr, Double> minCost = new HashMap<>();
    private final Map<MatrixExpr, MatrixExpr> privateTo = new HashMap<>();
    private final Map<MatrixExpr, Integer> size = new HashMap<>();
    private final Map<Step, Integer> ids = new java.util.IdentityHashMap<>(); // steps are memoized
    private final List<Step> byId = new ArrayList<>();
    private final Set<BitSet> visited = new HashSet<>();
    private final PriorityQueue<State> queue =
        new PriorityQueue<>(Comparator.comparingDouble((State s) -> s.f)
            .thenComparingDouble(s -> -s.g) // among equals, the most complete first
            .thenComparingLong(s -> s.seq));
    private final Comparator<MatrixExpr> pendingOrder =
        Comparator.comparingInt((MatrixExpr e) -> -size(e)).thenComparing(MatrixExpr::toString);
    private long seq;
    private int states;
    private Cover next;

    Search(RuleSet rules, int maxStates, List<MatrixExpr> targets) {
      this.rules = rules;
      this.maxStates = maxStates;
      this.targets = targets;
      List<MatrixExpr> pending = new ArrayList<>();
      for (MatrixExpr t : targets) {
        if (stepsFor(t).isEmpty()) {
          throw new IllegalArgumentException(MatrixMessages.noRule(t));
        }
        pending.add(t);
      }
      findPrivateValues();
      double h = 0;
      for (MatrixExpr t : targets) {
        h += minCost(t);
      }
      pending.sort(pendingOrder);
      queue.add(new State(null, -1, 0, h, seq++, Set.of(), pending, new BitSet()));
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

    int states() {
      return states;
    }

    private Cover advance() {
      State s;
      while ((s = queue.poll()) != null) {
        if (s.pending.isEmpty()) {
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
      MatrixExpr v = s.pending.get(0);
      for (Step step : stepsFor(v)) {
        if (!usable(step, s)) {
          continue;
        }
        int id = ids.computeIfAbsent(step, c -> {
          byId.add(step);
          return byId.size() - 1;
        });
        BitSet key = (BitSet) s.key.clone();
        key.set(id);
        if (!visited.add(key)) {
          continue;
        }
        Set<MatrixExpr> avail = new HashSet<>(s.available);
        avail.addAll(step.outputs());
        List<MatrixExpr> pending = new ArrayList<>(s.pending.subList(1, s.pending.size()));
        double h = s.f - s.g - minCost(v);
        for (MatrixExpr in : step.inputs()) {
          if (!in.isLeaf() && !avail.contains(in) && !pending.contains(in)) {
            pending.add(in);
            h += minCost(in);
          }
        }
        if (Double.isInfinite(h)) {
          continue;
        }
        pending.sort(pendingOrder);
        if (++states > maxStates) {
          throw new IllegalStateException(MatrixMessages.searchLimit(maxStates, targets));
        }
        double g = s.g + step.cost();
        queue.add(new State(s, id, g, g + Math.max(0, h), seq++, avail, pending, key));
      }
    }

    private boolean usable(Step step, State s) {
      List<MatrixExpr> outs = step.outputs();
      for (int k = 1; k < outs.size(); k++) {
        if (s.available.contains(outs.get(k)) || s.pending.contains(outs.get(k))) {
          return false; // another step already produces it
        }
      }
      for (MatrixExpr in : step.inputs()) {
        if (in instanceof Factor && !s.available.contains(in)) {
          return false; // factors come only as by-products of earlier steps
        }
      }
      return true;
    }

    private List<Step> stepsFor(MatrixExpr v) {
      List<Step> l = steps.get(v);
      if (l == null) {
        l = rules.steps(v);
        steps.put(v, l);
      }
      return l;
    }

    /** Records, for every value only the steps of one other value read, that value. */
    private void findPrivateValues() {
      Map<MatrixExpr, Set<MatrixExpr>> consumers = new HashMap<>();
      List<MatrixExpr> todo = new ArrayList<>(targets);
      Set<MatrixExpr> seen = new HashSet<>(targets);
      for (int i = 0; i < todo.size(); i++) {
        MatrixExpr v = todo.get(i);
        for (Step s : stepsFor(v)) {
          for (MatrixExpr w : s.inputs()) {
            if (w.isLeaf() || w instanceof Factor) {
              continue;
            }
            consumers.computeIfAbsent(w, k -> new HashSet<>()).add(v);
            if (seen.add(w)) {
              todo.add(w);
            }
          }
        }
      }
      Set<MatrixExpr> targetSet = new HashSet<>(targets);
      for (var e : consumers.entrySet()) {
        if (e.getValue().size() == 1 && !targetSet.contains(e.getKey())) {
          privateTo.put(e.getKey(), e.getValue().iterator().next());
        }
      }
    }

    /** Returns lb(v): see the overview. */
    private double minCost(MatrixExpr v) {
      Double c = minCost.get(v);
      if (c == null) {
        double best = Double.POSITIVE_INFINITY;
        for (Step s : stepsFor(v)) {
          double total = s.cost();
          for (MatrixExpr w : s.inputs()) {
            if (v.equals(privateTo.get(w))) {
              total += minCost(w);
            }
          }
          best = Math.min(best, total);
        }
        minCost.put(v, best);
        c = best;
      }
      return c;
    }

    private int size(MatrixExpr e) {
      Integer n = size.get(e);
      if (n == null) {
        int total = 1;
        for (MatrixExpr c : e.children()) {
          total += size(c);
        }
        size.put(e, total);
        n = total;
      }
      return n;
    }
  }

  /** A partial cover: the last step chosen, costs, and what is available and still needed. */
  private static final class State {
    final State parent;
    final int stepId;
    final double g;
    final double f;
    final long seq;
    final Set<MatrixExpr> available;
    final List<MatrixExpr> pending;
    final BitSet key;

    State(State parent, int stepId, double g, double f, long seq, Set<MatrixExpr> available,
        List<MatrixExpr> pending, BitSet key) {
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

  static Map<String, Symbol> symbolsByName(List<? extends MatrixExpr> es) {
    Map<String, Symbol> out = new LinkedHashMap<>();
    for (MatrixExpr e : es) {
      for (Symbol s : e.symbols()) {
        out.putIfAbsent(s.name(), s);
      }
    }
    return out;
  }
}
