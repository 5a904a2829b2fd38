package io.memoflow.inplace;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Executable;
import io.memoflow.dag.Expr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * A composite indexed by integers for planning: values, readers, sizes, protection and the
 * overwrite pairs its operations declare.
 */
final class Graph {
  /*
   * Overview: nodes are the computations in the composite's deterministic topological order;
   * values are numbered graph inputs first, then the outputs of each node in order. Sizes come
   * from the caller's size function, else from Executable lengths (8 bytes a double), checked for
   * agreement between producer and readers; a Copy's output always has its input's size, so that
   * planning a planned composite sees the sizes it saw the first time.
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

  final CompositeComputation composite;
  final Computation[] nodes;
  final int nodeCount;
  final Expr[] values;
  final Map<Expr, Integer> valueId;
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
  final boolean exact; // buffers hold values of one size only

  Graph(CompositeComputation composite, ToLongFunction<Expr> sizeFunction, Collection<Expr> donatedIn) {
    this(composite, sizeFunction, donatedIn, false);
  }

  Graph(CompositeComputation composite, ToLongFunction<Expr> sizeFunction, Collection<Expr> donatedIn,
      boolean exact) {
    this.exact = exact;
    this.composite = composite;
    this.nodes = composite.order().toArray(new Computation[0]);
    this.nodeCount = nodes.length;
    List<Expr> ins = composite.inputs();
    int valueCount = ins.size();
    for (Computation c : nodes) {
      valueCount += c.outputs().size();
    }
    values = new Expr[valueCount];
    valueId = new HashMap<>(Math.max(16, valueCount * 2));
    producer = new int[valueCount];
    graphInput = new boolean[valueCount];
    int v = 0;
    for (Expr x : ins) {
      values[v] = x;
      valueId.put(x, v);
      producer[v] = -1;
      graphInput[v] = true;
      v++;
    }
    outputs = new int[nodeCount][];
    for (int q = 0; q < nodeCount; q++) {
      List<Expr> outs = nodes[q].outputs();
      int[] o = new int[outs.size()];
      for (int k = 0; k < o.length; k++) {
        values[v] = outs.get(k);
        valueId.put(outs.get(k), v);
        producer[v] = q;
        o[k] = v++;
      }
      outputs[q] = o;
    }
    inputs = new int[nodeCount][];
    int[] readerCount = new int[valueCount];
    int[] lastReader = new int[valueCount];
    Arrays.fill(lastReader, -1);
    for (int q = 0; q < nodeCount; q++) {
      List<Expr> in = nodes[q].inputs();
      int[] a = new int[in.size()];
      for (int j = 0; j < a.length; j++) {
        int x = valueId.get(in.get(j));
        a[j] = x;
        if (lastReader[x] != q) {
          lastReader[x] = q;
          readerCount[x]++;
        }
      }
      inputs[q] = a;
    }
    readers = new int[valueCount][];
    for (int x = 0; x < valueCount; x++) {
      readers[x] = new int[readerCount[x]];
    }
    int[] fill = new int[valueCount];
    Arrays.fill(lastReader, -1);
    for (int q = 0; q < nodeCount; q++) {
      for (int x : inputs[q]) {
        if (lastReader[x] != q) {
          lastReader[x] = q;
          readers[x][fill[x]++] = q;
        }
      }
    }

    // Donation and protection.
    Set<Expr> don = new HashSet<>();
    requested = new boolean[valueCount];
    for (Expr r : composite.requestedOutputs()) {
      requested[valueId.get(r)] = true;
    }
    for (Expr d : donatedIn) {
      Integer id = valueId.get(d);
      if (id == null || !graphInput[id]) {
        throw new IllegalArgumentException(Messages.notDonatable(d, id != null));
      }
      if (requested[id]) {
        throw new IllegalArgumentException(Messages.donatedRequested(d));
      }
      don.add(d);
    }
    this.donated = Set.copyOf(don);
    protect = new boolean[valueCount];
    liveToEnd = new boolean[valueCount];
    for (int x = 0; x < valueCount; x++) {
      protect[x] = requested[x] || (graphInput[x] && !don.contains(values[x]));
      liveToEnd[x] = protect[x] || readers[x].length == 0;
    }

    size = computeSizes(sizeFunction);

    // Declared overwrites.
    overwrites = new int[nodeCount][];
    List<Pair> ps = new ArrayList<>();
    for (int q = 0; q < nodeCount; q++) {
      Computation c = nodes[q];
      int[] ow = new int[outputs[q].length];
      Arrays.fill(ow, -1);
      Map<Integer, Integer> declared = c.operation().overwrites();
      if (!declared.isEmpty()) {
        boolean[] taken = new boolean[inputs[q].length];
        for (var e : new java.util.TreeMap<>(declared).entrySet()) {
          int k = e.getKey();
          int j = e.getValue();
          if (k < 0 || k >= ow.length || j < 0 || j >= taken.length) {
            throw new IllegalArgumentException(Messages.badOverwrite(c, k, j));
          }
          if (taken[j]) {
            throw new IllegalArgumentException(Messages.twoOverwrites(c, j));
          }
          taken[j] = true;
          ow[k] = j;
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
      }
      overwrites[q] = ow;
    }
    pairs = List.copyOf(ps);
  }

  private long[] computeSizes(ToLongFunction<Expr> sizeFunction) {
    long[] s = new long[values.length];
    Arrays.fill(s, -1);
    if (sizeFunction != null) {
      for (int x = 0; x < values.length && graphInput[x]; x++) {
        s[x] = sizeFunction.applyAsLong(values[x]);
        if (s[x] < 0) {
          throw new IllegalArgumentException(Messages.negativeSize(values[x], s[x]));
        }
      }
    }
    for (int q = 0; q < nodeCount; q++) {
      Computation c = nodes[q];
      if (!(c.operation() instanceof Executable ex) || sizeFunction != null) {
        continue;
      }
      for (int j = 0; j < inputs[q].length; j++) {
        int x = inputs[q][j];
        long bytes = (long) Double.BYTES * ex.inputLength(j);
        if (s[x] < 0) {
          s[x] = bytes;
        } else if (s[x] != bytes) {
          throw new IllegalArgumentException(Messages.sizeConflict(values[x], s[x], c, j, bytes));
        }
      }
    }
    for (int q = 0; q < nodeCount; q++) {
      Computation c = nodes[q];
      for (int k = 0; k < outputs[q].length; k++) {
        int w = outputs[q][k];
        long bytes;
        if (c.operation() instanceof Copy) {
          bytes = s[inputs[q][0]];
        } else if (sizeFunction != null) {
          bytes = sizeFunction.applyAsLong(values[w]);
          if (bytes < 0) {
            throw new IllegalArgumentException(Messages.negativeSize(values[w], bytes));
          }
        } else if (c.operation() instanceof Executable ex) {
          bytes = (long) Double.BYTES * ex.outputLength(k);
          if (s[w] >= 0 && s[w] != bytes) {
            throw new IllegalArgumentException(
                Messages.sizeConflict(values[w], bytes, firstReader(w), readerOperand(w), s[w]));
          }
        } else {
          bytes = s[w];
        }
        s[w] = bytes;
      }
    }
    for (int x = 0; x < values.length; x++) {
      if (s[x] < 0) {
        throw new IllegalArgumentException(
            Messages.noSize(values[x], producer[x] < 0 ? null : nodes[producer[x]]));
      }
    }
    return s;
  }

  private Computation firstReader(int x) {
    return nodes[readers[x][0]];
  }

  private int readerOperand(int x) {
    int q = readers[x][0];
    for (int j = 0; j < inputs[q].length; j++) {
      if (inputs[q][j] == x) {
        return j;
      }
    }
    throw new AssertionError(x);
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

  /** Returns the value id of {@code e}. */
  int id(Expr e) {
    Integer id = valueId.get(e);
    if (id == null) {
      throw new AssertionError(e);
    }
    return id;
  }

  /** Returns the node's distinct predecessor nodes. */
  int[] preds(int q) {
    return composite.predecessorIndices(q);
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
