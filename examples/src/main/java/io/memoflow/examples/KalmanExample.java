package io.memoflow.examples;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Expr;
import io.memoflow.matrix.Matrix;
import io.memoflow.matrix.MatrixEvaluator;
import io.memoflow.matrix.MatrixExamples;
import io.memoflow.matrix.MatrixExpr;
import io.memoflow.inplace.BufferPlan;
import io.memoflow.inplace.BufferPlanner;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The Kalman filter update compiled to BLAS/LAPACK calls ({@link MatrixExamples#kalman}) and
 * planned in place ({@link BufferPlanner}): prints the plan, its peak against one buffer per
 * value, runs it, and checks the result against the plain-Java reference evaluator.
 */
public final class KalmanExample {
  private KalmanExample() {}

  /**
   * The outcome.
   *
   * @param plan the buffer plan
   * @param maxRelativeError the largest relative error of the outputs against the reference
   */
  public record Result(BufferPlan plan, double maxRelativeError) {}

  /** Runs the example for state size {@code n} and {@code k} observations, printing to {@code out}. */
  public static Result run(int n, int k, PrintWriter out) {
    MatrixExamples.Example kalman = MatrixExamples.kalman(n, k);
    for (MatrixExpr e : kalman.outputs()) {
      out.println("output " + e);
    }
    CompositeComputation g = kalman.composite();
    out.println("compiled to " + kalman.cover().routines());
    BufferPlan plan = BufferPlanner.of().plan(g);
    out.println(plan);
    out.printf(Locale.ROOT, "peak %d B vs one buffer per value %d B (saves %d B; max-live bound %d B)%n",
        plan.peakBytes(), plan.oneBufferPerValueBytes(), plan.bytesSaved(), plan.maxLiveBytes());

    long seed = 42;
    Map<Expr, double[]> outputs = plan.execute(kalman.randomInputs(seed));
    Map<String, Matrix> values = kalman.randomValues(seed);
    double worst = 0;
    for (MatrixExpr e : kalman.outputs()) {
      Matrix ref = MatrixEvaluator.evaluate(e, values);
      double[] got = outputs.get(e.toExpr());
      Matrix m = Matrix.of(ref.rows(), ref.cols(), Arrays.copyOf(got, ref.rows() * ref.cols()));
      worst = Math.max(worst, m.relativeError(ref));
    }
    out.printf(Locale.ROOT, "executed on the plan; largest relative error vs reference %.2e%n", worst);
    out.flush();
    return new Result(plan, worst);
  }

  /** Runs the example (state size 8, 4 observations) on standard output. */
  public static void main(String[] args) {
    run(8, 4, new PrintWriter(System.out, true));
  }
}
