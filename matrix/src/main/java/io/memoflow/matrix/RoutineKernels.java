package io.memoflow.matrix;

import java.util.Arrays;
import org.netlib.util.intW;

/* Overview: the netlib calls behind each LibraryOp routine: buffer checks, copying an input into
 * an output that does not overwrite it, the BLAS or LAPACK call itself and its info check. The
 * routine records keep their meaning (signature, cost, outputs, applicability); this class owns
 * only how they run. */

/** Runs each {@link LibraryOp} routine on its buffers through netlib. Stateless and thread-safe. */
final class RoutineKernels {
  private RoutineKernels() {}

  /** Runs {@code op} on the calling thread; see {@link LibraryOp#execute}. */
  static void execute(LibraryOp op, double[][] in, double[][] out) {
    if (op instanceof LibraryOp.Gemm o) {
      gemm(o, in, out);
    } else if (op instanceof LibraryOp.Symm o) {
      symm(o, in, out);
    } else if (op instanceof LibraryOp.Syrk o) {
      syrk(o, in, out);
    } else if (op instanceof LibraryOp.Axpy o) {
      axpy(o, in, out);
    } else if (op instanceof LibraryOp.Copy o) {
      copy(o, in, out);
    } else if (op instanceof LibraryOp.Gesv o) {
      gesv(o, in, out);
    } else if (op instanceof LibraryOp.Posv o) {
      posv(o, in, out);
    } else if (op instanceof LibraryOp.Potrs o) {
      potrs(o, in, out);
    } else if (op instanceof LibraryOp.Laswp o) {
      laswp(o, in, out);
    } else if (op instanceof LibraryOp.Trsm o) {
      trsm(o, in, out);
    } else if (op instanceof FactorOp.Potrf o) {
      potrf(o, in, out);
    } else if (op instanceof FactorOp.Getrf o) {
      getrf(o, in, out);
    } else if (op instanceof FactorOp.Getrs o) {
      getrs(o, in, out);
    } else {
      throw new AssertionError("unhandled routine " + op.name()); // the interface is sealed
    }
  }

  /** Runs {@link LibraryOp.Gemm}; see {@link LibraryOp#execute} for the buffer contract. */
  static void gemm(LibraryOp.Gemm op, double[][] in, double[][] out) {
    boolean transA = op.transA();
    boolean transB = op.transB();
    int m = op.m();
    int n = op.n();
    int k = op.k();
    double alpha = op.alpha();
    double beta = op.beta();
    Kernels.check(op, in, out);
    double[] c = out[0];
    if (op.hasC()) {
      Kernels.copyIntoOutput(in[2], c);
    }
    Kernels.BLAS.dgemm(
        transA ? "T" : "N", transB ? "T" : "N", m, n, k, alpha,
        in[0], transA ? k : m, in[1], transB ? n : k, beta, c, m);
  }

  /** Runs {@link LibraryOp.Symm}; see {@link LibraryOp#execute} for the buffer contract. */
  static void symm(LibraryOp.Symm op, double[][] in, double[][] out) {
    boolean left = op.left();
    int m = op.m();
    int n = op.n();
    double alpha = op.alpha();
    Kernels.check(op, in, out);
    Kernels.BLAS.dsymm(
        left ? "L" : "R", "U", m, n, alpha, in[0], left ? m : n, in[1], m, 0, out[0], m);
  }

  /** Runs {@link LibraryOp.Syrk}; see {@link LibraryOp#execute} for the buffer contract. */
  static void syrk(LibraryOp.Syrk op, double[][] in, double[][] out) {
    boolean trans = op.trans();
    int n = op.n();
    int k = op.k();
    double alpha = op.alpha();
    double beta = op.beta();
    Kernels.check(op, in, out);
    double[] c = out[0];
    if (op.hasC()) {
      Kernels.copyIntoOutput(in[1], c);
    }
    Kernels.BLAS.dsyrk("U", trans ? "T" : "N", n, k, alpha, in[0], trans ? k : n, beta, c, n);
    Kernels.mirrorUpper(c, n);
  }

