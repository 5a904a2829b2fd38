package io.memoflow.inplace;

import io.memoflow.dag.BufferOperation;
import java.util.List;

/**
 * The operation the planner inserts before a destroyed operand that must survive: {@code
 * Copy(x)} writes a fresh copy of {@code x}, which the destroying operation then overwrites in
 * place.
 *
 * <p>Immutable and thread-safe; two copies are equal when their lengths are.
 */
public final class Copy implements BufferOperation {
  /** The operation's name, {@code "Copy"}. */
  public static final String NAME = "Copy";

  private final int length;

  private Copy(int length) {
    if (length < 0) {
      throw new IllegalArgumentException(
          "A copy of " + length + " doubles: the length must not be negative.");
    }
    this.length = length;
  }

  /**
   * Returns the copy of {@code length} doubles.
   *
   * @throws IllegalArgumentException if {@code length} is negative
   */
  public static Copy of(int length) {
    return new Copy(length);
  }

  /** Returns the number of doubles copied. */
  public int length() {
    return length;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> inputNames() {
    return List.of("x");
  }

  @Override
  public List<String> outputNames() {
    return List.of("copy");
  }

  @Override
  public int inputLength(int input) {
    return length;
  }

  @Override
  public int outputLength(int output) {
    return length;
  }

  /**
   * Copies the first {@link #length()} doubles of {@code inputs[0]} into {@code outputs[0]}.
   *
   * @throws IllegalArgumentException if a buffer holds fewer than {@link #length()} doubles
   */
  @Override
  public void execute(double[][] inputs, double[][] outputs) {
    if (inputs.length != 1 || outputs.length != 1
        || inputs[0].length < length || outputs[0].length < length) {
      throw new IllegalArgumentException(
          "Copy of " + length + " doubles needs one input and one output of at least "
              + length + " doubles. Pass buffers sized by the plan.");
    }
    if (inputs[0] != outputs[0]) {
      System.arraycopy(inputs[0], 0, outputs[0], 0, length);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Copy c && c.length == length;
  }

  @Override
  public int hashCode() {
    return 0x436f7079 ^ length;
  }

  @Override
  public String toString() {
    return NAME + "[" + length + "]";
  }
}
