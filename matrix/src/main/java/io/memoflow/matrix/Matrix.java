package io.memoflow.matrix;

import static java.util.Objects.requireNonNull;

import io.memoflow.matrix.MatrixExpr.Symbol;
import java.util.Arrays;
import java.util.Random;

/**
 * An immutable dense matrix of doubles stored column-major, as BLAS and LAPACK expect: element
 * {@code (i, j)} is at index {@code i + j * rows}.
 *
 * <p>Equal when shape and every element are equal ({@code Double.compare} semantics). Thread-safe;
 * arrays passed in and returned are copies.
 */
public final class Matrix {
  private final Shape shape;
  private final double[] data;

  private Matrix(Shape shape, double[] data) {
    this.shape = shape;
    this.data = data;
  }

  /**
   * Returns the matrix with these column-major elements (copied).
   *
   * @throws IllegalArgumentException if {@code columnMajor.length != rows * cols}
   */
  public static Matrix of(int rows, int cols, double... columnMajor) {
    Shape s = Shape.of(rows, cols);
    if (columnMajor.length != s.size()) {
      throw new IllegalArgumentException(
          "A " + s + " matrix needs " + s.size() + " doubles, not " + columnMajor.length
              + ". Pass the elements column by column.");
    }
    return new Matrix(s, columnMajor.clone());
  }

  /**
   * Returns the matrix with these rows, e.g. {@code fromRows(new double[][] {{1, 2}, {3, 4}})}.
   *
   * @throws IllegalArgumentException if rows differ in length or there are none
   */
  public static Matrix fromRows(double[][] rows) {
    if (rows.length == 0 || rows[0].length == 0) {
      throw new IllegalArgumentException("A matrix needs at least one row and one column.");
    }
    int r = rows.length;
    int c = rows[0].length;
    double[] d = new double[r * c];
    for (int i = 0; i < r; i++) {
      if (rows[i].length != c) {
        throw new IllegalArgumentException(
            "Row " + i + " has " + rows[i].length + " elements but row 0 has " + c
                + ". Give every row the same length.");
      }
      for (int j = 0; j < c; j++) {
        d[i + j * r] = rows[i][j];
      }
    }
    return new Matrix(Shape.of(r, c), d);
  }

  /** Returns the {@code rows x cols} zero matrix. */
  public static Matrix zeros(int rows, int cols) {
    Shape s = Shape.of(rows, cols);
    return new Matrix(s, new double[s.size()]);
  }

  /** Returns the {@code n x n} identity. */
  public static Matrix identity(int n) {
    double[] d = new double[n * n];
    for (int i = 0; i < n; i++) {
      d[i + i * n] = 1;
    }
    return new Matrix(Shape.of(n, n), d);
  }

  /**
   * Returns a random matrix of the symbol's shape that satisfies its assumptions and is well
   * conditioned: positive definite as {@code B^T B + n I}, triangular and full-rank ones with a
   * dominant diagonal, symmetric ones {@code (B + B^T) / 2 + n I}; other entries uniform in
   * {@code [-1, 1)}. Deterministic for a given {@code random} state.
   */
  public static Matrix random(Symbol symbol, Random random) {
    Shape s = symbol.shape();
    int r = s.rows();
    int c = s.cols();
    double[] b = new double[r * c];
    for (int i = 0; i < b.length; i++) {
      b[i] = 2 * random.nextDouble() - 1;
    }
    Matrix m = new Matrix(s, b);
    if (symbol.has(MatrixProperty.POSITIVE_DEFINITE)) {
      return m.transpose().times(m).plus(identity(r).scale(r));
    }
    boolean lower = symbol.has(MatrixProperty.LOWER_TRIANGULAR);
    boolean upper = symbol.has(MatrixProperty.UPPER_TRIANGULAR);
    if (lower || upper) {
      for (int j = 0; j < c; j++) {
        for (int i = 0; i < r; i++) {
          if ((i < j && !upper) || (i > j && !lower)) {
            b[i + j * r] = 0;
          }
        }
        b[j + j * r] = r + Math.abs(b[j + j * r]) + 1;
      }
      return m;
    }
    if (symbol.has(MatrixProperty.SYMMETRIC)) {
      return m.plus(m.transpose()).scale(0.5).plus(identity(r).scale(r));
    }
    if (symbol.has(MatrixProperty.FULL_RANK)) {
      int d = Math.min(r, c);
      for (int i = 0; i < d; i++) {
        b[i + i * r] += Math.max(r, c); // a dominant diagonal keeps it well conditioned
      }
    }
    return m;
  }

  /** Returns the shape. */
  public Shape shape() {
    return shape;
  }

  /** Returns the number of rows. */
  public int rows() {
    return shape.rows();
  }

  /** Returns the number of columns. */
  public int cols() {
    return shape.cols();
  }

  /** Returns element {@code (i, j)}, zero-based. */
  public double get(int i, int j) {
    if (i < 0 || i >= rows() || j < 0 || j >= cols()) {
      throw new IndexOutOfBoundsException(
          "(" + i + ", " + j + ") is outside a " + shape + " matrix.");
    }
    return data[i + j * rows()];
  }

  /** Returns a copy of the column-major elements. */
  public double[] toArray() {
    return data.clone();
  }

  /** Returns the column-major elements without copying; callers must not write them. */
  double[] raw() {
    return data;
  }

  static Matrix wrap(Shape shape, double[] data) {
    return new Matrix(shape, data);
  }

