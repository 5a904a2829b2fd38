package io.memoflow.matrix;

/**
 * An assumption attached to a matrix {@link MatrixExpr.Symbol symbol}; {@link Facts} derives
 * the properties of compound expressions from them.
 */
public enum MatrixProperty {
  /** {@code A = A^T}; needs a square matrix. */
  SYMMETRIC,
  /**
   * Symmetric positive definite: {@code A = A^T} and {@code x^T A x > 0} for {@code x != 0};
   * needs a square matrix and implies {@link #SYMMETRIC} and {@link #FULL_RANK}.
   */
  POSITIVE_DEFINITE,
  /**
   * Rank {@code min(rows, cols)}: full column rank when tall, full row rank when wide,
   * invertible when square.
   */
  FULL_RANK,
  /** Zero above the diagonal; needs a square matrix. */
  LOWER_TRIANGULAR,
  /** Zero below the diagonal; needs a square matrix. */
  UPPER_TRIANGULAR;

  /** Returns whether a symbol with this assumption must be square. */
  public boolean needsSquare() {
    return this != FULL_RANK;
  }
}
