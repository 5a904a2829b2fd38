package io.memoflow.matrix;

import io.memoflow.dag.BufferOperation;
import io.memoflow.matrix.MatrixExpr.Factor;
import io.memoflow.matrix.internal.KernelThreads;
import java.util.List;
import java.util.Map;

/* Overview: the routines as values: parameters and their checks, cost, symbolic meaning
 * (outputs, appliesTo) and description. Their buffer contract is in RoutineSignature, how they
 * run on netlib in RoutineKernels. */

/**
 * A BLAS or LAPACK routine with its shapes and scalars fixed: an {@link BufferOperation} {@link
 * io.memoflow.dag.Operation} on column-major {@code double[]} buffers whose kernel comes from
 * {@code dev.ludovic.netlib} ({@code BLAS.getInstance()}, {@code LAPACK.getInstance()}).
 *
 * <p>Besides running, each routine states what it means symbolically ({@link #outputs}), when
 * it applies ({@link #appliesTo}: shapes and assumptions such as "A is symmetric positive
 * definite"), which outputs overwrite which inputs ({@link #overwrites()}) and what it costs
 * ({@link #cost()}: floating-point operations plus moved elements plus {@link #CALL_OVERHEAD}).
 * Integer results (pivots, {@code info}) are encoded as doubles.
 *
 * <p>Buffer contract (from {@link BufferOperation}): an output may be the very array of the input it
 * overwrites; otherwise it is a fresh array whose content is garbage and the routine copies the
 * input into it first. An output that is the array of an input it does not overwrite is
 * rejected. Instances are immutable records, equal when their parameters are, and thread-safe.
 */
