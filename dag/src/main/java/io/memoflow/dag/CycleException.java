package io.memoflow.dag;

import java.util.List;

/**
 * Thrown when computations form a cycle; {@link #cycle()} lists it as alternating variables and
 * computations, from a variable back to the same variable.
 */
public final class CycleException extends IllegalArgumentException {
  private final transient List<Object> cycle;

  CycleException(List<Object> cycle) {
    super(Messages.cycle(cycle));
    this.cycle = List.copyOf(cycle);
  }

  /**
   * Returns the cycle as {@code [a, MinMax computation, b, Square computation, a]}: {@link Expr}
   * variables at even positions, {@link Computation}s at odd ones.
   */
  public List<Object> cycle() {
    return cycle;
  }
}
