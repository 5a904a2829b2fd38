package io.memoflow.reactive;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The runs of one engine that have started and not yet ended, so that {@link Engine#close}
 * can stop them and wait for the op calls they are running to finish and be committed: a
 * closed engine leaves no call behind, half done or uncommitted.
 */
final class Activity {
  /** Runs ({@link Execution}s) and batches of points run together (see Engine.sweepTogether). */
  private final Set<Object> running = new HashSet<>();
  /** How many workers of this engine's runs the current thread is inside (nested inline). */
  private final ThreadLocal<int[]> workerDepth = ThreadLocal.withInitial(() -> new int[1]);
  private boolean closed;

  /** Records a run that starts; returns false, recording nothing, once the engine is closed. */
  synchronized boolean enter(Object run) {
    if (closed) {
      return false;
    }
    running.add(run);
    return true;
  }

  /** Records that a run ended (committed everything it will). Idempotent. */
  synchronized void exit(Object run) {
    if (running.remove(run) && running.isEmpty()) {
      notifyAll();
    }
  }

  /** Whether the engine is closed (a batch of points starts no more of them). */
  synchronized boolean isClosed() {
    return closed;
  }

  /** Marks the current thread as running a worker of a run, until {@link #workerDone}. */
  void workerRunning() {
    workerDepth.get()[0]++;
  }

  void workerDone() {
    workerDepth.get()[0]--;
  }

  /**
   * Refuses new runs, stops every running one from starting more nodes, and waits until the
   * nodes running have finished and their calls are committed. Does not wait when called from
   * inside a run's worker (that run cannot end while its caller waits for it), nor after the
   * calling thread is interrupted (the interrupt is kept).
   */
  void close() {
    List<Object> toStop;
    synchronized (this) {
      closed = true;
      toStop = List.copyOf(running);
    }
    for (Object run : toStop) {
      if (run instanceof Execution e) {
        e.dispose();   // a batch stops by itself: it asks isClosed before each point
      }
    }
    if (workerDepth.get()[0] > 0) {
      return;
    }
    synchronized (this) {
      while (!running.isEmpty()) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
