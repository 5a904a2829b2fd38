package io.memoflow.inplace;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.Computation;
import io.memoflow.dag.Expr;
import java.util.Optional;

/**
 * Thrown by {@link BufferPlan#check()} when a plan would lose a value: a write to a buffer comes
 * before a read of the value the buffer still has to hold. The message, and the accessors, name
 * the value, the buffer and the two operations.
 */
public final class UnsafePlanException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final transient Expr value;
  private final Buffer buffer;
  private final transient Computation writer;
  private final transient Computation reader;

  UnsafePlanException(
      String message, Expr value, Buffer buffer, Computation writer, Computation reader) {
    super(message);
    this.value = requireNonNull(value, "value");
    this.buffer = requireNonNull(buffer, "buffer");
    this.writer = writer;
    this.reader = reader;
  }

  /** Returns the value that would be lost. */
  public Expr value() {
    return value;
  }

  /** Returns the buffer that holds it. */
  public Buffer buffer() {
    return buffer;
  }

  /** Returns the computation that writes the buffer too early, if a computation does. */
  public Optional<Computation> writer() {
    return Optional.ofNullable(writer);
  }

  /**
   * Returns the computation that still needs the value, if one does (empty when the value is a
   * graph input or requested output that must survive the whole plan).
   */
  public Optional<Computation> reader() {
    return Optional.ofNullable(reader);
  }
}
