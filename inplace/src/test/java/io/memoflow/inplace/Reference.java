package io.memoflow.inplace;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.BufferOperation;
import io.memoflow.dag.Expr;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/** Out-of-place execution and poison for the tests: every value in its own fresh array. */
final class Reference {
  private Reference() {}

  /** Runs every computation with fresh output arrays, never aliasing; returns the outputs. */
  static Map<Expr, double[]> run(CompositeComputation g, Map<Expr, double[]> inputs, IntFunction<double[]> alloc) {
    Map<Expr, double[]> values = new HashMap<>();
    for (Expr x : g.inputs()) {
      values.put(x, inputs.get(x).clone());
    }
    for (Computation c : g.order()) {
      BufferOperation ex = (BufferOperation) c.operation();
      List<Expr> ins = c.inputs();
      double[][] in = new double[ins.size()][];
      for (int j = 0; j < in.length; j++) {
        in[j] = values.get(ins.get(j));
      }
      double[][] out = new double[c.outputs().size()][];
      for (int k = 0; k < out.length; k++) {
        out[k] = alloc.apply(ex.outputLength(k));
      }
      ex.execute(in, out);
      for (int k = 0; k < out.length; k++) {
        values.put(c.outputs().get(k), out[k]);
      }
    }
    Map<Expr, double[]> results = new LinkedHashMap<>();
    for (Expr o : g.outputs()) {
      results.put(o, values.get(o));
    }
    return results;
  }

  /** Returns one array of random values per graph input, sized by its first BufferOperation reader. */
  static Map<Expr, double[]> inputs(CompositeComputation g, long seed) {
    Random rnd = new Random(seed);
    Map<Expr, double[]> in = new LinkedHashMap<>();
    for (Expr x : g.inputs()) {
      Computation reader = g.consumersOf(x).get(0);
      int j = reader.inputs().indexOf(x);
      double[] a = new double[((BufferOperation) reader.operation()).inputLength(j)];
      for (int i = 0; i < a.length; i++) {
        a[i] = rnd.nextInt(2001) / 1000.0 - 1.0;
      }
      in.put(x, a);
    }
    return in;
  }

  /** Returns an allocator whose arrays hold random poison: NaNs, infinities, huge and tiny values. */
  static IntFunction<double[]> poison(long seed) {
    Random rnd = new Random(seed);
    double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, -Double.MAX_VALUE, Double.MIN_VALUE, -0.0, 1e300};
    return n -> {
      double[] a = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = rnd.nextBoolean() ? specials[rnd.nextInt(specials.length)] : Double.longBitsToDouble(rnd.nextLong());
      }
      return a;
    };
  }

  /** Returns whether the two result maps hold the same keys and bit-identical arrays. */
  static boolean bitEqual(Map<Expr, double[]> a, Map<Expr, double[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (var e : a.entrySet()) {
      double[] x = e.getValue();
      double[] y = b.get(e.getKey());
      if (x.length != y.length) {
        return false;
      }
      for (int i = 0; i < x.length; i++) {
        if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(y[i])) {
          return false;
        }
      }
    }
    return true;
  }

  static String show(Map<Expr, double[]> m) {
    StringBuilder sb = new StringBuilder();
    m.forEach((k, v) -> sb.append(k).append('=').append(Arrays.toString(v)).append('\n'));
    return sb.toString();
  }
}
