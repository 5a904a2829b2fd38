package io.memoflow.matrix;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.BufferOperation;
import io.memoflow.dag.Expr;
import io.memoflow.matrix.internal.KernelThreads;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a composite of {@link BufferOperation} computations out of place: in topological order, every
 * output into a fresh buffer, so no input or intermediate is ever overwritten. This is the
 * meaning the in-place planner must preserve.
 *
 * <p>Native kernels run on a thread with a big stack (OpenBLAS's LAPACK needs more than a
 * default JVM thread has; see {@link LibraryOp#execute}), whatever thread calls: {@code main}, a
 * Reactor scheduler's, a pool's.
 *
 * <p>Graph inputs named {@code Identity(n)} or {@code Zero(r, c)} (see {@link
 * MatrixExpr#toExpr()}) are filled automatically. Stateless and thread-safe; buffers passed in
 * are only read.
 */
public final class MatrixExecutor {
  private MatrixExecutor() {}

  /**
   * Runs {@code composite} and returns the buffer of every variable (inputs included), in
   * {@link CompositeComputation#variables()} order.
   *
   * @throws IllegalArgumentException if an input has no buffer, a buffer has the wrong length,
   *     or a computation's operation is not {@link BufferOperation}
   * @throws ArithmeticException if a routine fails (e.g. a singular matrix)
   */
  public static Map<Expr, double[]> run(CompositeComputation composite, Map<Expr, double[]> inputs) {
    requireNonNull(composite, "composite");
    requireNonNull(inputs, "inputs");
    Map<Expr, double[]> env = new HashMap<>();
    for (Expr in : composite.inputs()) {
      double[] v = inputs.get(in);
      if (v == null) {
        v = constant(in).orElseThrow(() -> new IllegalArgumentException(
            "No buffer for input " + in + ". Pass one for every composite input: "
                + composite.inputs() + "."));
      }
      env.put(in, v);
    }
    // One hand-off for the whole composite: the routines then run in place on the kernel thread.
    KernelThreads.run(() -> execute(composite, env));
    Map<Expr, double[]> ordered = new LinkedHashMap<>();
    for (Expr v : composite.variables()) {
      ordered.put(v, env.get(v));
    }
    return Collections.unmodifiableMap(ordered);
  }

  private static void execute(CompositeComputation composite, Map<Expr, double[]> env) {
    for (Computation c : composite.order()) {
      if (!(c.operation() instanceof BufferOperation op)) {
        throw new IllegalArgumentException(
            "Operation '" + c.operation().name() + "' of " + c
                + " is not BufferOperation. Build composites of library routines (LibraryOp).");
      }
      List<Expr> ins = c.inputs();
      double[][] in = new double[ins.size()][];
      for (int i = 0; i < in.length; i++) {
        in[i] = env.get(ins.get(i));
      }
      double[][] out = new double[c.outputs().size()][];
      for (int k = 0; k < out.length; k++) {
        out[k] = new double[op.outputLength(k)];
      }
      op.execute(in, out);
      for (int k = 0; k < out.length; k++) {
        env.put(c.outputs().get(k), out[k]);
      }
    }
  }

  /**
   * Runs a compiled cover with symbols bound by name and returns the value of each compiled
   * expression.
   *
   * @throws IllegalArgumentException if a symbol is unbound or has the wrong shape
   * @throws ArithmeticException if a routine fails
   */
  public static Map<MatrixExpr, Matrix> run(Cover cover, Map<String, Matrix> values) {
    Map<Expr, double[]> in = new HashMap<>();
    for (Expr x : cover.composite().inputs()) {
      MatrixExpr m = cover.meaning().get(x);
      if (m instanceof MatrixExpr.Symbol s) {
        Matrix v = values.get(s.name());
        if (v == null || !v.shape().equals(s.shape())) {
          throw new IllegalArgumentException(
              "Symbol " + s.describe() + (v == null ? " is unbound" : " is bound to a "
                  + v.shape() + " matrix") + ". Bind a matrix of its shape by name.");
        }
        in.put(x, v.raw());
      }
    }
    Map<Expr, double[]> env = run(cover.composite(), in);
    Map<MatrixExpr, Matrix> out = new LinkedHashMap<>();
    for (MatrixExpr o : cover.outputs()) {
      out.put(o, Matrix.wrap(o.shape(), env.get(o.toExpr())));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Returns the buffer of a constant variable: {@code Identity(n)} or {@code Zero(r, c)}; empty
   * for any other expression.
   */
  public static Optional<double[]> constant(Expr e) {
    if (e instanceof Expr.Apply a) {
      if (a.op().equals("Identity") && a.args().size() == 1
          && a.args().get(0) instanceof Expr.Constant n && n.value() instanceof Long len) {
        return Optional.of(Matrix.identity(Math.toIntExact(len)).raw());
      }
      if (a.op().equals("Zero") && a.args().size() == 2
          && a.args().get(0) instanceof Expr.Constant r && r.value() instanceof Long rows
          && a.args().get(1) instanceof Expr.Constant c && c.value() instanceof Long cols) {
        return Optional.of(new double[Math.multiplyExact(Math.toIntExact(rows), Math.toIntExact(cols))]);
      }
    }
    return Optional.empty();
  }
}
