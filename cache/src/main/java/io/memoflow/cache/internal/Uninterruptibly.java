package io.memoflow.cache.internal;

/**
 * Runs store I/O with the thread's interrupt flag cleared, then restores it. A file channel
 * closes itself when an interrupted thread uses it (ClosedByInterruptException): on a worker of
 * a cancelled run, a commit would lose its calls, and a lock on the store's shared lock-file
 * channel would break the store for every later call, close included.
 */
public final class Uninterruptibly {
  private Uninterruptibly() {}

  /** Store I/O that returns a value and may throw {@code E}. */
  @FunctionalInterface
  public interface Io<T, E extends Exception> {
    /** Does the I/O. */
    T run() throws E;
  }

  /** Returns what {@code io} returns, run with the interrupt flag cleared (and then restored). */
  public static <T, E extends Exception> T call(Io<T, E> io) throws E {
    boolean interrupted = Thread.interrupted();
    try {
      return io.run();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
