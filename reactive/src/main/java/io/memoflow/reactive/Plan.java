package io.memoflow.reactive;

import io.memoflow.dag.Computation;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Expr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A composite compiled for execution: flat arrays indexed by topological position. Immutable
 * and shared by every execution of the composite (a sweep compiles once).
 */
final class Plan {
  /*
   * Overview: values live in "slots": slots [0, inputCount) are the graph inputs in
   * composite.inputs() order, then each node's outputs in order, node by node: the positions
   * of composite.variables(). A node's inputs are resolved to slots once (inStart/inSlot,
   * CSR); slots, successors and predecessor counts come from the composite's own index arrays,
   * so compiling hashes no variable.
   */

  final CompositeComputation composite;
  final int n;
  final int inputCount;
  final int slotCount;
  final Computation[] nodes;
  final Object[] bound; // per node: what the invoker runs (an Op)
  final Expr[] inputs;
  final Map<Expr, Integer> inputIndex;
  final int[] inStart;
  final int[] inSlot;
  final int[] outStart; // node -> its first output slot
  final int[] predCount;
  final int[][] succ;
  final List<Expr> outputs;
  final int[] outputSlot;

  Plan(CompositeComputation composite, Function<Computation, Object> binder) {
    this.composite = composite;
    List<Computation> order = composite.order();
    this.n = order.size();
    this.nodes = order.toArray(new Computation[0]);
    this.inputs = composite.inputs().toArray(new Expr[0]);
    this.inputCount = inputs.length;
    Map<Expr, Integer> inputSlot = new HashMap<>();
    for (int k = 0; k < inputCount; k++) {
      inputSlot.put(inputs[k], k);
    }
    this.inputIndex = Map.copyOf(inputSlot);
    this.outStart = new int[n];
    int s = inputCount;
    for (int i = 0; i < n; i++) {
      outStart[i] = s;
      s += nodes[i].outputs().size();
    }
    this.slotCount = s;
    this.inStart = new int[n + 1];
    for (int i = 0; i < n; i++) {
      inStart[i + 1] = inStart[i] + nodes[i].inputs().size();
    }
    this.inSlot = new int[inStart[n]];
    this.bound = new Object[n];
    this.predCount = new int[n];
    this.succ = new int[n][];
    for (int i = 0; i < n; i++) {
      int[] slots = composite.inputVariableIndices(i);
      System.arraycopy(slots, 0, inSlot, inStart[i], slots.length);
      bound[i] = binder.apply(nodes[i]);
      predCount[i] = composite.predecessorIndices(i).length;
      succ[i] = composite.successorIndices(i);
    }
    this.outputs = composite.outputs();
    this.outputSlot = new int[outputs.size()];
    for (int k = 0; k < outputSlot.length; k++) {
      outputSlot[k] = composite.variableIndex(outputs.get(k));
    }
  }

  /** Returns the graph inputs as slots, checking {@code bindings} binds each exactly. */
  Object[] bindInputs(Map<? extends Expr, ?> bindings, NodeInvoker invoker) {
    Object[] slots = new Object[slotCount];
    for (Map.Entry<? extends Expr, ?> e : bindings.entrySet()) {
      Integer k = inputIndex.get(e.getKey());
      if (k == null) {
        throw new IllegalArgumentException(Messages.unknownInput(e.getKey(), List.of(inputs)));
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException(Messages.nullInput(e.getKey()));
      }
      slots[k] = invoker.input(e.getValue());
    }
    List<Expr> missing = new ArrayList<>();
    for (int k = 0; k < inputCount; k++) {
      if (slots[k] == null) {
        missing.add(inputs[k]);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(Messages.missingInputs(missing, List.of(inputs)));
    }
    return slots;
  }

  /**
   * Returns which nodes read, directly or through other nodes, one of the graph inputs marked
   * in {@code changed}.
   */
  boolean[] downstreamOf(boolean[] changed) {
    boolean[] dirty = new boolean[n];
    for (int i = 0; i < n; i++) { // topological order: predecessors are decided first
      for (int k = inStart[i]; k < inStart[i + 1] && !dirty[i]; k++) {
        int slot = inSlot[k];
        dirty[i] = slot < inputCount ? changed[slot] : dirty[nodeOfSlot(slot)];
      }
    }
    return dirty;
  }

  /** Returns the node that produces {@code slot} (not a graph input). */
  int nodeOfSlot(int slot) {
    int lo = 0, hi = n - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (outStart[mid] <= slot) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }
}
