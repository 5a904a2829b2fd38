package io.memoflow.reactive;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.Expr;
import java.util.Map;

/**
 * The result of one point of a {@link Engine#sweep sweep}: the point's input bindings with
 * either its outputs or the error that stopped it.
 *
 * @param bindings the point's inputs; an unmodifiable map
 * @param outputs the point's outputs, empty when it failed; an unmodifiable map
 * @param error what failed ({@link RunFailedException} for a failed node), or null
 */
public record SweepResult(Map<Expr, Object> bindings, Map<Expr, Object> outputs, Throwable error) {

  /** Makes unmodifiable copies. */
  public SweepResult {
    bindings = Map.copyOf(requireNonNull(bindings, "bindings"));
    outputs = Map.copyOf(requireNonNull(outputs, "outputs"));
  }

  /** Returns whether the point produced its outputs. */
  public boolean succeeded() {
    return error == null;
  }

  /** Returns the value of output {@code variable}. */
  public Object output(Expr variable) {
    Object v = outputs.get(variable);
    if (v == null) {
      throw new IllegalArgumentException(
          "No output " + variable + " in this result"
              + (error != null ? " (the point failed: " + error.getMessage() + ")" : "")
              + "; outputs are " + outputs.keySet() + ".");
    }
    return v;
  }
}
