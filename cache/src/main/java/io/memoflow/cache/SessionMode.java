package io.memoflow.cache;

/** How a {@link Session} treats calls it has not seen before. */
public enum SessionMode {
  /** Retrace stored calls, reuse stored results by content, execute and store the rest. */
  NORMAL,
  /**
   * Retrace stored calls only: a call that is not stored under its history id raises
   * {@link NoStoredCallException} naming the op, and nothing is written (read-only use).
   */
  NO_NEW_CALLS,
  /** Run every op without looking anything up or storing anything. */
  NO_OP
}
