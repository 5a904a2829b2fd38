package io.memoflow.inplace;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Digest;
import io.memoflow.dag.Expr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

/**
 * A composite indexed by integers for planning: values, readers, sizes, protection and the
 * overwrite pairs its operations declare.
 */
final class Graph {
  /*
   * Overview: nodes are the computations in a canonical topological order that depends on the
   * set of computations only (CanonicalOrder), so plans do not depend on the order the composite
   * was built in; values are numbered graph inputs first (in order of first reader), then the
   * outputs of each node in order. ValueSizes gives every value its size; a derived graph
   * carries its sizes over from the graph it derives from.
   */

  /** An overwrite the operation declares: output {@code k} of {@code node} over operand {@code j}. */
  record Pair(int node, int operand, int output, int value, int result, Kind kind) {}

  /** Whether a declared overwrite can be done in place. */
  enum Kind {
    /**
     * The result is larger than the operand (or, with exact sizes, of another size): it is
     * written to a separate buffer, no copy.
     */
    TOO_LARGE,
    /** The operand is protected or read twice by the node: always copied. */
    FORCED_COPY,
    /** In place if every other reader runs first; otherwise copied. */
    CANDIDATE
  }

  private volatile CompositeComputation composite; // built on first use when planned
  private final List<Computation> compositeParts; // for the lazy composite, else null
  final Set<Expr> requestedOutputs;
  final int inputCount; // values 0 .. inputCount - 1 are the graph inputs
  final Computation[] nodes; // canonical order: see CanonicalOrder
  final Digest[] key; // node -> digest of its first output: the canonical key
  final int[] keyRank; // node -> rank of its key among all nodes' keys
  final int[] nodeOfKeyRank; // the inverse
  final int[] nodeOfPosition; // position in the given order (composite.order()) -> node
  final int nodeCount;
  private int[][] preds; // node -> distinct predecessor nodes, ascending
  final Expr[] values;
  private volatile Map<Expr, Integer> valueId; // built on first use for a derived graph
  final int[] producer; // node, or -1 for graph inputs
  final int[][] inputs; // node -> operand -> value
  final int[][] outputs; // node -> output -> value
  final int[][] overwrites; // node -> output -> operand, or -1
  final int[][] readers; // value -> distinct reader nodes, ascending
  final long[] size;
  final boolean[] graphInput;
  final boolean[] requested;
  final boolean[] protect; // must survive the plan: non-donated input or requested output
  final boolean[] liveToEnd; // protected, or never read (a result)
  final List<Pair> pairs;
  final Set<Expr> donated;
  final int[] fromNodeOf; // derived graph: node -> node of d.from(), or -1 for a new one; else null
  final boolean exact; // buffers hold values of one size only

  Graph(CompositeComputation composite, ToLongFunction<Expr> sizeFunction, Collection<Expr> donatedIn) {
    this(composite, sizeFunction, donatedIn, false);
  }

  /** Builds the graph of {@code composite}. */
  Graph(CompositeComputation composite, ToLongFunction<Expr> sizeFunction, Collection<Expr> donatedIn,
      boolean exact) {
    this(composite, null, composite.order(), composite::predecessorIndices, composite.inputs().size(),
        composite.requestedOutputs(), sizeFunction, donatedIn, exact, null);
  }

  /**
   * How a graph is derived from a graph {@code from} already built, by inserting computations
   * (the planner's copies) into its given order, without hashing expressions again: per
   * position in the given order, the canonical key ({@code from}'s key for its computations,
   * the digest of a new computation's first output), the node of {@code from} or -1 for a new
   * computation, and per operand its source: {@code (position << 32) | output} for a value made
   * by the computation at that position, {@code -(x + 1)} for graph input {@code x} of {@code
   * from}. Sizes, protection and donation are carried over ({@code from}'s values keep theirs;
   * a new computation must be a {@link Copy}, whose output has its operand's size).
   */
  record Derivation(Graph from, Digest[] keys, int[] fromNode, long[][] operands) {}

