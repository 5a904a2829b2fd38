package io.memoflow.testkit;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.BufferOperation;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Expr;
import io.memoflow.inplace.BufferPlan;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * The poison-fill oracle for in-place buffer plans: runs a {@link BufferPlan} on buffers full of
 * poison (NaNs, infinities, huge, tiny and random bit patterns) and compares every output, bit
 * for bit, with an out-of-place run in which every value has an array of its own. A plan that
 * reads a buffer before writing it, or lets a step overwrite a value that is still to be read,
 * gives a different answer here even where zero-filled buffers would hide it.
 *
 * <pre>{@code
 * @Property
 * void myRoutines_runSafelyInPlace(@ForAll long seed) {
 *   BufferPlan plan = BufferPlanner.builder().build().plan(myComposite);
 *   PlanSafety.check(plan, seed);    // throws AssertionError naming the output that differs
 * }
 * }</pre>
 *
 * <p>Every operation of the plan's composite must be a {@link BufferOperation}. Stateless.
 */
public final class PlanSafety {
  private PlanSafety() {}

  private static final double[] SPECIALS = {
    Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -Double.MAX_VALUE,
    Double.MIN_VALUE, -0.0, 1e300
  };

  /**
   * Checks {@code plan} on {@linkplain #randomInputs random inputs} drawn from {@code seed}; see
   * {@link #check(BufferPlan, Map, long)}.
   */
  public static void check(BufferPlan plan, long seed) {
    check(plan, randomInputs(plan.composite(), seed), seed);
  }

  /**
   * Runs {@code plan} on poisoned buffers and the composite out of place on other poison, and
   * asserts that every output is bit-identical and that the plan wrote over no graph input it
   * was not donated. The plan runs on copies of {@code inputs}: the caller's arrays are never
   * touched.
   *
   * @param inputs one array per graph input
   * @param seed draws the poison
   * @throws AssertionError naming the first output that differs, both values and the plan
   * @throws IllegalArgumentException if an input is missing or an operation is not a
   *     {@link BufferOperation}
   */
  public static void check(BufferPlan plan, Map<Expr, double[]> inputs, long seed) {
    requireNonNull(plan, "plan");
    requireNonNull(inputs, "inputs");
    CompositeComputation g = plan.composite();
    Map<Expr, double[]> expected = outOfPlace(g, inputs, poison(seed + 1));
    Map<Expr, double[]> given = copyOf(inputs);
    Map<Expr, double[]> actual = plan.execute(given, poison(seed + 2));
    for (Expr x : g.inputs()) {
      if (!plan.donated().contains(x) && !bitEqual(inputs.get(x), given.get(x))) {
        throw new AssertionError("The in-place plan wrote over graph input " + x + ", which is"
            + " not donated (seed " + seed + ").\nPlan:\n" + plan);
      }
    }
    for (Map.Entry<Expr, double[]> e : expected.entrySet()) {
      double[] want = e.getValue();
      double[] got = actual.get(e.getKey());
      if (got == null || !bitEqual(want, got)) {
        throw new AssertionError("Output " + e.getKey() + " of the in-place plan differs from the"
            + " out-of-place run (seed " + seed + ").\n  expected " + Arrays.toString(want)
            + "\n  actual   " + Arrays.toString(got) + "\nPlan:\n" + plan);
      }
    }
  }

  /**
   * Runs {@code g} out of place: every value gets a fresh array from {@code allocator}, never
   * shared. Input arrays are cloned first, so operations that overwrite operands do no harm.
   *
   * @return the composite's outputs in {@code g.outputs()} order
   * @throws IllegalArgumentException if an input is missing or an operation is not a
   *     {@link BufferOperation}
   */
  public static Map<Expr, double[]> outOfPlace(
      CompositeComputation g, Map<Expr, double[]> inputs, IntFunction<double[]> allocator) {
    Map<Expr, double[]> values = new HashMap<>();
    for (Expr x : g.inputs()) {
      double[] a = inputs.get(x);
      if (a == null) {
        throw new IllegalArgumentException("No array for graph input " + x + "; pass one per input"
            + " of the composite (" + g.inputs() + "), or use randomInputs(composite, seed).");
      }
      values.put(x, a.clone());
    }
    for (Computation c : g.order()) {
      BufferOperation op = bufferOperation(c);
      List<Expr> ins = c.inputs();
      double[][] in = new double[ins.size()][];
      for (int j = 0; j < in.length; j++) {
        in[j] = values.get(ins.get(j));
      }
      double[][] out = new double[c.outputs().size()][];
      for (int k = 0; k < out.length; k++) {
        out[k] = allocator.apply(op.outputLength(k));
      }
      op.execute(in, out);
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

  /**
   * Returns one array of values in [-1, 1] per graph input of {@code g}, as long as its first
   * reader's {@link BufferOperation#inputLength} asks, drawn from {@code seed}.
   *
   * @throws IllegalArgumentException if a reader's operation is not a {@link BufferOperation}
   */
  public static Map<Expr, double[]> randomInputs(CompositeComputation g, long seed) {
    Random rnd = new Random(seed);
    Map<Expr, double[]> in = new LinkedHashMap<>();
    for (Expr x : g.inputs()) {
      Computation reader = g.consumersOf(x).get(0);
      int j = reader.inputs().indexOf(x);
      double[] a = new double[bufferOperation(reader).inputLength(j)];
      for (int i = 0; i < a.length; i++) {
        a[i] = rnd.nextInt(2001) / 1000.0 - 1.0;
      }
      in.put(x, a);
    }
    return in;
  }

  /**
   * Returns an allocator of arrays full of poison drawn from {@code seed}: NaN, infinities,
   * extreme and tiny values, negative zero and random bit patterns. Not thread-safe.
   */
  public static IntFunction<double[]> poison(long seed) {
    Random rnd = new Random(seed);
    return n -> {
      double[] a = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = rnd.nextBoolean()
            ? SPECIALS[rnd.nextInt(SPECIALS.length)]
            : Double.longBitsToDouble(rnd.nextLong());
      }
      return a;
    };
  }

  /** Returns whether the two maps have the same keys and bit-identical arrays under each. */
  public static boolean bitEqual(Map<Expr, double[]> a, Map<Expr, double[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<Expr, double[]> e : a.entrySet()) {
      if (!bitEqual(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean bitEqual(double[] x, double[] y) {
    if (x.length != y.length) {
      return false;
    }
    for (int i = 0; i < x.length; i++) {
      if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(y[i])) {
        return false;
      }
    }
    return true;
  }

  private static Map<Expr, double[]> copyOf(Map<Expr, double[]> m) {
    Map<Expr, double[]> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v.clone()));
    return out;
  }

  private static BufferOperation bufferOperation(Computation c) {
    if (c.operation() instanceof BufferOperation op) {
      return op;
    }
    throw new IllegalArgumentException("Operation " + c.operation().name() + " of " + c
        + " is not a BufferOperation, so it cannot run on buffers; implement BufferOperation"
        + " (inputLength, outputLength, execute) for every operation of the plan.");
  }
}
