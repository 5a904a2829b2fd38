package io.memoflow.matrix;

import io.memoflow.matrix.MatrixExpr.Factor;
import java.util.List;

/**
 * The {@link LibraryOp} routines that compute a factorization as a value ({@code POTRF},
 * {@code GETRF}) and the solve that reads one ({@code GETRS}; {@code POTRS} and {@code TRSM}
 * read a Cholesky factor too). A factorization computed once serves every solve with its
 * matrix: {@code A^-1 B} and {@code A^-1 C} cost one {@code GETRF} and two {@code GETRS}.
 * Immutable records, thread-safe.
 */
public sealed interface FactorOp extends LibraryOp
    permits FactorOp.Potrf, FactorOp.Getrf, FactorOp.Getrs {

  /**
   * The Cholesky factorization {@code A = U^T U} of a symmetric positive definite {@code A}
   * ({@code dpotrf}, upper). Input {@code A}; output {@code U} over {@code A}, zero below the
   * diagonal.
   *
   * @param n order of A
   */
  record Potrf(int n) implements FactorOp {
    /** @throws IllegalArgumentException if n is below 1 */
    public Potrf {
      Kernels.dims(n);
    }

    @Override
    public double cost() {
      return n * n * (double) n / 3 + CALL_OVERHEAD;
    }

    @Override
    public List<MatrixExpr> outputs(List<? extends MatrixExpr> in) {
      Kernels.checkShapes(this, in);
      return List.of(MatrixExpr.cholesky(in.get(0)));
    }

    @Override
    public boolean appliesTo(List<? extends MatrixExpr> in) {
      return Kernels.shapesMatch(this, in) && Facts.isPositiveDefinite(in.get(0));
    }

    @Override
    public String describe() {
      return "POTRF " + n;
    }
  }

  /**
   * The LU factorization with partial pivoting {@code A = P L U} ({@code dgetrf}). Input
   * {@code A}, kept; output the packed {@code (n+1) x n} factor {@code LU(A)}: {@code L} and
   * {@code U} in rows 1..n, the 1-based pivots in row n+1.
   *
   * @param n order of A
   */
  record Getrf(int n) implements FactorOp {
    /** @throws IllegalArgumentException if n is below 1 */
    public Getrf {
      Kernels.dims(n);
    }

    @Override
    public double cost() {
      return 2.0 / 3 * n * n * n + (double) n * n + CALL_OVERHEAD;
    }

    @Override
    public List<MatrixExpr> outputs(List<? extends MatrixExpr> in) {
      Kernels.checkShapes(this, in);
      return List.of(MatrixExpr.lu(in.get(0)));
    }

    @Override
    public boolean appliesTo(List<? extends MatrixExpr> in) {
      return Kernels.shapesMatch(this, in);
    }

    @Override
    public String describe() {
      return "GETRF " + n;
    }
  }

  /**
   * Solves {@code A X = B} from the packed LU factor of {@code A} ({@code dgetrs}). Inputs
   * {@code LU(A)} (as {@link Getrf} leaves it), {@code B} (n x nrhs); output the solution over
   * {@code B}.
   *
   * @param n order of A
   * @param nrhs columns of B
   */
  record Getrs(int n, int nrhs) implements FactorOp {
    /** @throws IllegalArgumentException if a dimension is below 1 */
    public Getrs {
      Kernels.dims(n, nrhs);
    }

    @Override
    public double cost() {
      return 2.0 * n * n * nrhs + CALL_OVERHEAD;
    }

    @Override
    public List<MatrixExpr> outputs(List<? extends MatrixExpr> in) {
      Kernels.checkShapes(this, in);
      if (!isLu(in.get(0))) {
        throw new IllegalArgumentException(
            "GETRS reads the LU factor GETRF computes (LU(A)), not " + in.get(0)
                + ". Pass the output of a GETRF computation.");
      }
      return List.of(((Factor) in.get(0)).of().inv().times(in.get(1)));
    }

    @Override
    public boolean appliesTo(List<? extends MatrixExpr> in) {
      return Kernels.shapesMatch(this, in) && isLu(in.get(0));
    }

    private static boolean isLu(MatrixExpr e) {
      return e instanceof Factor f && f.kind() == Factor.Kind.LU;
    }

    @Override
    public String describe() {
      return "GETRS " + n + "x" + nrhs;
    }
  }
}
