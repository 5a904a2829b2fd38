package io.memoflow.dag;

import static java.util.Objects.requireNonNull;

import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable set of {@link Computation}s whose edges are inferred from shared variables: a
 * computation that reads a variable depends on the one that produces it.
 *
 * <p>{@link #inputs()} are the variables read but not produced inside; {@link #outputs()} are
 * those produced but not read inside, plus any {@link #requestedOutputs() requested} with
 * {@link #withOutputs}. Composing composites flattens them into one set. Two composites are
 * equal when they hold the same computations and request the same outputs, whatever the order
 * they were built in.
 *
 * <p>Construction validates: every variable has at most one producer and there is no cycle
 * ({@link CycleException} names it). A computation given twice is kept once.
 *
 * <p><b>Order.</b> {@link #order()} is a topological order that keeps the order in which the
 * computations were given wherever the edges allow: a sequence that is already topological
 * (as every {@link Dag#builder() builder} produces) is kept as it is, and a computation given
 * before one of its producers is moved just after that producer. The order is deterministic
 * (the same sequence gives the same order, in every run) but depends on the sequence: two
 * equal composites built from different sequences may list their computations differently.
 *
 * <p>Instances are immutable and thread-safe. Lists and sets returned are unmodifiable; no
 * method accepts or returns null.
 */
public final class CompositeComputation {
  /*
   * Overview: the graph is kept as flat int arrays over positions in the order. Every output of
   * the computation at position q has a "slot" (outStart[q] .. outStart[q + 1] - 1, numbered by
   * position), every input a "ref": the slot of its producer, or ~g for graph input g
   * (inStart/inRef, compressed sparse rows). This class owns the queries over those arrays;
   * building them is CompositeAssembly's job (validation, resolving every input to a ref: the
   * bulk path, the general path and the builder's arrays), ordering them TopologicalOrder's
   * (depth-first search that keeps the given order where the edges allow). The expression
   * index and the predecessor/successor and reader rows (Adjacency) are built on first use;
   * every query is linear in what it touches.
   */

  private final Computation[] order;
  private final int[] outStart; // position -> first slot; outStart[size] = number of slots
  private final int[] inStart; // position -> first input ref
  private final int[] inRef; // slot >= 0 of the producer, or ~g for graph input g
  private final List<Expr> inputs;
  private final List<Expr> outputs;
  private final Set<Expr> requested;
  private volatile HashIndex index; // variable -> its ref (slot or ~g); built on first use
  private volatile Adjacency adjacency; // built on first use
  private int hash; // lazily computed; 0 = not yet

  /** Takes ownership of arrays that already describe a valid, topologically ordered graph. */
  CompositeComputation(
      Computation[] order,
      int[] outStart,
      int[] inStart,
      int[] inRef,
      List<Expr> inputs,
      int[] requestedRefs,
      Set<Expr> requested,
      HashIndex index,
      Object[] slotExprs) {
    this.order = order;
    this.outStart = outStart;
    this.inStart = inStart;
    this.inRef = inRef;
    this.inputs = Collections.unmodifiableList(inputs);
    this.requested = Collections.unmodifiableSet(requested);
    this.index = index;
    this.outputs =
        CompositeAssembly.outputs(order, outStart, inRef, inputs, requestedRefs, slotExprs);
  }

  /** Returns the kept computation that owns {@code slot}, by binary search of slot starts. */
  static int slotOwner(int[] slotStart, int m, int slot) {
    int lo = 0, hi = m - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (slotStart[mid] <= slot) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  // ---------------------------------------------------------------- factories

  /**
   * Returns the composite of these computations (duplicates kept once).
   *
   * @throws IllegalArgumentException if two computations produce one variable
   * @throws CycleException if the computations form a cycle
   */
  public static CompositeComputation of(Computation... computations) {
    return CompositeAssembly.assemble(Arrays.asList(computations), List.of());
  }

  /**
   * Returns the composite of these computations (duplicates kept once). This is the way to
   * build a very large generated graph: all computations are known at once, so their edges are
   * found in bulk, in passes that stay cache-friendly at millions of computations. Given in a
   * topological order, they keep it.
   *
   * @throws IllegalArgumentException if two computations produce one variable
   * @throws CycleException if the computations form a cycle
   */
  public static CompositeComputation of(Collection<? extends Computation> computations) {
    return CompositeAssembly.assemble(Arrays.asList(computations.toArray(new Computation[0])), List.of());
  }

  /**
   * Returns the composite of these computations, also requesting {@code outputs}.
   *
   * @throws IllegalArgumentException if a requested output is not a variable, or two
   *     computations produce one variable
   * @throws CycleException if the computations form a cycle
   */
  public static CompositeComputation of(
      Collection<? extends Computation> computations, Collection<? extends Expr> outputs) {
    return CompositeAssembly.assemble(List.copyOf(computations), List.copyOf(outputs));
  }

  /**
   * Returns the flattened union of these composites: all their computations, all their
   * requested outputs. Associative and commutative (as sets: the {@link #order()} follows the
   * parts' orders, first part first); composing a composite with itself returns an equal one.
   *
   * @throws IllegalArgumentException if two computations produce one variable
   * @throws CycleException if the union has a cycle
   */
  public static CompositeComputation compose(CompositeComputation... parts) {
    return compose(Arrays.asList(parts));
  }

  /** Returns the flattened union of these composites; see {@link #compose(CompositeComputation...)}. */
  public static CompositeComputation compose(Collection<CompositeComputation> parts) {
    List<Computation> all = new ArrayList<>();
    LinkedHashSet<Expr> req = new LinkedHashSet<>();
    for (CompositeComputation p : parts) {
      all.addAll(Arrays.asList(p.order));
      req.addAll(p.requested);
    }
    return CompositeAssembly.assemble(all, req);
  }

  /**
   * Returns this composite with {@code outputs} requested as well, so they are among {@link
   * #outputs()} even when read inside.
   *
   * @throws IllegalArgumentException if one of them is not a variable of this composite
   */
  public CompositeComputation withOutputs(Collection<? extends Expr> outputs) {
    LinkedHashSet<Expr> req = new LinkedHashSet<>(requested);
    req.addAll(outputs);
    return CompositeAssembly.assemble(Arrays.asList(order), req);
  }

  /** Returns this composite with {@code outputs} requested as well; see {@link #withOutputs(Collection)}. */
  public CompositeComputation withOutputs(Expr... outputs) {
    return withOutputs(Arrays.asList(outputs));
  }

  // ---------------------------------------------------------------- views

  /** Returns the number of computations. */
  public int size() {
    return order.length;
  }

  /** Returns the computations as an unmodifiable set view iterating in {@link #order()}. */
  public Set<Computation> computations() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Computation> iterator() {
        return order().iterator();
      }

      @Override
      public int size() {
        return order.length;
      }

      @Override
      public boolean contains(Object o) {
        return o instanceof Computation c && CompositeComputation.this.contains(c);
      }
    };
  }

  /**
   * Returns the computations in a topological order (each after the producers of its inputs);
   * an unmodifiable list. The order keeps the sequence the computations were given in wherever
   * the edges allow; see the class documentation.
   */
  public List<Computation> order() {
    return Collections.unmodifiableList(Arrays.asList(order));
  }

  /** Returns whether this composite holds {@code c}. */
  public boolean contains(Computation c) {
    int q = positionOf(c.outputs().get(0));
    return q >= 0 && order[q].equals(c);
  }

  /** Returns the variables read but not produced here, in order of first reader. */
  public List<Expr> inputs() {
    return inputs;
  }

  /**
   * Returns the variables produced but not read here, plus every requested output, in
   * topological order of their producers (requested graph inputs last).
   */
  public List<Expr> outputs() {
    return outputs;
  }

  /** Returns the outputs requested with {@link #withOutputs}, in request order. */
  public Set<Expr> requestedOutputs() {
    return requested;
  }

  /** Returns every variable: inputs, then the outputs of each computation in order. */
  public List<Expr> variables() {
    List<Expr> vs = new ArrayList<>(inputs.size() + outStart[order.length]);
    vs.addAll(inputs);
    for (Computation c : order) {
      vs.addAll(c.outputs());
    }
    return Collections.unmodifiableList(vs);
  }

  /** Returns whether {@code variable} is read or produced here. */
  public boolean hasVariable(Expr variable) {
    return index().get(requireNonNull(variable, "variable")) != HashIndex.ABSENT;
  }

  /** Returns the computation that produces {@code variable}, if one here does. */
  public Optional<Computation> producerOf(Expr variable) {
    int q = positionOf(variable);
    return q < 0 ? Optional.empty() : Optional.of(order[q]);
  }

  /** Returns the computations that read {@code variable}, in {@link #order()}. */
  public List<Computation> consumersOf(Expr variable) {
    int r = index().get(requireNonNull(variable, "variable"));
    if (r == HashIndex.ABSENT) {
      return List.of();
    }
    Adjacency a = adjacency();
    int ref = r >= 0 ? r : outStart[order.length] + ~r;
    return positions(a.read, a.readStart[ref], a.readStart[ref + 1]);
  }

  /** Returns the distinct computations whose outputs {@code c} reads, in order. */
  public List<Computation> predecessors(Computation c) {
    int q = requirePosition(c);
    Adjacency a = adjacency();
    return positions(a.pred, a.predStart[q], a.predStart[q + 1]);
  }

  /** Returns the distinct computations that read an output of {@code c}, in order. */
  public List<Computation> successors(Computation c) {
    int q = requirePosition(c);
    Adjacency a = adjacency();
    return positions(a.succ, a.succStart[q], a.succStart[q + 1]);
  }

  /**
   * Returns the position of {@code c} in {@link #order()}.
   *
   * @throws IllegalArgumentException if {@code c} is not here
   */
  public int indexOf(Computation c) {
    return requirePosition(c);
  }

  /**
   * Returns the positions in {@link #order()} of the distinct predecessors of the computation at
   * {@code index}, ascending; a fresh array. For schedulers that work by index.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not a position of {@link #order()}
   */
  public int[] predecessorIndices(int index) {
    Objects.checkIndex(index, order.length);
    Adjacency a = adjacency();
    return Arrays.copyOfRange(a.pred, a.predStart[index], a.predStart[index + 1]);
  }

  /**
   * Returns the positions of the distinct successors of the computation at {@code index},
   * ascending; a fresh array.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not a position of {@link #order()}
   */
  public int[] successorIndices(int index) {
    Objects.checkIndex(index, order.length);
    Adjacency a = adjacency();
    return Arrays.copyOfRange(a.succ, a.succStart[index], a.succStart[index + 1]);
  }

  /**
   * Returns, for each input of the computation at {@code index} in order, the position of that
   * variable in {@link #variables()}; a fresh array. For schedulers that keep values by position.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not a position of {@link #order()}
   */
  public int[] inputVariableIndices(int index) {
    Objects.checkIndex(index, order.length);
    int[] out = new int[inStart[index + 1] - inStart[index]];
    for (int k = 0; k < out.length; k++) {
      out[k] = variablePosition(inRef[inStart[index] + k]);
    }
    return out;
  }

  /** Returns the position of {@code variable} in {@link #variables()}, or -1 if it is not here. */
  public int variableIndex(Expr variable) {
    int r = index().get(requireNonNull(variable, "variable"));
    return r == HashIndex.ABSENT ? -1 : variablePosition(r);
  }

  /** The position in {@link #variables()} of a ref: an output slot, or ~g for graph input g. */
  private int variablePosition(int ref) {
    return ref >= 0 ? inputs.size() + ref : ~ref;
  }

  /**
   * Returns whether {@code later} reads, directly or through other computations, an output of
   * {@code earlier}. A computation does not depend on itself.
   *
   * @throws IllegalArgumentException if either is not here
   */
  public boolean dependsOn(Computation later, Computation earlier) {
    int target = requirePosition(earlier);
    int from = requirePosition(later);
    if (target >= from) {
      return false; // topological order: nothing at or after 'later' feeds it
    }
    return adjacency().reaches(from, target);
  }

  /**
   * Returns the sub-composite of the computations needed to produce {@code variables}
   * (their producers and everything those read from, transitively). Variables that are graph
   * inputs need nothing.
   *
   * @throws IllegalArgumentException if a variable is not here
   */
  public CompositeComputation upstream(Collection<? extends Expr> variables) {
    Adjacency a = adjacency();
    boolean[] keep = new boolean[order.length];
    int[] stack = new int[order.length];
    int sp = 0;
    for (Expr v : variables) {
      requireVariable(v);
      int q = positionOf(v);
      if (q >= 0 && !keep[q]) {
        keep[q] = true;
        stack[sp++] = q;
      }
    }
    a.markUpstream(keep, stack, sp);
    return subset(keep, List.of());
  }

  /**
   * Returns the sub-composite of the computations that read {@code variables}, directly or
   * through other computations.
   *
   * @throws IllegalArgumentException if a variable is not here
   */
  public CompositeComputation downstream(Collection<? extends Expr> variables) {
    Adjacency a = adjacency();
    int slots = outStart[order.length];
    boolean[] keep = new boolean[order.length];
    int[] stack = new int[order.length];
    int sp = 0;
    for (Expr v : variables) {
      requireVariable(v);
      int r = index().get(v);
      int ref = r >= 0 ? r : slots + ~r;
      for (int k = a.readStart[ref]; k < a.readStart[ref + 1]; k++) {
        int q = a.read[k];
        if (!keep[q]) {
          keep[q] = true;
          stack[sp++] = q;
        }
      }
    }
    a.markDownstream(keep, stack, sp);
    return subset(keep, List.of());
  }

  /**
   * Returns exactly the computations needed for {@code outputs}, with {@code outputs} requested:
   * what to run when only these results are wanted. A wanted graph input that no kept
   * computation reads is not a variable of the result, so it is not requested there.
   *
   * @throws IllegalArgumentException if an output is not a variable here
   */
  public CompositeComputation prune(Collection<? extends Expr> outputs) {
    CompositeComputation up = upstream(outputs);
    List<Expr> req = new ArrayList<>(outputs.size());
    for (Expr o : outputs) {
      if (positionOf(o) >= 0 || up.hasVariable(o)) {
        req.add(o);
      }
    }
    return CompositeAssembly.assemble(Arrays.asList(up.order), req);
  }

  /** Returns exactly the computations needed for {@code outputs}; see {@link #prune(Collection)}. */
  public CompositeComputation prune(Expr... outputs) {
    return prune(Arrays.asList(outputs));
  }

  // ---------------------------------------------------------------- export

  /**
   * Returns a Graphviz DOT drawing: variables as ellipses, operations as boxes, edges labelled
   * with the operation's input and output names. Deterministic.
   */
  public String toDot() {
    return graphText().toDot();
  }

  /** Returns a Mermaid flowchart of the same drawing as {@link #toDot()}. Deterministic. */
  public String toMermaid() {
    return graphText().toMermaid();
  }

  /** Returns the same drawing as {@link #toDot()} as standalone SVG ({@link GraphText#toSvg()}). */
  public String toSvg() {
    return graphText().toSvg();
  }

  /**
   * Returns the drawing of this composite: variable {@code v}k is position k of {@link
   * #variables()}, operation {@code c}q position q of {@link #order()}; each operation is
   * followed by its input edges, then its output edges.
   */
  private GraphText graphText() {
    GraphText.Builder b = GraphText.builder();
    List<Expr> vs = variables();
    for (int k = 0; k < vs.size(); k++) {
      b.variable("v" + k, vs.get(k).toString());
    }
    for (int q = 0; q < order.length; q++) {
      Operation op = order[q].operation();
      String id = "c" + q;
      b.operation(id, op.name());
      List<String> in = op.inputNames();
      for (int k = inStart[q]; k < inStart[q + 1]; k++) {
        b.edge("v" + variablePosition(inRef[k]), id, in.get(k - inStart[q]));
      }
      List<String> out = op.outputNames();
      for (int s = outStart[q]; s < outStart[q + 1]; s++) {
        b.edge(id, "v" + (inputs.size() + s), out.get(s - outStart[q]));
      }
    }
    return b.build();
  }

  /** Returns one line per computation in {@link #order()}, such as {@code (lo, hi) = MinMax(x, y)}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Computation c : order) {
      sb.append(c).append('\n');
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CompositeComputation other)
        || other.order.length != order.length
        || !other.requested.equals(requested)) {
      return false;
    }
    for (Computation c : order) {
      if (!other.contains(c)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      for (Computation c : order) {
        h += c.hashCode();
      }
      h = 31 * h + requested.hashCode();
      hash = h == 0 ? 1 : h;
    }
    return hash;
  }

  // ---------------------------------------------------------------- internals

  private HashIndex index() {
    HashIndex idx = index;
    if (idx == null) {
      index = idx = CompositeAssembly.buildIndex(order, outStart, inputs);
    }
    return idx;
  }

  private Adjacency adjacency() {
    Adjacency a = adjacency;
    if (a == null) {
      adjacency = a = new Adjacency(order.length, outStart, inStart, inRef, inputs.size());
    }
    return a;
  }

  private int positionOf(Expr variable) {
    int s = index().get(requireNonNull(variable, "variable"));
    return s < 0 ? -1 : slotOwner(outStart, order.length, s);
  }

  private int requirePosition(Computation c) {
    requireNonNull(c, "computation");
    int q = positionOf(c.outputs().get(0));
    if (q < 0 || !order[q].equals(c)) {
      throw new IllegalArgumentException(
          "Computation " + c + " is not part of this composite. Pass one of computations().");
    }
    return q;
  }

  private void requireVariable(Expr v) {
    requireNonNull(v, "variable");
    if (!hasVariable(v)) {
      List<String> close = Messages.closest(v.toString(), CompositeAssembly.names(index()), 3);
      throw new IllegalArgumentException(
          "Variable " + v + " is not read or produced by this composite."
              + (close.isEmpty() ? "" : " Did you mean " + String.join(" or ", close) + "?")
              + " Pass one of variables().");
    }
  }

  private List<Computation> positions(int[] qs, int from, int to) {
    List<Computation> out = new ArrayList<>(to - from);
    for (int k = from; k < to; k++) {
      out.add(order[qs[k]]);
    }
    return Collections.unmodifiableList(out);
  }

  private CompositeComputation subset(boolean[] keep, Collection<Expr> req) {
    List<Computation> cs = new ArrayList<>();
    for (int q = 0; q < order.length; q++) {
      if (keep[q]) {
        cs.add(order[q]);
      }
    }
    return CompositeAssembly.assemble(cs, req);
  }
}
