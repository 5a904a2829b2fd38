package io.memoflow.matrix;

import static java.util.Objects.requireNonNull;

import io.memoflow.matrix.MatrixExpr.Factor;
import io.memoflow.matrix.MatrixExpr.Identity;
import io.memoflow.matrix.MatrixExpr.Inverse;
import io.memoflow.matrix.MatrixExpr.Product;
import io.memoflow.matrix.MatrixExpr.Scaled;
import io.memoflow.matrix.MatrixExpr.Sum;
import io.memoflow.matrix.MatrixExpr.Symbol;
import io.memoflow.matrix.MatrixExpr.Transpose;
import io.memoflow.matrix.MatrixExpr.Zero;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * The reference meaning of matrix expressions: evaluates an expression tree directly with plain
 * Java loops ({@link Matrix#times}, {@link Matrix#inverse}, ...), independent of BLAS, LAPACK and
 * the rewriting. Tests compare compiled computations against it.
 *
 * <p>Stateless and thread-safe.
 */
public final class MatrixEvaluator {
  private MatrixEvaluator() {}

  /**
   * Returns the value of {@code e} with symbols bound by name; shared sub-expressions are
   * evaluated once.
   *
   * @throws IllegalArgumentException if a symbol is unbound or bound to a matrix of another
   *     shape, or {@code e} holds pivots, {@code info} or row interchanges (their values depend
   *     on the LU algorithm)
   * @throws ArithmeticException if an inverse or Cholesky factor does not exist
   */
  public static Matrix evaluate(MatrixExpr e, Map<String, Matrix> values) {
    requireNonNull(e, "e");
    requireNonNull(values, "values");
    return eval(e, values, new HashMap<>());
  }

  private static Matrix eval(MatrixExpr e, Map<String, Matrix> values, Map<MatrixExpr, Matrix> memo) {
    Matrix m = memo.get(e);
    if (m != null) {
      return m;
    }
    m = compute(e, values, memo);
    memo.put(e, m);
    return m;
  }

  private static Matrix compute(
      MatrixExpr e, Map<String, Matrix> values, Map<MatrixExpr, Matrix> memo) {
    if (e instanceof Symbol s) {
      Matrix v = values.get(s.name());
      if (v == null) {
        throw new IllegalArgumentException(
            "No value for symbol " + s.describe() + ". Bind it by name in the values map.");
      }
      if (!v.shape().equals(s.shape())) {
        throw new IllegalArgumentException(
            "Symbol " + s.describe() + " is bound to a " + v.shape()
                + " matrix. Bind a matrix of the symbol's shape.");
      }
      return v;
    }
    if (e instanceof Identity i) {
      return Matrix.identity(i.n());
    }
    if (e instanceof Zero z) {
      return Matrix.zeros(z.shape().rows(), z.shape().cols());
    }
    if (e instanceof Product p) {
      return fold(p.factors(), Matrix::times, values, memo);
    }
    if (e instanceof Sum s) {
      return fold(s.terms(), Matrix::plus, values, memo);
    }
    if (e instanceof Scaled s) {
      return eval(s.expr(), values, memo).scale(s.factor());
    }
    if (e instanceof Transpose t) {
      return eval(t.expr(), values, memo).transpose();
    }
    if (e instanceof Inverse i) {
      return eval(i.expr(), values, memo).inverse();
    }
    if (e instanceof Factor f) {
      if (f.kind() == Factor.Kind.CHOLESKY) {
        return eval(f.of(), values, memo).cholesky();
      }
      throw new IllegalArgumentException(
          e + " has no reference value: it depends on the LU pivoting order."
              + " Compare the results computed from it instead.");
    }
    throw new AssertionError(e);
  }

  /** Evaluates {@code parts} in order and combines them left to right (a product or a sum). */
  private static Matrix fold(List<MatrixExpr> parts, BinaryOperator<Matrix> combine,
      Map<String, Matrix> values, Map<MatrixExpr, Matrix> memo) {
    Matrix acc = null;
    for (MatrixExpr part : parts) {
      Matrix v = eval(part, values, memo);
      acc = acc == null ? v : combine.apply(acc, v);
    }
    return acc;
  }
}
