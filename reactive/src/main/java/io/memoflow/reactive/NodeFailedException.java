package io.memoflow.reactive;

import io.memoflow.dag.Computation;
import java.util.List;

/**
 * A node of a run failed: its op threw or ran past its timeout. The message names the op, the
 * node, its inputs' ids and the cause; {@link #getCause()} is what the op threw (or a {@link
 * java.util.concurrent.TimeoutException}).
 *
 * <p>Dependents of the node fail with this same exception ({@link EngineEvent.Failed#upstream()}).
 */
public final class NodeFailedException extends RuntimeException {
  private final transient Computation computation;
  private final String op;
  private final List<String> inputIds;
  private final int attempt;

  NodeFailedException(
      String op, Computation computation, List<String> inputIds, int attempt, int attempts,
      Throwable cause) {
    super(Messages.nodeFailed(op, computation, inputIds, attempt, attempts, cause), cause);
    this.op = op;
    this.computation = computation;
    this.inputIds = List.copyOf(inputIds);
    this.attempt = attempt;
  }

  /** Returns the name of the op that failed. */
  public String op() {
    return op;
  }

  /** Returns the node that failed. */
  public Computation computation() {
    return computation;
  }

  /** Returns the ids of the node's inputs, in input order (history ids where stored). */
  public List<String> inputIds() {
    return inputIds;
  }

  /** Returns the attempt that failed, 0 for the first. */
  public int attempt() {
    return attempt;
  }
}
