package io.memoflow.cache.version;

/**
 * Thrown when the code version of an op cannot be computed: the op was built from a lambda whose
 * functional interface is not {@link java.io.Serializable}, or its bytecode (or that of an
 * application method it calls, or the value of a constant it reads) cannot be read. The message
 * says which op and class, and how to fix it; an explicit version label on the op always works.
 */
public class CodeVersionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that says what was wrong and what to do. */
  public CodeVersionException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public CodeVersionException(String message, Throwable cause) {
    super(message, cause);
  }
}