  /**
   * Builds the graph of a composite not built yet, derived from {@code d.from()}: {@code given}
   * in a topological order with {@code preds[i]} the distinct positions in {@code given} of the
   * predecessors of {@code given.get(i)}. {@link #composite()} is {@code
   * CompositeComputation.of(parts, requestedOutputs)}, built on first use: the planner makes a
   * valid composite by construction and need not pay for validating it. Equal, field by field,
   * to the graph of that composite built from scratch.
   */
  Graph(List<Computation> given, int[][] preds, List<Computation> parts, Derivation d) {
    this(null, parts, given, i -> preds[i], d.from().inputCount, d.from().requestedOutputs, null,
        d.from().donated, d.from().exact, d);
  }

  private Graph(CompositeComputation composite, List<Computation> parts, List<Computation> given,
      IntFunction<int[]> predsOfGiven, int inputCount, Set<Expr> requestedOutputs,
      ToLongFunction<Expr> sizeFunction, Collection<Expr> donatedIn, boolean exact, Derivation d) {
    this.exact = exact;
    this.composite = composite;
    this.compositeParts = parts;
    this.requestedOutputs = requestedOutputs;
    this.inputCount = inputCount;
    this.nodeCount = given.size();
    this.nodes = new Computation[nodeCount];
    this.key = new Digest[nodeCount];
    this.keyRank = new int[nodeCount];
    this.nodeOfKeyRank = new int[nodeCount];
    this.nodeOfPosition = new int[nodeCount];
    CanonicalOrder.fill(this, predsOfGiven, given, d == null ? null : d.keys());
    int valueCount = inputCount;
    for (Computation c : nodes) {
      valueCount += c.outputs().size();
    }
    values = new Expr[valueCount];
    // Operands resolve to the outputs of the node's predecessors (compared by identity first, as
    // a composite shares its expressions), else to graph inputs: only those need a map.
    Map<Expr, Integer> ids = d == null ? new HashMap<>(Math.max(16, inputCount * 2)) : null;
    producer = new int[valueCount];
    graphInput = new boolean[valueCount];
    // Outputs are numbered after the graph inputs; graph inputs in order of first reader.
    int v = inputCount;
    outputs = new int[nodeCount][];
    for (int q = 0; q < nodeCount; q++) {
      List<Expr> outs = nodes[q].outputs();
      int[] o = new int[outs.size()];
      for (int k = 0; k < o.length; k++) {
        values[v] = outs.get(k);
        producer[v] = q;
        o[k] = v++;
      }
      outputs[q] = o;
    }
    // Graph inputs numbered in order of first reader, operands resolved in the same pass.
    inputs = new int[nodeCount][];
    int[] positionOfNode = new int[nodeCount];
    for (int i = 0; i < nodeCount; i++) {
      positionOfNode[nodeOfPosition[i]] = i;
    }
    fromNodeOf = d == null ? null : new int[nodeCount];
    int[] inputOfFrom = null; // derived: graph input of d.from() -> value here, or -1
    if (d != null) {
      for (int q = 0; q < nodeCount; q++) {
        fromNodeOf[q] = d.fromNode()[positionOfNode[q]];
      }
      inputOfFrom = new int[inputCount];
      Arrays.fill(inputOfFrom, -1);
    }
    int[] readerCount = resolveOperands(d, predsOfGiven, positionOfNode, ids, inputOfFrom);
    readers = readersOf(inputs, readerCount);

    requested = new boolean[valueCount];
    protect = new boolean[valueCount];
    liveToEnd = new boolean[valueCount];
    if (d != null) {
      // Carried over from d.from(): every value there keeps its protection and size; a copy's
      // output is neither requested nor a graph input, and has its operand's size.
      size = carriedOver(d, inputOfFrom, positionOfNode);
      this.donated = d.from().donated;
    } else {
      this.donated = markRequestedAndDonated(ids, donatedIn);
      size = ValueSizes.of(this, sizeFunction);
    }
    for (int x = 0; x < valueCount; x++) {
      liveToEnd[x] = protect[x] || readers[x].length == 0;
    }

    // Declared overwrites.
    List<Pair> ps = new ArrayList<>();
    overwrites = declaredOverwrites(d, positionOfNode, ps);
    pairs = List.copyOf(ps);
  }



