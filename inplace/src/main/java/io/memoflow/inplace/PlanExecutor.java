package io.memoflow.inplace;

import io.memoflow.dag.Computation;
import io.memoflow.dag.BufferOperation;
import io.memoflow.dag.Expr;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Runs a checked plan on {@code double[]} buffers. */
final class PlanExecutor {
  private PlanExecutor() {}

  static Map<Expr, double[]> run(
      Graph g,
      int[] seq,
      int[] bufferOf,
      List<Buffer> buffers,
      Map<Expr, double[]> inputs,
      IntFunction<double[]> allocator) {
    BufferOperation[] ops = new BufferOperation[g.nodeCount];
    for (int q = 0; q < g.nodeCount; q++) {
      Computation c = g.nodes[q];
      if (!(c.operation() instanceof BufferOperation ex)) {
        throw new IllegalStateException(Messages.notExecutable(c));
      }
      ops[q] = ex;
    }
    double[][] arrays = new double[buffers.size()][];
    for (int v = 0; v < g.values.length && g.graphInput[v]; v++) {
      Expr x = g.values[v];
      double[] given = inputs.get(x);
      if (given == null) {
        throw new IllegalArgumentException(Messages.missingInput(x));
      }
      int needed = doubles(g.size[v]);
      if (given.length < needed) {
        throw new IllegalArgumentException(Messages.shortInput(x, given.length, needed));
      }
      int b = bufferOf[v];
      if (!g.donated.contains(x) || given.length >= buffers.get(b).doubles()) {
        arrays[b] = given; // never written unless donated: the checker guarantees it
      } else {
        double[] a = allocate(allocator, buffers.get(b).doubles());
        System.arraycopy(given, 0, a, 0, needed);
        arrays[b] = a;
      }
    }
    for (int q : seq) {
      int[] ins = g.inputs[q];
      int[] outs = g.outputs[q];
      double[][] in = new double[ins.length][];
      for (int j = 0; j < ins.length; j++) {
        in[j] = arrays[bufferOf[ins[j]]];
      }
      double[][] out = new double[outs.length][];
      for (int k = 0; k < outs.length; k++) {
        int b = bufferOf[outs[k]];
        if (arrays[b] == null) {
          arrays[b] = allocate(allocator, buffers.get(b).doubles());
        }
        out[k] = arrays[b];
      }
      ops[q].execute(in, out);
    }
    Map<Expr, double[]> results = new LinkedHashMap<>();
    for (Expr o : g.composite().outputs()) {
      int v = g.id(o);
      results.put(o, Arrays.copyOf(arrays[bufferOf[v]], doubles(g.size[v])));
    }
    return Collections.unmodifiableMap(results);
  }

  private static double[] allocate(IntFunction<double[]> allocator, int length) {
    double[] a = allocator.apply(length);
    if (a == null || a.length < length) {
      throw new IllegalArgumentException(
          "The allocator returned " + (a == null ? "null" : a.length + " doubles")
              + " for a buffer of " + length + ". Return an array of at least the length asked.");
    }
    return a;
  }

  static int doubles(long bytes) {
    return Math.toIntExact((bytes + Double.BYTES - 1) / Double.BYTES);
  }
}
