package io.memoflow.cache.spi;

/**
 * Thrown when a store cannot be opened, read or written: not a store, incompatible format
 * version, held by an older memoflow, missing JVM options, an I/O failure, or a value that
 * cannot be serialized. The message says what was wrong, where, and what to do.
 */
public class StorageException extends RuntimeException {
  /** Creates an exception with a message. */
  public StorageException(String message) {
    super(message);
  }

  /** Creates an exception with a message and a cause. */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
