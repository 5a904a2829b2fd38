package io.memoflow.dag;

import static java.util.Objects.requireNonNull;

import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * ({@link CycleException} names it). {@link #order()} is a topological order that depends only
 * on the set (same composite, same order, every run).
 *
 * <p>Instances are immutable and thread-safe. Lists and sets returned are unmodifiable; no
 * method accepts or returns null.
 */
public final class CompositeComputation {
  /*
   * Overview: computations are first put in a canonical order (by a stable 64-bit hash of
   * operation name, outputs and inputs; ties by text), which makes everything after it
   * independent of insertion order. One hash map indexes every produced variable by an output
   * "slot"; inputs are resolved to slots once (flat array) and edges kept as CSR arrays.
   * Kahn's algorithm (FIFO, canonical order) gives the topological order; if it stops short,
   * the remaining nodes all have a remaining predecessor, so walking predecessors finds a
   * cycle. Everything is linear in the number of computations and edges but for the sort.
   */

  private final Computation[] order;
  private final Map<Expr, Integer> slotOf; // produced variable -> slot
  private final int[] slotPos; // slot -> position of producer in order
  private final int[] predStart, pred; // CSR, by position: distinct predecessor positions
  private final int[] succStart, succ; // CSR, by position: distinct successor positions
  private final List<Expr> inputs;
  private final List<Expr> outputs;
  private final Set<Expr> requested;
  private volatile Map<Expr, int[]> consumers; // lazily built
  private int hash; // lazily computed; 0 = not yet

  private CompositeComputation(List<? extends Computation> raw, Collection<? extends Expr> req) {
    Computation[] canon = canonicalOrder(raw);
    int n0 = canon.length;

    // Index outputs by slot; drop exact duplicates; reject a second producer.
    Map<Expr, Integer> slots = new HashMap<>(Math.max(16, (int) (n0 * 1.5 / 0.75)));
    Computation[] kept = new Computation[n0];
    int[] keptSlotStart = new int[n0 + 1];
    int m = 0, slotCount = 0;
    for (Computation c : canon) {
      Integer s0 = slots.get(c.outputs().get(0));
      if (s0 != null && kept[slotOwner(keptSlotStart, m, s0)].equals(c)) {
        continue; // the same computation twice: a set holds it once
      }
      keptSlotStart[m] = slotCount;
      for (Expr o : c.outputs()) {
        Integer prev = slots.putIfAbsent(o, slotCount);
        if (prev != null) {
          throw new IllegalArgumentException(
              Messages.twoProducers(o, kept[slotOwner(keptSlotStart, m, prev)], c));
        }
        slotCount++;
      }
      kept[m++] = c;
    }
    keptSlotStart[m] = slotCount;
    int[] slotComp = new int[slotCount];
    for (int i = 0; i < m; i++) {
      for (int s = keptSlotStart[i]; s < keptSlotStart[i + 1]; s++) {
        slotComp[s] = i;
      }
    }

    // Resolve every input to a slot (-1: a graph input) once; count edges.
    int[] inStart = new int[m + 1];
    for (int i = 0; i < m; i++) {
      inStart[i + 1] = inStart[i] + kept[i].inputs().size();
    }
    int[] inSlot = new int[inStart[m]];
    int[] indeg = new int[m];
    int[] outdeg = new int[m];
    for (int i = 0; i < m; i++) {
      List<Expr> ins = kept[i].inputs();
      for (int k = 0; k < ins.size(); k++) {
        Integer s = slots.get(ins.get(k));
        int slot = s == null ? -1 : s;
        inSlot[inStart[i] + k] = slot;
        if (slot >= 0) {
          indeg[i]++;
          outdeg[slotComp[slot]]++;
        }
      }
    }
    int[] cStart = new int[m + 1];
    for (int i = 0; i < m; i++) {
      cStart[i + 1] = cStart[i] + outdeg[i];
    }
    int[] cSucc = new int[cStart[m]];
    int[] fill = Arrays.copyOf(cStart, m);
    for (int i = 0; i < m; i++) {
      for (int k = inStart[i]; k < inStart[i + 1]; k++) {
        if (inSlot[k] >= 0) {
          cSucc[fill[slotComp[inSlot[k]]]++] = i;
        }
      }
    }

    // Kahn's algorithm, FIFO over canonical indices.
    int[] topo = new int[m];
    int head = 0, tail = 0;
    int[] remaining = indeg.clone();
    for (int i = 0; i < m; i++) {
      if (remaining[i] == 0) {
        topo[tail++] = i;
      }
    }
    while (head < tail) {
      int p = topo[head++];
      for (int k = cStart[p]; k < cStart[p + 1]; k++) {
        if (--remaining[cSucc[k]] == 0) {
          topo[tail++] = cSucc[k];
        }
      }
    }
    if (tail < m) {
      throw new CycleException(findCycle(kept, remaining, inStart, inSlot, slotComp));
    }

    // Renumber by topological position.
    int[] pos = new int[m];
    this.order = new Computation[m];
    for (int q = 0; q < m; q++) {
      order[q] = kept[topo[q]];
      pos[topo[q]] = q;
    }
    this.slotOf = slots;
    this.slotPos = new int[slotCount];
    for (int s = 0; s < slotCount; s++) {
      slotPos[s] = pos[slotComp[s]];
    }
    boolean[] consumed = new boolean[slotCount];
    LinkedHashSet<Expr> ins = new LinkedHashSet<>();
    int[][] predLists = new int[m][];
    int[] scratch = new int[16];
    for (int q = 0; q < m; q++) {
      int i = topo[q];
      int cnt = 0;
      for (int k = inStart[i]; k < inStart[i + 1]; k++) {
        int s = inSlot[k];
        if (s < 0) {
          ins.add(kept[i].inputs().get(k - inStart[i]));
          continue;
        }
        consumed[s] = true;
        int p = slotPos[s];
        if (!contains(scratch, cnt, p)) {
          if (cnt == scratch.length) {
            scratch = Arrays.copyOf(scratch, cnt * 2);
          }
          scratch[cnt++] = p;
        }
      }
      predLists[q] = Arrays.copyOf(scratch, cnt);
      Arrays.sort(predLists[q]);
    }
    this.predStart = new int[m + 1];
    for (int q = 0; q < m; q++) {
      predStart[q + 1] = predStart[q] + predLists[q].length;
    }
    this.pred = new int[predStart[m]];
    int[] succCount = new int[m];
    for (int q = 0; q < m; q++) {
      System.arraycopy(predLists[q], 0, pred, predStart[q], predLists[q].length);
      for (int p : predLists[q]) {
        succCount[p]++;
      }
    }
    this.succStart = new int[m + 1];
    for (int q = 0; q < m; q++) {
      succStart[q + 1] = succStart[q] + succCount[q];
    }
    this.succ = new int[succStart[m]];
    int[] sfill = Arrays.copyOf(succStart, m);
    for (int q = 0; q < m; q++) {
      for (int k = predStart[q]; k < predStart[q + 1]; k++) {
        succ[sfill[pred[k]]++] = q; // ascending q: successor lists come out sorted
      }
    }
    this.inputs = List.copyOf(ins);

    // Outputs: unconsumed or requested, in topological order; then requested graph inputs.
    LinkedHashSet<Expr> requestedSet = new LinkedHashSet<>();
    Set<Expr> known = new HashSet<>(ins);
    for (Expr r : req) {
      requireNonNull(r, "requested output");
      if (!slots.containsKey(r) && !known.contains(r)) {
        throw new IllegalArgumentException(Messages.unknownOutput(r, variableNames()));
      }
      requestedSet.add(r);
    }
    this.requested = Collections.unmodifiableSet(requestedSet);
    List<Expr> outs = new ArrayList<>();
    for (Computation c : order) {
      for (Expr o : c.outputs()) {
        if (!consumed[slots.get(o)] || requestedSet.contains(o)) {
          outs.add(o);
        }
      }
    }
    for (Expr r : requestedSet) {
      if (!slots.containsKey(r)) {
        outs.add(r);
      }
    }
    this.outputs = List.copyOf(outs);
  }

  private static boolean contains(int[] xs, int n, int x) {
    for (int i = 0; i < n; i++) {
      if (xs[i] == x) {
        return true;
      }
    }
    return false;
  }

  /** Returns the kept computation that owns {@code slot}, by binary search of slot starts. */
  private static int slotOwner(int[] slotStart, int m, int slot) {
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

  /** Sorts computations by a stable hash (ties by text) so nothing depends on insertion order. */
  private static Computation[] canonicalOrder(List<? extends Computation> raw) {
    int n = raw.size();
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      Computation c = requireNonNull(raw.get(i), "computation");
      keys[i] = stableKey(c);
    }
    long[] sorted = keys.clone();
    Arrays.sort(sorted);
    int[] fill = new int[n];
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      int r = Arrays.binarySearch(sorted, keys[i]);
      while (r > 0 && sorted[r - 1] == keys[i]) {
        r--;
      }
      perm[r + fill[r]++] = i;
    }
    Computation[] out = new Computation[n];
    for (int r = 0; r < n; r++) {
      out[r] = raw.get(perm[r]);
    }
    for (int a = 0; a < n; ) {
      int b = a + 1;
      while (b < n && sorted[b] == sorted[a]) {
        b++;
      }
      if (b - a > 1) {
        Arrays.sort(out, a, b, Comparator.comparing(Computation::toString));
      }
      a = b;
    }
    return out;
  }

  private static long stableKey(Computation c) {
    long h = mix(c.operation().name().hashCode());
    for (Expr o : c.outputs()) {
      h = mix(h * 31 + o.hashCode());
    }
    for (Expr i : c.inputs()) {
      h = mix(h * 37 + i.hashCode());
    }
    return h;
  }

  private static long mix(long z) { // SplitMix64 finalizer
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static List<Object> findCycle(
      Computation[] kept, int[] remaining, int[] inStart, int[] inSlot, int[] slotComp) {
    int start = 0;
    while (remaining[start] == 0) {
      start++;
    }
    // Every remaining node has a remaining predecessor: walk them until a node repeats.
    Map<Integer, Integer> seenAt = new HashMap<>();
    List<Integer> path = new ArrayList<>();
    List<Expr> via = new ArrayList<>(); // via.get(k): the variable path[k] reads from path[k+1]
    int cur = start;
    while (!seenAt.containsKey(cur)) {
      seenAt.put(cur, path.size());
      path.add(cur);
      int next = -1;
      for (int k = inStart[cur]; k < inStart[cur + 1] && next < 0; k++) {
        if (inSlot[k] >= 0 && remaining[slotComp[inSlot[k]]] > 0) {
          next = slotComp[inSlot[k]];
          via.add(kept[cur].inputs().get(k - inStart[cur]));
        }
      }
      cur = next;
    }
    int t = seenAt.get(cur);
    // Forward direction: path[j-1] -> ... -> path[t]; path[k+1] produces via[k], read by path[k].
    List<Object> cycle = new ArrayList<>();
    int j = path.size();
    cycle.add(via.get(j - 1)); // read by path[j-1], produced by path[t]
    for (int k = j - 1; k >= t; k--) {
      cycle.add(kept[path.get(k)]);
      cycle.add(k > t ? via.get(k - 1) : via.get(j - 1));
    }
    return cycle;
  }

  // ---------------------------------------------------------------- factories

  /**
   * Returns the composite of these computations (duplicates kept once).
   *
   * @throws IllegalArgumentException if two computations produce one variable
   * @throws CycleException if the computations form a cycle
   */
  public static CompositeComputation of(Computation... computations) {
    return new CompositeComputation(Arrays.asList(computations), List.of());
  }

  /**
   * Returns the composite of these computations (duplicates kept once).
   *
   * @throws IllegalArgumentException if two computations produce one variable
   * @throws CycleException if the computations form a cycle
   */
  public static CompositeComputation of(Collection<? extends Computation> computations) {
    return new CompositeComputation(List.copyOf(computations), List.of());
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
    return new CompositeComputation(List.copyOf(computations), List.copyOf(outputs));
  }

  /**
   * Returns the flattened union of these composites: all their computations, all their
   * requested outputs. Associative and commutative; composing a composite with itself returns
   * an equal one.
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
    return new CompositeComputation(all, req);
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
    return new CompositeComputation(Arrays.asList(order), req);
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
   * Returns the computations in a topological order (each after the producers of its inputs)
   * that depends only on the set of computations; an unmodifiable list.
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
    List<Expr> vs = new ArrayList<>(inputs);
    for (Computation c : order) {
      vs.addAll(c.outputs());
    }
    return Collections.unmodifiableList(vs);
  }

  /** Returns whether {@code variable} is read or produced here. */
  public boolean hasVariable(Expr variable) {
    return slotOf.containsKey(variable) || inputs.contains(variable);
  }

  /** Returns the computation that produces {@code variable}, if one here does. */
  public Optional<Computation> producerOf(Expr variable) {
    int q = positionOf(variable);
    return q < 0 ? Optional.empty() : Optional.of(order[q]);
  }

  /** Returns the computations that read {@code variable}, in {@link #order()}. */
  public List<Computation> consumersOf(Expr variable) {
    int[] qs = consumerIndex().get(variable);
    return qs == null ? List.of() : positions(qs, 0, qs.length);
  }

  /** Returns the distinct computations whose outputs {@code c} reads, in order. */
  public List<Computation> predecessors(Computation c) {
    int q = requirePosition(c);
    return positions(pred, predStart[q], predStart[q + 1]);
  }

  /** Returns the distinct computations that read an output of {@code c}, in order. */
  public List<Computation> successors(Computation c) {
    int q = requirePosition(c);
    return positions(succ, succStart[q], succStart[q + 1]);
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
   */
  public int[] predecessorIndices(int index) {
    return Arrays.copyOfRange(pred, predStart[index], predStart[index + 1]);
  }

  /** Returns the positions of the distinct successors of the computation at {@code index}. */
  public int[] successorIndices(int index) {
    return Arrays.copyOfRange(succ, succStart[index], succStart[index + 1]);
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
    boolean[] seen = new boolean[from + 1];
    int[] stack = new int[from + 1];
    int sp = 0;
    stack[sp++] = from;
    seen[from] = true;
    while (sp > 0) {
      int q = stack[--sp];
      for (int k = predStart[q]; k < predStart[q + 1]; k++) {
        int p = pred[k];
        if (p == target) {
          return true;
        }
        if (p > target && !seen[p]) {
          seen[p] = true;
          stack[sp++] = p;
        }
      }
    }
    return false;
  }

  /**
   * Returns the sub-composite of the computations needed to produce {@code variables}
   * (their producers and everything those read from, transitively). Variables that are graph
   * inputs need nothing.
   *
   * @throws IllegalArgumentException if a variable is not here
   */
  public CompositeComputation upstream(Collection<? extends Expr> variables) {
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
    while (sp > 0) {
      int q = stack[--sp];
      for (int k = predStart[q]; k < predStart[q + 1]; k++) {
        if (!keep[pred[k]]) {
          keep[pred[k]] = true;
          stack[sp++] = pred[k];
        }
      }
    }
    return subset(keep, List.of());
  }

  /**
   * Returns the sub-composite of the computations that read {@code variables}, directly or
   * through other computations.
   *
   * @throws IllegalArgumentException if a variable is not here
   */
  public CompositeComputation downstream(Collection<? extends Expr> variables) {
    boolean[] keep = new boolean[order.length];
    int[] stack = new int[order.length];
    int sp = 0;
    for (Expr v : variables) {
      requireVariable(v);
      int[] qs = consumerIndex().get(v);
      for (int q : qs == null ? new int[0] : qs) {
        if (!keep[q]) {
          keep[q] = true;
          stack[sp++] = q;
        }
      }
    }
    while (sp > 0) {
      int q = stack[--sp];
      for (int k = succStart[q]; k < succStart[q + 1]; k++) {
        if (!keep[succ[k]]) {
          keep[succ[k]] = true;
          stack[sp++] = succ[k];
        }
      }
    }
    return subset(keep, List.of());
  }

  /**
   * Returns exactly the computations needed for {@code outputs}, with {@code outputs} requested:
   * what to run when only these results are wanted.
   *
   * @throws IllegalArgumentException if an output is not a variable here
   */
  public CompositeComputation prune(Collection<? extends Expr> outputs) {
    CompositeComputation up = upstream(outputs);
    return new CompositeComputation(Arrays.asList(up.order), List.copyOf(outputs));
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
    return GraphText.dot(this);
  }

  /** Returns a Mermaid flowchart of the same drawing as {@link #toDot()}. Deterministic. */
  public String toMermaid() {
    return GraphText.mermaid(this);
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

  private int positionOf(Expr variable) {
    Integer s = slotOf.get(variable);
    return s == null ? -1 : slotPos[s];
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
      throw new IllegalArgumentException(
          "Variable " + v + " is not read or produced by this composite."
              + suggestion(v) + " Pass one of variables().");
    }
  }

  private String suggestion(Expr v) {
    List<String> close = Messages.closest(v.toString(), variableNames(), 3);
    return close.isEmpty() ? "" : " Did you mean " + String.join(" or ", close) + "?";
  }

  private List<String> variableNames() {
    List<String> names = new ArrayList<>();
    for (Expr e : slotOf.keySet()) {
      names.add(e.toString());
    }
    if (inputs != null) {
      for (Expr e : inputs) {
        names.add(e.toString());
      }
    }
    return names;
  }

  private List<Computation> positions(int[] qs, int from, int to) {
    List<Computation> out = new ArrayList<>(to - from);
    for (int k = from; k < to; k++) {
      out.add(order[qs[k]]);
    }
    return Collections.unmodifiableList(out);
  }

  private Map<Expr, int[]> consumerIndex() {
    Map<Expr, int[]> idx = consumers;
    if (idx == null) {
      Map<Expr, List<Integer>> lists = new HashMap<>();
      for (int q = 0; q < order.length; q++) {
        for (Expr in : order[q].inputs()) {
          List<Integer> l = lists.computeIfAbsent(in, k -> new ArrayList<>(2));
          if (l.isEmpty() || l.get(l.size() - 1) != q) {
            l.add(q);
          }
        }
      }
      idx = new HashMap<>(lists.size() * 2);
      for (var e : lists.entrySet()) {
        idx.put(e.getKey(), e.getValue().stream().mapToInt(Integer::intValue).toArray());
      }
      consumers = idx;
    }
    return idx;
  }

  private CompositeComputation subset(boolean[] keep, Collection<Expr> req) {
    List<Computation> cs = new ArrayList<>();
    for (int q = 0; q < order.length; q++) {
      if (keep[q]) {
        cs.add(order[q]);
      }
    }
    return new CompositeComputation(cs, req);
  }

  /** Iterates {@code order} without copying; used by the exporters. */
  Computation[] orderArray() {
    return order;
  }
}