  /**
   * Resolves every node's operands to values, numbering graph inputs in order of first reader
   * (recorded in {@code ids}, or for a derived graph in {@code inputOfFrom}), and returns, per
   * value, how many distinct nodes read it.
   */
  private int[] resolveOperands(Derivation d, IntFunction<int[]> predsOfGiven,
      int[] positionOfNode, Map<Expr, Integer> ids, int[] inputOfFrom) {
    int valueCount = values.length;
    int nextInput = 0;
    int[] readerCount = new int[valueCount];
    int[] lastReader = new int[valueCount];
    Arrays.fill(lastReader, -1);
    for (int q = 0; q < nodeCount; q++) {
      List<Expr> in = nodes[q].inputs();
      long[] refs = d == null ? null : d.operands()[positionOfNode[q]];
      int[] a = new int[refs != null ? refs.length : in.size()];
      for (int j = 0; j < a.length; j++) {
        int x;
        if (refs != null) {
          long ref = refs[j];
          x = ref >= 0 ? outputs[nodeOfPosition[(int) (ref >>> 32)]][(int) ref]
              : inputOfFrom[(int) -(ref + 1)];
        } else {
          x = producedBy(in.get(j), predsOfGiven.apply(positionOfNode[q]));
          if (x < 0) {
            Integer id = ids.get(in.get(j));
            x = id == null ? -1 : id;
          }
        }
        if (x < 0) {
          x = nextInput++;
          if (x >= inputCount) {
            throw new AssertionError("graph inputs: more than " + inputCount);
          }
          values[x] = in.get(j);
          if (ids != null) {
            ids.put(in.get(j), x);
          } else {
            inputOfFrom[(int) -(refs[j] + 1)] = x;
          }
          producer[x] = -1;
          graphInput[x] = true;
        }
        a[j] = x;
        if (lastReader[x] != q) {
          lastReader[x] = q;
          readerCount[x]++;
        }
      }
      inputs[q] = a;
    }
    if (nextInput != inputCount) {
      throw new AssertionError("graph inputs: " + nextInput + " of " + inputCount);
    }
    return readerCount;
  }

  /** Returns, per value, its distinct reader nodes in ascending order. */
  private static int[][] readersOf(int[][] inputs, int[] readerCount) {
    int valueCount = readerCount.length;
    int[][] readers = new int[valueCount][];
    for (int x = 0; x < valueCount; x++) {
      readers[x] = new int[readerCount[x]];
    }
    int[] fill = new int[valueCount];
    int[] lastReader = new int[valueCount];
    Arrays.fill(lastReader, -1);
    for (int q = 0; q < inputs.length; q++) {
      for (int x : inputs[q]) {
        if (lastReader[x] != q) {
          lastReader[x] = q;
          readers[x][fill[x]++] = q;
        }
      }
    }
    return readers;
  }

  /**
   * Sets {@code requested} and {@code protect} of a derived graph from {@code d.from()} and
   * returns the sizes: a value there keeps its size here, a new copy's output has its operand's.
   */
  private long[] carriedOver(Derivation d, int[] inputOfFrom, int[] positionOfNode) {
    int valueCount = values.length;
    Graph from = d.from();
    int[] here = new int[from.values.length];
    for (int x = 0; x < inputCount; x++) {
      here[x] = inputOfFrom[x];
    }
    long[] size = new long[valueCount];
    for (int i = 0; i < nodeCount; i++) {
      int qf = d.fromNode()[i];
      int q = nodeOfPosition[i];
      if (qf >= 0) {
        int[] o = from.outputs[qf];
        for (int k = 0; k < o.length; k++) {
          here[o[k]] = outputs[q][k];
        }
      }
    }
    for (int x = 0; x < here.length; x++) {
      requested[here[x]] = from.requested[x];
      protect[here[x]] = from.protect[x];
      size[here[x]] = from.size[x];
    }
    for (int q = 0; q < nodeCount; q++) {
      if (d.fromNode()[positionOfNode[q]] < 0) {
        size[outputs[q][0]] = size[inputs[q][0]];
      }
    }
    return size;
  }

