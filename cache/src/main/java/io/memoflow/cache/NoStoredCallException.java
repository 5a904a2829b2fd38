package io.memoflow.cache;

/**
 * Thrown in a {@link SessionMode#NO_NEW_CALLS} session when a call is not stored; the message
 * names the op and its version.
 */
public class NoStoredCallException extends IllegalStateException {
  private final String op;

  /** Creates an exception for a missing call of {@code op}. */
  public NoStoredCallException(String op, String message) {
    super(message);
    this.op = op;
  }

  /** Returns the name of the op whose call was not stored. */
  public String op() {
    return op;
  }
}