  /** Runs {@link LibraryOp.Axpy}; see {@link LibraryOp#execute} for the buffer contract. */
  static void axpy(LibraryOp.Axpy op, double[][] in, double[][] out) {
    double alpha = op.alpha();
    Kernels.check(op, in, out);
    double[] y = out[0];
    Kernels.copyIntoOutput(in[1], y);
    Kernels.BLAS.daxpy(y.length, alpha, in[0], 1, y, 1);
  }

  /** Runs {@link LibraryOp.Copy}; see {@link LibraryOp#execute} for the buffer contract. */
  static void copy(LibraryOp.Copy op, double[][] in, double[][] out) {
    int rows = op.rows();
    int cols = op.cols();
    boolean transpose = op.transpose();
    Kernels.check(op, in, out);
    if (!transpose) {
      Kernels.BLAS.dcopy(rows * cols, in[0], 1, out[0], 1);
      return;
    }
    // Column j of the result is row j of A (A is cols x rows, leading dimension cols).
    for (int j = 0; j < cols; j++) {
      Kernels.BLAS.dcopy(rows, in[0], j, cols, out[0], j * rows, 1);
    }
  }

  /** Runs {@link LibraryOp.Gesv}; see {@link LibraryOp#execute} for the buffer contract. */
  static void gesv(LibraryOp.Gesv op, double[][] in, double[][] out) {
    int n = op.n();
    int nrhs = op.nrhs();
    Kernels.check(op, in, out);
    double[] lu = in[0].clone();
    double[] x = out[0];
    Kernels.copyIntoOutput(in[1], x);
    int[] ipiv = new int[n];
    intW info = new intW(0);
    Kernels.LAPACK.dgesv(n, nrhs, lu, n, ipiv, x, n, info);
    Kernels.checkInfo("GESV", info.val, "U(" + info.val + "," + info.val
        + ") is exactly zero: A is singular. Check that the matrix is invertible.");
    for (int i = 0; i < n; i++) {
      out[1][i] = ipiv[i];
    }
    out[2][0] = info.val;
  }

  /** Runs {@link LibraryOp.Posv}; see {@link LibraryOp#execute} for the buffer contract. */
  static void posv(LibraryOp.Posv op, double[][] in, double[][] out) {
    int n = op.n();
    int nrhs = op.nrhs();
    Kernels.check(op, in, out);
    double[] x = out[0];
    double[] u = out[1];
    Kernels.copyIntoOutput(in[1], x);
    Kernels.copyIntoOutput(in[0], u);
    intW info = new intW(0);
    Kernels.LAPACK.dposv("U", n, nrhs, u, n, x, n, info);
    Kernels.checkInfo("POSV", info.val, "the leading minor of order " + info.val
        + " is not positive definite. Check that A is symmetric positive definite, or use GESV.");
    for (int j = 0; j < n - 1; j++) {
      Arrays.fill(u, j * n + j + 1, (j + 1) * n, 0.0);
    }
  }

  /** Runs {@link LibraryOp.Potrs}; see {@link LibraryOp#execute} for the buffer contract. */
  static void potrs(LibraryOp.Potrs op, double[][] in, double[][] out) {
    int n = op.n();
    int nrhs = op.nrhs();
    Kernels.check(op, in, out);
    double[] x = out[0];
    Kernels.copyIntoOutput(in[1], x);
    intW info = new intW(0);
    Kernels.LAPACK.dpotrs("U", n, nrhs, in[0], n, x, n, info);
    Kernels.checkInfo("POTRS", info.val, "invalid argument.");
  }