  /**
   * Sets {@code requested} and {@code protect} of a graph built from scratch and returns the
   * donated inputs.
   *
   * @throws IllegalArgumentException if a donated expression is not a graph input, or requested
   */
  private Set<Expr> markRequestedAndDonated(Map<Expr, Integer> ids, Collection<Expr> donatedIn) {
    int valueCount = values.length;
    Set<Expr> don = new HashSet<>();
    for (Expr r : requestedOutputs) {
      Integer id = ids.get(r); // a requested graph input, or else the output of a node
      if (id == null) {
        int i = composite.indexOf(composite.producerOf(r).orElseThrow());
        int[] outs = outputs[nodeOfPosition[i]];
        for (int k = 0; k < outs.length && id == null; k++) {
          if (values[outs[k]].equals(r)) {
            id = outs[k];
          }
        }
      }
      requested[id] = true;
    }
    for (Expr e : donatedIn) {
      Integer id = ids.get(e);
      if (id == null) {
        throw new IllegalArgumentException(Messages.notDonatable(e, composite.hasVariable(e)));
      }
      if (requested[id]) {
        throw new IllegalArgumentException(Messages.donatedRequested(e));
      }
      don.add(e);
    }
    for (int x = 0; x < valueCount; x++) {
      protect[x] = requested[x] || (graphInput[x] && !don.contains(values[x]));
    }
    return Set.copyOf(don);
  }

  /**
   * Returns, per node, output to the operand it overwrites (or -1), and adds every such pair to
   * {@code ps} with how it can be done. Reads the nodes, operands, outputs, sizes and protection
   * the constructor has set; a node carried over from {@code d.from()} keeps its checked overwrites.
   *
   * @throws IllegalArgumentException if an operation declares an overwrite out of range or two
   *     outputs over one operand
   */
  private int[][] declaredOverwrites(Derivation d, int[] positionOfNode, List<Pair> ps) {
    int[][] all = new int[nodeCount][];
    for (int q = 0; q < nodeCount; q++) {
      Computation c = nodes[q];
      int[] ow;
      int qf = d == null ? -1 : d.fromNode()[positionOfNode[q]];
      Map<Integer, Integer> declared;
      if (qf >= 0) { // validated when d.from() was built
        ow = d.from().overwrites[qf];
        declared = Map.of();
      } else {
        ow = new int[outputs[q].length];
        Arrays.fill(ow, -1);
        declared = c.operation().overwrites();
      }
      if (!declared.isEmpty()) {
        applyDeclared(c, declared, ow, inputs[q].length);
      }
      for (int k = 0; k < ow.length; k++) {
        int j = ow[k];
        if (j < 0) {
          continue;
        }
        int x = inputs[q][j];
        int w = outputs[q][k];
        Kind kind;
        if (size[w] > size[x] || (exact && size[w] != size[x])) {
          kind = Kind.TOO_LARGE;
        } else if (protect[x] || occurrences(inputs[q], x) > 1) {
          kind = Kind.FORCED_COPY;
        } else {
          kind = Kind.CANDIDATE;
        }
        ps.add(new Pair(q, j, k, x, w, kind));
      }
      all[q] = ow;
    }
    return all;
  }

  /** Fills {@code ow} (output to operand) from {@code c}'s declared overwrites, checked. */
  private static void applyDeclared(
      Computation c, Map<Integer, Integer> declared, int[] ow, int operandCount) {
    boolean[] taken = new boolean[operandCount];
    // By increasing output index (maps are small: an insertion sort).
    int[] outs = new int[declared.size()];
    int[] ops = new int[outs.length];
    int m = 0;
    for (var e : declared.entrySet()) {
      int k = e.getKey();
      int i = m++;
      for (; i > 0 && outs[i - 1] > k; i--) {
        outs[i] = outs[i - 1];
        ops[i] = ops[i - 1];
      }
      outs[i] = k;
      ops[i] = e.getValue();
    }
    for (int t = 0; t < m; t++) {
      int k = outs[t];
      int j = ops[t];
      if (k < 0 || k >= ow.length || j < 0 || j >= taken.length) {
        throw new IllegalArgumentException(Messages.badOverwrite(c, k, j));
      }
      if (taken[j]) {
        throw new IllegalArgumentException(Messages.twoOverwrites(c, j));
      }
      taken[j] = true;
      ow[k] = j;
    }
  }

