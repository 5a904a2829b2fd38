package io.memoflow.matrix;

/**
 * The shape of a matrix: {@code rows x cols}, both at least 1. A column vector is {@code n x 1}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param rows the number of rows
 * @param cols the number of columns
 */
public record Shape(int rows, int cols) {

  /** @throws IllegalArgumentException if a dimension is below 1 */
  public Shape {
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException(
          "A matrix shape needs at least one row and one column, not " + rows + "x" + cols
              + ". Use positive dimensions.");
    }
  }

  /** Returns the shape {@code rows x cols}. */
  public static Shape of(int rows, int cols) {
    return new Shape(rows, cols);
  }

  /** Returns whether rows equal columns. */
  public boolean isSquare() {
    return rows == cols;
  }

  /** Returns {@code cols x rows}. */
  public Shape transposed() {
    return new Shape(cols, rows);
  }

  /** Returns {@code rows * cols}, the length of a column-major buffer of this shape. */
  public int size() {
    return Math.multiplyExact(rows, cols);
  }

  /** Returns {@code 3x4}. */
  @Override
  public String toString() {
    return rows + "x" + cols;
  }
}