  /** Runs {@link FactorOp.Potrf}; see {@link LibraryOp#execute} for the buffer contract. */
  static void potrf(FactorOp.Potrf op, double[][] in, double[][] out) {
    int n = op.n();
    Kernels.check(op, in, out);
    double[] u = out[0];
    Kernels.copyIntoOutput(in[0], u);
    intW info = new intW(0);
    Kernels.LAPACK.dpotrf("U", n, u, n, info);
    Kernels.checkInfo("POTRF", info.val, "the leading minor of order " + info.val
        + " is not positive definite. Check that A is symmetric positive definite, or use GETRF.");
    for (int j = 0; j < n - 1; j++) {
      Arrays.fill(u, j * n + j + 1, (j + 1) * n, 0.0);
    }
  }

  /** Runs {@link FactorOp.Getrf}; see {@link LibraryOp#execute} for the buffer contract. */
  static void getrf(FactorOp.Getrf op, double[][] in, double[][] out) {
    int n = op.n();
    int ld = n + 1; // row n+1 of each column holds a pivot
    Kernels.check(op, in, out);
    double[] lu = out[0];
    for (int j = 0; j < n; j++) {
      System.arraycopy(in[0], j * n, lu, j * ld, n);
    }
    int[] ipiv = new int[n];
    intW info = new intW(0);
    Kernels.LAPACK.dgetrf(n, n, lu, ld, ipiv, info);
    Kernels.checkInfo("GETRF", info.val, "U(" + info.val + "," + info.val
        + ") is exactly zero: A is singular. Check that the matrix is invertible.");
    for (int j = 0; j < n; j++) {
      lu[j * ld + n] = ipiv[j];
    }
  }

  /** Runs {@link FactorOp.Getrs}; see {@link LibraryOp#execute} for the buffer contract. */
  static void getrs(FactorOp.Getrs op, double[][] in, double[][] out) {
    int n = op.n();
    int ld = n + 1;
    Kernels.check(op, in, out);
    int[] ipiv = new int[n];
    for (int j = 0; j < n; j++) {
      double p = in[0][j * ld + n];
      if (p != Math.rint(p) || p < 1 || p > n) {
        throw new IllegalArgumentException("GETRS: pivot " + (j + 1) + " is " + p
            + " but must be an integer in 1.." + n + ". Pass the LU output of GETRF unchanged.");
      }
      ipiv[j] = (int) p;
    }
    double[] x = out[0];
    Kernels.copyIntoOutput(in[1], x);
    intW info = new intW(0);
    Kernels.LAPACK.dgetrs("N", n, op.nrhs(), in[0], ld, ipiv, x, n, info);
    Kernels.checkInfo("GETRS", info.val, "invalid argument.");
  }

  /** Runs {@link LibraryOp.Laswp}; see {@link LibraryOp#execute} for the buffer contract. */
  static void laswp(LibraryOp.Laswp op, double[][] in, double[][] out) {
    int n = op.n();
    int nrhs = op.nrhs();
    Kernels.check(op, in, out);
    int[] ipiv = new int[n];
    for (int i = 0; i < n; i++) {
      double p = in[1][i];
      if (p != Math.rint(p) || p < i + 1 || p > n) {
        throw new IllegalArgumentException(
            "LASWP: pivot " + (i + 1) + " is " + p + " but must be an integer in " + (i + 1)
            + ".." + n + ". Pass the pivots output of GESV unchanged.");
      }
      ipiv[i] = (int) p;
    }
    double[] x = out[0];
    Kernels.copyIntoOutput(in[0], x);
    Kernels.LAPACK.dlaswp(nrhs, x, n, 1, n, ipiv, 1);
  }

  /** Runs {@link LibraryOp.Trsm}; see {@link LibraryOp#execute} for the buffer contract. */
  static void trsm(LibraryOp.Trsm op, double[][] in, double[][] out) {
    boolean left = op.left();
    boolean lower = op.lower();
    boolean transA = op.transA();
    int m = op.m();
    int n = op.n();
    double alpha = op.alpha();
    Kernels.check(op, in, out);
    double[] x = out[0];
    Kernels.copyIntoOutput(in[1], x);
    Kernels.BLAS.dtrsm(
        left ? "L" : "R", lower ? "L" : "U", transA ? "T" : "N", "N",
        m, n, alpha, in[0], left ? m : n, x, m);
  }
}