  static int occurrences(int[] a, int x) {
    int n = 0;
    for (int y : a) {
      if (y == x) {
        n++;
      }
    }
    return n;
  }

  /**
   * Returns the value that the nodes at the given positions (of the given order) produce as
   * {@code e}, or -1: identity is tried first over all their outputs, then equality.
   */
  private int producedBy(Expr e, int[] predPositions) {
    for (int p : predPositions) {
      for (int o : outputs[nodeOfPosition[p]]) {
        if (values[o] == e) {
          return o;
        }
      }
    }
    for (int p : predPositions) {
      for (int o : outputs[nodeOfPosition[p]]) {
        if (values[o].equals(e)) {
          return o;
        }
      }
    }
    return -1;
  }

  /** Returns the value ids by variable (for a derived graph, built on first call). */
  Map<Expr, Integer> valueId() {
    Map<Expr, Integer> m = valueId;
    if (m == null) {
      synchronized (this) {
        m = valueId;
        if (m == null) {
          m = new HashMap<>(Math.max(16, values.length * 2));
          for (int v = 0; v < values.length; v++) {
            m.put(values[v], v);
          }
          valueId = m;
        }
      }
    }
    return m;
  }

  /** Returns the value id of {@code e}. */
  int id(Expr e) {
    Integer id = valueId().get(e);
    if (id == null) {
      throw new AssertionError(e);
    }
    return id;
  }

  /** Returns the node's distinct predecessor nodes, ascending. */
  int[] preds(int q) {
    if (preds == null) {
      int[][] ps = new int[nodeCount][];
      int[] seen = new int[nodeCount];
      Arrays.fill(seen, -1);
      int[] buf = new int[8];
      for (int r = 0; r < nodeCount; r++) {
        int c = 0;
        for (int x : inputs[r]) {
          int p = producer[x];
          if (p >= 0 && seen[p] != r) {
            seen[p] = r;
            if (c == buf.length) {
              buf = Arrays.copyOf(buf, 2 * c);
            }
            buf[c++] = p;
          }
        }
        int[] a = Arrays.copyOf(buf, c);
        Arrays.sort(a);
        ps[r] = a;
      }
      preds = ps;
    }
    return preds[q];
  }

  /** Returns the composite this graph is of (for a planned graph, built on first call). */
  CompositeComputation composite() {
    CompositeComputation c = composite;
    if (c == null) {
      synchronized (this) {
        c = composite;
        if (c == null) {
          composite = c = CompositeComputation.of(compositeParts, requestedOutputs);
        }
      }
    }
    return c;
  }

  /**
   * Returns, per node, the node whose unit it belongs to: a {@link Copy} whose output has exactly
   * one reader (and is not a result) runs fused with that reader, right before it; every other
   * node is its own unit.
   */
  int[] fusedUnits() {
    int[] unitOf = new int[nodeCount];
    for (int q = nodeCount - 1; q >= 0; q--) {
      unitOf[q] = q;
      if (nodes[q].operation() instanceof Copy) {
        int out = outputs[q][0];
        if (readers[out].length == 1 && !liveToEnd[out]) {
          unitOf[q] = unitOf[readers[out][0]];
        }
      }
    }
    return unitOf;
  }

  /** Returns the copies the rule "copy unless the destroyer is the only reader" makes. */
  int soleReaderRuleCopies() {
    int n = 0;
    for (Pair p : pairs) {
      if (p.kind() == Kind.FORCED_COPY
          || (p.kind() == Kind.CANDIDATE && readers[p.value()].length > 1)) {
        n++;
      }
    }
    return n;
  }
}
