package io.memoflow.cache;

/**
 * Thrown when an op's function throws a checked exception; the cause is that exception and the
 * message names the op and the history ids of its inputs. Nothing of the failed call is stored.
 * Unchecked exceptions from a function propagate unwrapped.
 */
public class OpFailedException extends RuntimeException {
  private final String op;

  /** Creates an exception for a failure of {@code op}. */
  public OpFailedException(String op, String message, Throwable cause) {
    super(message, cause);
    this.op = op;
  }

  /** Returns the name of the op that failed. */
  public String op() {
    return op;
  }
}