public sealed interface LibraryOp extends BufferOperation
    permits LibraryOp.Gemm,
        LibraryOp.Symm,
        LibraryOp.Syrk,
        LibraryOp.Axpy,
        LibraryOp.Copy,
        LibraryOp.Gesv,
        LibraryOp.Posv,
        LibraryOp.Potrs,
        LibraryOp.Laswp,
        LibraryOp.Trsm,
        FactorOp {

  /** The cost charged for every call on top of its arithmetic, in flop equivalents. */
  double CALL_OVERHEAD = 100;

  /** Returns the routine's name, e.g. {@code GEMM}. */
  @Override
  default String name() {
    return RoutineSignature.of(this).name();
  }

  @Override
  default List<String> inputNames() {
    return RoutineSignature.of(this).inputNames();
  }

  @Override
  default List<String> outputNames() {
    return RoutineSignature.of(this).outputNames();
  }

  @Override
  default Map<Integer, Integer> overwrites() {
    return RoutineSignature.of(this).overwrites();
  }

  /**
   * Returns the shape input {@code i} must have.
   *
   * @throws IndexOutOfBoundsException if the routine has no input {@code i}
   */
  default Shape inputShape(int i) {
    return RoutineSignature.of(this).inputShape(i, this);
  }

  /**
   * Returns the shape of output {@code k}.
   *
   * @throws IndexOutOfBoundsException if the routine has no output {@code k}
   */
  default Shape outputShape(int k) {
    return RoutineSignature.of(this).outputShape(k, this);
  }

  /** Returns the estimated cost: flops plus moved elements plus {@link #CALL_OVERHEAD}. */
  double cost();

  /**
   * Returns the canonical expressions the outputs denote for these inputs, e.g. {@code alpha
   * op(A) op(B) + beta C} for GEMM, {@code [A^-1 B, Cholesky(A)]} for POSV.
   *
   * @throws IllegalArgumentException if an input has the wrong shape
   */
  List<MatrixExpr> outputs(List<? extends MatrixExpr> inputs);

  /**
   * Returns whether the routine computes {@link #outputs} correctly for these inputs: shapes
   * match and the assumptions it relies on hold (symmetric, positive definite, triangular).
   */
  boolean appliesTo(List<? extends MatrixExpr> inputs);

  @Override
  default int inputLength(int input) {
    return inputShape(input).size();
  }

  @Override
  default int outputLength(int output) {
    return outputShape(output).size();
  }

  /**
   * Runs the routine through netlib, on a kernel thread with a big stack (the caller's thread
   * waits), so that a native LAPACK cannot overflow the caller's stack and crash the JVM.
   */
  @Override
  default void execute(double[][] in, double[][] out) {
    KernelThreads.run(() -> RoutineKernels.execute(this, in, out));
  }

  /**
   * Returns true: the routines demand arrays of exactly their {@link #inputLength} and {@link
   * #outputLength}, so the in-place planner gives them such buffers.
   */
  @Override
  default boolean exactLengths() {
    return true;
  }

  /** Returns a short text with the parameters, e.g. {@code GEMM(T,N) 200x1x2000}. */
  String describe();

  // ------------------------------------------------------------------ routines

  /**
   * {@code C := alpha op(A) op(B) + beta C} ({@code dgemm}); {@code op(A)} is {@code A^T} when
   * {@code transA}. Inputs {@code A, B, C} with output 0 over {@code C}; when {@code beta == 0}
   * there is no {@code C} input and the output is fresh.
   *
   * @param transA whether A is transposed
   * @param transB whether B is transposed
   * @param m rows of the result
   * @param n columns of the result
   * @param k the inner dimension
   * @param alpha scalar on the product
   * @param beta scalar on C; 0 means no C input
   */
  record Gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double beta)
      implements LibraryOp {
    /** @throws IllegalArgumentException if a dimension is below 1 or a scalar not finite */
    public Gemm {
      Kernels.dims(m, n, k);
      Kernels.finite(alpha, beta);
    }

    /** Returns whether the routine reads a {@code C} input. */
    public boolean hasC() {
      return beta != 0;
    }

    @Override
    public double cost() {
      return 2.0 * m * n * k + (hasC() ? 2.0 * m * n : 0) + CALL_OVERHEAD;
    }

    @Override
    public List<MatrixExpr> outputs(List<? extends MatrixExpr> in) {
      Kernels.checkShapes(this, in);
      MatrixExpr a = transA ? in.get(0).t() : in.get(0);
      MatrixExpr b = transB ? in.get(1).t() : in.get(1);
      MatrixExpr ab = a.times(b).scale(alpha);
      return List.of(hasC() ? ab.plus(in.get(2).scale(beta)) : ab);
    }

    @Override
    public boolean appliesTo(List<? extends MatrixExpr> in) {
      return Kernels.shapesMatch(this, in);
    }

    @Override
    public String describe() {
      return "GEMM(" + (transA ? "T" : "N") + "," + (transB ? "T" : "N") + ") " + m + "x" + n
          + "x" + k + Kernels.scalars(alpha, beta);
    }
  }

  /**
   * {@code C := alpha A B} (side left) or {@code alpha B A} (side right) with {@code A}
   * symmetric ({@code dsymm}, upper triangle read). Inputs {@code A, B}; fresh output.
   *
   * @param left whether A multiplies from the left
   * @param m rows of the result
   * @param n columns of the result
   * @param alpha scalar on the product
   */
  record Symm(boolean left, int m, int n, double alpha) implements LibraryOp {
    /** @throws IllegalArgumentException if a dimension is below 1 or alpha not finite */
    public Symm {
      Kernels.dims(m, n);
      Kernels.finite(alpha);
    }

    @Override
    public double cost() {
      return 2.0 * m * n * (left ? m : n) + CALL_OVERHEAD;
    }

    @Override
    public List<MatrixExpr> outputs(List<? extends MatrixExpr> in) {
      Kernels.checkShapes(this, in);
      MatrixExpr a = in.get(0);
      MatrixExpr b = in.get(1);
      return List.of((left ? a.times(b) : b.times(a)).scale(alpha));
    }

    @Override
    public boolean appliesTo(List<? extends MatrixExpr> in) {
      return Kernels.shapesMatch(this, in) && Facts.isSymmetric(in.get(0));
    }

    @Override
    public String describe() {
      return "SYMM(" + (left ? "L" : "R") + ") " + m + "x" + n + Kernels.scalars(alpha, 0);
    }
  }

  /**
   * {@code C := alpha A^T A + beta C} ({@code trans}) or {@code alpha A A^T + beta C} ({@code
   * dsyrk} on the upper triangle, then mirrored with {@code dcopy} so the result is a full
   * symmetric matrix). Inputs {@code A} and, when {@code beta != 0}, a symmetric {@code C} with
   * output 0 over it.
   *
   * @param trans whether the result is {@code A^T A} (A is k x n) rather than {@code A A^T}
   * @param n order of the result
   * @param k the inner dimension
   * @param alpha scalar on the product
   * @param beta scalar on C; 0 means no C input
   */
  record Syrk(boolean trans, int n, int k, double alpha, double beta) implements LibraryOp {
    /** @throws IllegalArgumentException if a dimension is below 1 or a scalar not finite */
    public Syrk {
      Kernels.dims(n, k);
      Kernels.finite(alpha, beta);
    }

    /** Returns whether the routine reads a {@code C} input. */
    public boolean hasC() {
      return beta != 0;
    }

    @Override
    public double cost() {
      return (double) n * (n + 1) * k + (hasC() ? (double) n * (n + 1) : 0)
          + n * (n - 1) / 2.0 + CALL_OVERHEAD;
    }

    @Override
    public List<MatrixExpr> outputs(List<? extends MatrixExpr> in) {
      Kernels.checkShapes(this, in);
      MatrixExpr a = in.get(0);
      MatrixExpr g = (trans ? a.t().times(a) : a.times(a.t())).scale(alpha);
      return List.of(hasC() ? g.plus(in.get(1).scale(beta)) : g);
    }

    @Override
    public boolean appliesTo(List<? extends MatrixExpr> in) {
      return Kernels.shapesMatch(this, in) && (!hasC() || Facts.isSymmetric(in.get(1)));
    }

    @Override
    public String describe() {
      return "SYRK(" + (trans ? "T" : "N") + ") " + n + "x" + k + Kernels.scalars(alpha, beta);
    }
  }

  /**
   * {@code Y := alpha X + Y} ({@code daxpy}) on {@code rows x cols} buffers. Inputs {@code X,
   * Y}; output 0 over {@code Y}.
   *
   * @param rows rows of X and Y
   * @param cols columns of X and Y
   * @param alpha scalar on X
   */
  record Axpy(int rows, int cols, double alpha) implements LibraryOp {
    /** @throws IllegalArgumentException if a dimension is below 1 or alpha not finite */
    public Axpy {
      Kernels.dims(rows, cols);
      Kernels.finite(alpha);
    }

    @Override
    public double cost() {
      return 2.0 * rows * cols + CALL_OVERHEAD;
    }

    @Override
    public List<MatrixExpr> outputs(List<? extends MatrixExpr> in) {
      Kernels.checkShapes(this, in);
      return List.of(in.get(0).scale(alpha).plus(in.get(1)));
    }

    @Override
    public boolean appliesTo(List<? extends MatrixExpr> in) {
      return Kernels.shapesMatch(this, in);
    }

    @Override
    public String describe() {
      return "AXPY " + rows + "x" + cols + Kernels.scalars(alpha, 0);
    }
  }

  /**
   * {@code B := A} or {@code B := A^T} ({@code dcopy}; a transpose is one strided copy per
   * column). Input {@code A}; fresh output of shape {@code rows x cols}.
   *
   * @param rows rows of the result
   * @param cols columns of the result
   * @param transpose whether the result is {@code A^T} (A is cols x rows)
   */
  record Copy(int rows, int cols, boolean transpose) implements LibraryOp {
    /** @throws IllegalArgumentException if a dimension is below 1 */
    public Copy {
      Kernels.dims(rows, cols);
    }

    @Override
    public double cost() {
      return (double) rows * cols + CALL_OVERHEAD;
    }

    @Override
    public List<MatrixExpr> outputs(List<? extends MatrixExpr> in) {
      Kernels.checkShapes(this, in);
      return List.of(transpose ? in.get(0).t() : in.get(0));
    }

    @Override
    public boolean appliesTo(List<? extends MatrixExpr> in) {
      return Kernels.shapesMatch(this, in);
    }

    @Override
    public String describe() {
      return "COPY" + (transpose ? "(T) " : " ") + rows + "x" + cols;
    }
  }

  /**
   * Solves {@code A X = B} by LU with partial pivoting ({@code dgesv}). Inputs {@code A} (n x n),
   * {@code B} (n x nrhs); outputs the solution (over {@code B}), the pivots ({@code n x 1},
   * 1-based) and {@code info} ({@code 1 x 1}). {@code A} is left intact: its LU factors go to a
   * scratch copy.
   *
   * @param n order of A
   * @param nrhs columns of B
   */
  record Gesv(int n, int nrhs) implements LibraryOp {
    /** @throws IllegalArgumentException if a dimension is below 1 */
    public Gesv {
      Kernels.dims(n, nrhs);
    }

    @Override
    public double cost() {
      return 2.0 / 3 * n * n * n + 2.0 * n * n * nrhs + (double) n * n + CALL_OVERHEAD;
    }

    @Override
    public List<MatrixExpr> outputs(List<? extends MatrixExpr> in) {
      Kernels.checkShapes(this, in);
      MatrixExpr a = in.get(0);
      return List.of(a.inv().times(in.get(1)), MatrixExpr.pivots(a), MatrixExpr.info(a));
    }

    @Override
    public boolean appliesTo(List<? extends MatrixExpr> in) {
      return Kernels.shapesMatch(this, in);
    }

    @Override
    public String describe() {
      return "GESV " + n + "x" + nrhs;
    }
  }

  /**
   * Solves {@code A X = B} for symmetric positive definite {@code A} by Cholesky ({@code dposv},
   * upper). Inputs {@code A}, {@code B}; outputs the solution (over {@code B}) and the Cholesky
   * factor {@code U} with {@code U^T U = A} (over {@code A}, zero below the diagonal): both
   * inputs are destroyed.
   *
   * @param n order of A
   * @param nrhs columns of B
   */
  record Posv(int n, int nrhs) implements LibraryOp {
    /** @throws IllegalArgumentException if a dimension is below 1 */
    public Posv {
      Kernels.dims(n, nrhs);
    }

    @Override
    public double cost() {
      return n * n * (double) n / 3 + 2.0 * n * n * nrhs + CALL_OVERHEAD;
    }

    @Override
    public List<MatrixExpr> outputs(List<? extends MatrixExpr> in) {
      Kernels.checkShapes(this, in);
      MatrixExpr a = in.get(0);
      return List.of(a.inv().times(in.get(1)), MatrixExpr.cholesky(a));
    }

    @Override
    public boolean appliesTo(List<? extends MatrixExpr> in) {
      return Kernels.shapesMatch(this, in) && Facts.isPositiveDefinite(in.get(0));
    }

    @Override
    public String describe() {
      return "POSV " + n + "x" + nrhs;
    }
  }

  /**
   * Solves {@code A X = B} given the Cholesky factor {@code U} of {@code A} ({@code dpotrs}).
   * Inputs {@code U}, {@code B}; output the solution over {@code B}.
   *
   * @param n order of U
   * @param nrhs columns of B
   */
  record Potrs(int n, int nrhs) implements LibraryOp {
    /** @throws IllegalArgumentException if a dimension is below 1 */
    public Potrs {
      Kernels.dims(n, nrhs);
    }

    @Override
    public double cost() {
      return 2.0 * n * n * nrhs + CALL_OVERHEAD;
    }

    @Override
    public List<MatrixExpr> outputs(List<? extends MatrixExpr> in) {
      Kernels.checkShapes(this, in);
      MatrixExpr u = in.get(0);
      MatrixExpr a = u instanceof Factor f && f.kind() == Factor.Kind.CHOLESKY
          ? f.of()
          : u.t().times(u);
      return List.of(a.inv().times(in.get(1)));
    }

    @Override
    public boolean appliesTo(List<? extends MatrixExpr> in) {
      return Kernels.shapesMatch(this, in) && Facts.isUpperTriangular(in.get(0));
    }

    @Override
    public String describe() {
      return "POTRS " + n + "x" + nrhs;
    }
  }

  /**
   * Applies the row interchanges recorded in LU pivots to {@code B} ({@code dlaswp}, rows 1..n,
   * forward): {@code Q B} where {@code Q A = L U}. Inputs {@code B} (n x nrhs), {@code pivots}
   * (n x 1, 1-based, as produced by {@link Gesv}); output over {@code B}.
   *
   * @param n rows of B
   * @param nrhs columns of B
   */
  record Laswp(int n, int nrhs) implements LibraryOp {
    /** @throws IllegalArgumentException if a dimension is below 1 */
    public Laswp {
      Kernels.dims(n, nrhs);
    }

    @Override
    public double cost() {
      return (double) n * nrhs + CALL_OVERHEAD;
    }

    @Override
    public List<MatrixExpr> outputs(List<? extends MatrixExpr> in) {
      Kernels.checkShapes(this, in);
      if (!(in.get(1) instanceof Factor f && f.kind() == Factor.Kind.PIVOTS)) {
        throw new IllegalArgumentException(
            "LASWP reads pivots produced by GESV (Pivots(A)), not " + in.get(1)
                + ". Pass the pivots output of a GESV computation.");
      }
      return List.of(MatrixExpr.rowInterchanges(f.of()).times(in.get(0)));
    }

    @Override
    public boolean appliesTo(List<? extends MatrixExpr> in) {
      return Kernels.shapesMatch(this, in)
          && in.get(1) instanceof Factor f
          && f.kind() == Factor.Kind.PIVOTS;
    }

    @Override
    public String describe() {
      return "LASWP " + n + "x" + nrhs;
    }
  }

  /**
   * Solves a triangular system ({@code dtrsm}, non-unit diagonal): {@code B := alpha op(A)^-1
   * B} (left) or {@code alpha B op(A)^-1} (right), {@code op(A) = A^T} when {@code transA}.
   * Inputs {@code A} (triangular as {@code lower} says), {@code B} (m x n); output over {@code
   * B}.
   *
   * @param left whether op(A)^-1 multiplies from the left
   * @param lower whether A is lower (else upper) triangular
   * @param transA whether A is transposed
   * @param m rows of B
   * @param n columns of B
   * @param alpha scalar on the result
   */
  record Trsm(boolean left, boolean lower, boolean transA, int m, int n, double alpha)
      implements LibraryOp {
    /** @throws IllegalArgumentException if a dimension is below 1 or alpha not finite */
    public Trsm {
      Kernels.dims(m, n);
      Kernels.finite(alpha);
    }

    @Override
    public double cost() {
      return (double) m * n * (left ? m : n) + CALL_OVERHEAD;
    }

    @Override
    public List<MatrixExpr> outputs(List<? extends MatrixExpr> in) {
      Kernels.checkShapes(this, in);
      MatrixExpr a = transA ? in.get(0).t() : in.get(0);
      MatrixExpr b = in.get(1);
      return List.of((left ? a.inv().times(b) : b.times(a.inv())).scale(alpha));
    }

    @Override
    public boolean appliesTo(List<? extends MatrixExpr> in) {
      return Kernels.shapesMatch(this, in)
          && (lower ? Facts.isLowerTriangular(in.get(0)) : Facts.isUpperTriangular(in.get(0)));
    }

    @Override
    public String describe() {
      return "TRSM(" + (left ? "L" : "R") + "," + (lower ? "L" : "U") + ","
          + (transA ? "T" : "N") + ") " + m + "x" + n + Kernels.scalars(alpha, 0);
    }
  }
}
