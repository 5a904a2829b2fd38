package io.memoflow.reactive;

import io.memoflow.dag.Expr;
import java.util.List;
import java.util.Map;

/**
 * A run ended with failed nodes. {@link #getCause()} is the first {@link NodeFailedException};
 * {@link #failures()} lists every node that failed by itself, and {@link #partialOutputs()}
 * holds the outputs that were produced anyway (under {@link RunPolicy.Failure#KEEP_GOING}, all
 * those that do not depend on a failed node).
 */
public final class RunFailedException extends RuntimeException {
  private final transient List<NodeFailedException> failures;
  private final transient Map<Expr, Object> partialOutputs;

  RunFailedException(
      List<NodeFailedException> failures, int dependents, int total, Map<Expr, Object> partial) {
    super(Messages.runFailed(failures.size(), dependents, total, failures.get(0)), failures.get(0));
    this.failures = List.copyOf(failures);
    this.partialOutputs = Map.copyOf(partial);
  }

  /** Returns the nodes that failed by themselves (not as dependents), in the order they failed. */
  public List<NodeFailedException> failures() {
    return failures;
  }

  /** Returns the outputs that were produced; an unmodifiable map. */
  public Map<Expr, Object> partialOutputs() {
    return partialOutputs;
  }
}
