package io.memoflow.inplace;

import static java.util.Objects.requireNonNull;

/**
 * One buffer of a {@link BufferPlan}: a block of memory that holds one value at a time.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the buffer's position in {@link BufferPlan#buffers()}, from 0
 * @param name the name used in listings and messages: the name of the graph input it first holds,
 *     or {@code b<id>}
 * @param bytes the buffer's size: the largest value it ever holds
 */
public record Buffer(int id, String name, long bytes) {
  /** @throws IllegalArgumentException if {@code id} or {@code bytes} is negative or the name blank */
  public Buffer {
    requireNonNull(name, "name");
    if (id < 0 || bytes < 0 || name.isBlank()) {
      throw new IllegalArgumentException(
          "Buffer(" + id + ", '" + name + "', " + bytes
              + "): id and bytes must not be negative and the name not blank.");
    }
  }

  /** Returns the number of doubles that hold {@link #bytes()} bytes, rounded up. */
  public int doubles() {
    return Math.toIntExact((bytes + Double.BYTES - 1) / Double.BYTES);
  }

  /** Returns {@link #name()}. */
  @Override
  public String toString() {
    return name;
  }
}
