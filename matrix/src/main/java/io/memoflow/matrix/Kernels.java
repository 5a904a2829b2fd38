package io.memoflow.matrix;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import java.util.List;

/** Shared checks and the netlib instances behind {@link LibraryOp}. */
final class Kernels {
  private Kernels() {}

  static final BLAS BLAS = dev.ludovic.netlib.blas.BLAS.getInstance();
  static final LAPACK LAPACK = dev.ludovic.netlib.lapack.LAPACK.getInstance();

  static void dims(int... ds) {
    for (int d : ds) {
      if (d < 1) {
        throw new IllegalArgumentException(
            "A library routine needs dimensions of at least 1, not " + d + ".");
      }
    }
  }

  static void finite(double... xs) {
    for (double x : xs) {
      if (!Double.isFinite(x)) {
        throw new IllegalArgumentException(
            "A library routine needs finite scalars, not " + x + ".");
      }
    }
  }

  /**
   * Gives an output buffer the content of the input it overwrites: copies unless the output is
   * that very array (the in-place case), per the buffer contract of {@link LibraryOp}.
   */
  static void copyIntoOutput(double[] input, double[] output) {
    if (output != input) {
      System.arraycopy(input, 0, output, 0, output.length);
    }
  }

  static boolean shapesMatch(LibraryOp op, List<? extends MatrixExpr> in) {
    List<Shape> shapes = RoutineSignature.of(op).inputShapes();
    if (in.size() != shapes.size()) {
      return false;
    }
    for (int i = 0; i < in.size(); i++) {
      if (!in.get(i).shape().equals(shapes.get(i))) {
        return false;
      }
    }
    return true;
  }

  static void checkShapes(LibraryOp op, List<? extends MatrixExpr> in) {
    RoutineSignature sig = RoutineSignature.of(op);
    List<String> names = sig.inputNames();
    if (in.size() != names.size()) {
      throw new IllegalArgumentException(
          op.describe() + " takes " + names.size() + " inputs " + names
              + " but was given " + in.size() + ". Pass one per name.");
    }
    for (int i = 0; i < in.size(); i++) {
      Shape want = sig.inputShapes().get(i);
      if (!in.get(i).shape().equals(want)) {
        throw new IllegalArgumentException(
            op.describe() + ": input " + names.get(i) + " is "
                + Canonical.operand(in.get(i)) + " but must be " + want
                + ". Build the routine with matching dimensions.");
      }
    }
  }

  static void check(LibraryOp op, double[][] in, double[][] out) {
    RoutineSignature sig = RoutineSignature.of(op);
    List<String> inputNames = sig.inputNames();
    List<String> outputNames = sig.outputNames();
    int ni = inputNames.size();
    int no = outputNames.size();
    if (in.length != ni || out.length != no) {
      throw new IllegalArgumentException(
          op.describe() + " takes " + ni + " input and " + no + " output buffers but was given "
              + in.length + " and " + out.length + ".");
    }
    for (int i = 0; i < ni; i++) {
      int length = sig.inputShapes().get(i).size();
      if (in[i] == null || in[i].length != length) {
        throw new IllegalArgumentException(MatrixMessages.wrongLength(op.describe(), "input", i,
            inputNames.get(i), length, in[i] == null ? 0 : in[i].length));
      }
    }
    for (int k = 0; k < no; k++) {
      int length = sig.outputShapes().get(k).size();
      if (out[k] == null || out[k].length != length) {
        throw new IllegalArgumentException(MatrixMessages.wrongLength(op.describe(), "output", k,
            outputNames.get(k), length, out[k] == null ? 0 : out[k].length));
      }
      Integer over = sig.overwrites().get(k);
      for (int i = 0; i < ni; i++) {
        if (out[k] == in[i] && (over == null || over != i)) {
          throw new IllegalArgumentException(
              op.describe() + ": output " + k + " (" + outputNames.get(k)
                  + ") is the buffer of input " + i + " (" + inputNames.get(i)
                  + "), which it does not overwrite. Give it a fresh buffer.");
        }
      }
      for (int j = 0; j < k; j++) {
        if (out[k] == out[j]) {
          throw new IllegalArgumentException(
              op.describe() + ": outputs " + j + " and " + k + " share one buffer."
                  + " Give every output its own buffer.");
        }
      }
    }
  }

  static void checkInfo(String routine, int info, String positive) {
    if (info < 0) {
      throw new IllegalArgumentException(
          routine + ": argument " + (-info) + " is invalid (info = " + info + ").");
    }
    if (info > 0) {
      throw new ArithmeticException(routine + " failed (info = " + info + "): " + positive);
    }
  }

  /** Copies the upper triangle of the n x n column-major {@code c} onto its lower triangle. */
  static void mirrorUpper(double[] c, int n) {
    for (int j = 0; j < n - 1; j++) {
      // row j right of the diagonal (stride n) -> column j below the diagonal (stride 1)
      BLAS.dcopy(n - 1 - j, c, j + (j + 1) * n, n, c, (j + 1) + j * n, 1);
    }
  }

  static String scalars(double alpha, double beta) {
    String s = alpha == 1 ? "" : " alpha=" + Canonical.number(alpha);
    return beta == 0 ? s : s + " beta=" + Canonical.number(beta);
  }
}