  /**
   * Returns {@code this * o} (plain triple loop: the reference, not the fast path).
   *
   * @throws IllegalArgumentException if the inner dimensions differ
   */
  public Matrix times(Matrix o) {
    if (cols() != o.rows()) {
      throw new IllegalArgumentException(
          "Matrix (" + shape + ") * matrix (" + o.shape + "): inner dimensions differ.");
    }
    int m = rows();
    int n = o.cols();
    int k = cols();
    double[] c = new double[m * n];
    for (int j = 0; j < n; j++) {
      for (int p = 0; p < k; p++) {
        double bpj = o.data[p + j * k];
        for (int i = 0; i < m; i++) {
          c[i + j * m] += data[i + p * m] * bpj;
        }
      }
    }
    return new Matrix(Shape.of(m, n), c);
  }

  /**
   * Returns {@code this + o}.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public Matrix plus(Matrix o) {
    if (!shape.equals(o.shape)) {
      throw new IllegalArgumentException(
          "Matrix (" + shape + ") + matrix (" + o.shape + "): shapes differ.");
    }
    double[] c = data.clone();
    for (int i = 0; i < c.length; i++) {
      c[i] += o.data[i];
    }
    return new Matrix(shape, c);
  }

  /** Returns {@code factor * this}. */
  public Matrix scale(double factor) {
    double[] c = data.clone();
    for (int i = 0; i < c.length; i++) {
      c[i] *= factor;
    }
    return new Matrix(shape, c);
  }

  /** Returns the transpose. */
  public Matrix transpose() {
    int r = rows();
    int c = cols();
    double[] t = new double[r * c];
    for (int j = 0; j < c; j++) {
      for (int i = 0; i < r; i++) {
        t[j + i * c] = data[i + j * r];
      }
    }
    return new Matrix(shape.transposed(), t);
  }

  /**
   * Returns the inverse by Gauss-Jordan elimination with partial pivoting.
   *
   * @throws IllegalArgumentException if not square
   * @throws ArithmeticException if singular to working precision
   */
  public Matrix inverse() {
    if (!shape.isSquare()) {
      throw new IllegalArgumentException("Matrix (" + shape + ")^-1: not square.");
    }
    int n = rows();
    double[][] a = new double[n][2 * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        a[i][j] = data[i + j * n];
      }
      a[i][n + i] = 1;
    }
    for (int col = 0; col < n; col++) {
      int piv = col;
      for (int i = col + 1; i < n; i++) {
        if (Math.abs(a[i][col]) > Math.abs(a[piv][col])) {
          piv = i;
        }
      }
      if (a[piv][col] == 0) {
        throw new ArithmeticException("Matrix (" + shape + ") is singular: column " + col
            + " has no non-zero pivot.");
      }
      double[] t = a[col];
      a[col] = a[piv];
      a[piv] = t;
      double p = a[col][col];
      for (int j = 0; j < 2 * n; j++) {
        a[col][j] /= p;
      }
      for (int i = 0; i < n; i++) {
        if (i != col && a[i][col] != 0) {
          double f = a[i][col];
          for (int j = 0; j < 2 * n; j++) {
            a[i][j] -= f * a[col][j];
          }
        }
      }
    }
    double[] inv = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        inv[i + j * n] = a[i][n + j];
      }
    }
    return new Matrix(shape, inv);
  }

  /**
   * Returns the upper triangular {@code U} with {@code U^T U = this} (zero below the diagonal).
   *
   * @throws ArithmeticException if not positive definite
   */
  public Matrix cholesky() {
    if (!shape.isSquare()) {
      throw new IllegalArgumentException("Cholesky of a " + shape + " matrix: not square.");
    }
    int n = rows();
    double[] u = new double[n * n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i <= j; i++) {
        double s = data[i + j * n];
        for (int k = 0; k < i; k++) {
          s -= u[k + i * n] * u[k + j * n];
        }
        if (i == j) {
          if (s <= 0) {
            throw new ArithmeticException(
                "Matrix (" + shape + ") is not positive definite (leading minor " + (j + 1) + ").");
          }
          u[j + j * n] = Math.sqrt(s);
        } else {
          u[i + j * n] = s / u[i + i * n];
        }
      }
    }
    return new Matrix(shape, u);
  }

  /**
   * Returns {@code ||this - o||_F / ||o||_F} (the absolute difference when {@code o} is zero).
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public double relativeError(Matrix o) {
    requireNonNull(o, "o");
    if (!shape.equals(o.shape)) {
      throw new IllegalArgumentException(
          "Cannot compare a " + shape + " matrix with a " + o.shape + " one.");
    }
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < data.length; i++) {
      double d = data[i] - o.data[i];
      diff += d * d;
      norm += o.data[i] * o.data[i];
    }
    return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Matrix m && m.shape.equals(shape) && Arrays.equals(m.data, data);
  }

  @Override
  public int hashCode() {
    return shape.hashCode() * 31 + Arrays.hashCode(data);
  }

  /** Returns the rows, e.g. {@code [[1.0, 2.0], [3.0, 4.0]]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < rows(); i++) {
      sb.append(i == 0 ? "[" : ", [");
      for (int j = 0; j < cols(); j++) {
        sb.append(j == 0 ? "" : ", ").append(data[i + j * rows()]);
      }
      sb.append(']');
    }
    return sb.append(']').toString();
  }
}
