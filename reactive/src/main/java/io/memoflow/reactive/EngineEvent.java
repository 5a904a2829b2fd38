package io.memoflow.reactive;

import io.memoflow.cache.Call;
import io.memoflow.dag.Computation;

/**
 * What happens during a run, in the order it happens: a node {@link Started}, then was a
 * {@link Hit} (found in the store, not executed), {@link Computed} (executed) or {@link Failed};
 * {@link Progress} summarizes the counts.
 *
 * <p>Events of one run are delivered one at a time, in an order consistent with the DAG: a
 * node's {@code Started} comes after the {@code Hit} or {@code Computed} of every node it reads
 * from. Times are nanoseconds on the engine's clock (virtual when a virtual-time timer is set).
 * Events are immutable.
 */
public sealed interface EngineEvent
    permits EngineEvent.Started,
        EngineEvent.Hit,
        EngineEvent.Computed,
        EngineEvent.Failed,
        EngineEvent.Progress {

  /** Returns when the event happened, in nanoseconds on the engine's clock. */
  long nanos();

  /**
   * A node began an attempt.
   *
   * @param node the node's position in the composite's {@code order()}
   * @param computation the node
   * @param attempt 0 for the first attempt, then 1, 2, ... for retries
   * @param nanos when
   */
  record Started(int node, Computation computation, int attempt, long nanos)
      implements EngineEvent {}

  /**
   * A node's result was found in the store; its op did not execute.
   *
   * @param node the node's position in {@code order()}
   * @param computation the node
   * @param call the stored call (its output refs identify the outputs)
   * @param nanos when
   */
  record Hit(int node, Computation computation, Call call, long nanos) implements EngineEvent {}

  /**
   * A node's op executed and its result was stored.
   *
   * @param node the node's position in {@code order()}
   * @param computation the node
   * @param call the stored call
   * @param durationNanos how long the attempt took
   * @param nanos when it finished
   */
  record Computed(int node, Computation computation, Call call, long durationNanos, long nanos)
      implements EngineEvent {}

  /**
   * A node failed: its own op threw or timed out ({@code upstream == false}), or a node it
   * reads from failed ({@code upstream == true}; {@code error} is that node's).
   *
   * @param node the node's position in {@code order()}
   * @param computation the node
   * @param error names the op that failed, its inputs' ids and the cause
   * @param upstream whether the failure is inherited from an input
   * @param retrying whether the engine will try this node again (after the backoff)
   * @param nanos when
   */
  record Failed(
      int node,
      Computation computation,
      NodeFailedException error,
      boolean upstream,
      boolean retrying,
      long nanos)
      implements EngineEvent {}

  /**
   * Counts so far, for progress bars. Emitted at most once per {@link
   * RunPolicy#progressInterval()} and always once, with {@code finished == true}, as the last
   * event of a run.
   *
   * @param total the nodes this run has to produce
   * @param started node attempts begun
   * @param hits nodes found in the store
   * @param computed nodes executed
   * @param failed nodes that failed, including dependents of failed nodes
   * @param elapsedNanos time since the run started
   * @param finished whether this is the run's last event
   * @param cancelled whether the run was disposed or stopped early (fail-fast) before every
   *     node ran
   * @param nanos when
   */
  record Progress(
      int total,
      int started,
      int hits,
      int computed,
      int failed,
      long elapsedNanos,
      boolean finished,
      boolean cancelled,
      long nanos)
      implements EngineEvent {

    /** Returns the nodes finished one way or another: hits, computed and failed. */
    public int done() {
      return hits + computed + failed;
    }

    /** Returns {@link #done()} as a fraction of {@link #total()}, 1 for an empty run. */
    public double fractionDone() {
      return total == 0 ? 1.0 : (double) done() / total;
    }

    /** Returns the nodes finished per second so far, 0 before any time has passed. */
    public double rate() {
      return elapsedNanos <= 0 ? 0.0 : done() * 1e9 / elapsedNanos;
    }

    /** Returns a one-line summary such as {@code 120/500 (hits 100, computed 20, failed 0) 3400/s}. */
    @Override
    public String toString() {
      return String.format(
          "%d/%d (hits %d, computed %d, failed %d) %.0f/s%s",
          done(), total, hits, computed, failed, rate(),
          finished ? (cancelled ? " cancelled" : " finished") : "");
    }
  }
}
