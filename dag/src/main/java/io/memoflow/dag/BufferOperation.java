package io.memoflow.dag;

/**
 * An {@link Operation} that can run on dense {@code double[]} buffers, such as a BLAS or LAPACK
 * call with its shapes fixed.
 *
 * <p>Contract of {@link #execute}: {@code inputs[j]} holds input {@code j}; {@code outputs[k]}
 * receives output {@code k}. An output may be the very same array as the input it {@link
 * #overwrites() overwrites} (in place, as the in-place planner arranges); otherwise it is a
 * separate array of {@link #outputLength(int)} doubles whose prior content is garbage, and the
 * kernel copies what it needs into it. Inputs that are not overwritten are never written.
 * Implementations are immutable and thread-safe; {@code execute} may run concurrently on
 * distinct buffers.
 */
public interface BufferOperation extends Operation {

  /** Returns the number of doubles input {@code input} occupies. */
  int inputLength(int input);

  /** Returns the number of doubles output {@code output} occupies. */
  int outputLength(int output);

  /**
   * Returns whether {@link #execute} demands arrays of exactly {@link #inputLength} and {@link
   * #outputLength} doubles (true for the BLAS/LAPACK routines, which check them); false, the
   * default, when a longer array is fine and its tail is left alone. A buffer planner reads it to
   * give such operations buffers of one size only.
   */
  default boolean exactLengths() {
    return false;
  }

  /**
   * Runs the operation.
   *
   * @throws IllegalArgumentException if a buffer has the wrong length
   * @throws ArithmeticException if the numerical routine fails (e.g. a singular matrix); the
   *     message names the routine and its {@code info} code
   */
  void execute(double[][] inputs, double[][] outputs);
}
