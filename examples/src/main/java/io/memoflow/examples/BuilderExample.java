package io.memoflow.examples;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Operation;
import java.io.PrintWriter;
import java.util.List;

/**
 * The fluent builder: names variables with strings, binds every output of a step with {@code
 * as(...)}, reports mistakes at the call that makes them, and draws the result as DOT or Mermaid.
 */
public final class BuilderExample {
  private BuilderExample() {}

  /** Squares its input. */
  public static final Operation SQUARE = Operation.of("Square", List.of("x"), List.of("sq"));

  /**
   * The outcome.
   *
   * @param graph the built composite
   * @param mistake the message of the builder's error for a misspelt variable
   */
  public record Result(CompositeComputation graph, String mistake) {}

  /** Builds {@code lo, hi = MinMax(x, y); sq = Square(hi)}, shows an error and the drawings. */
  public static Result run(PrintWriter out) {
    CompositeComputation g = Dag.builder()
        .input("x", "y")
        .step(Operation.MIN_MAX, "x", "y").as("lo", "hi")
        .step(SQUARE, "hi").as("sq")
        .output("lo")
        .build();
    out.println("inputs " + g.inputs() + ", outputs " + g.outputs());
    out.println("order " + g.order());
    String mistake;
    try {
      Dag.builder().input("x", "y").step(SQUARE, "hj");
      throw new AssertionError("the builder accepted an unknown variable");
    } catch (IllegalArgumentException e) {
      mistake = e.getMessage();
    }
    out.println("A misspelt variable is reported at once:");
    out.println("  " + mistake);
    out.println(g.toDot());
    out.println(g.toMermaid());
    out.flush();
    return new Result(g, mistake);
  }

  /** Runs the example on standard output. */
  public static void main(String[] args) {
    run(new PrintWriter(System.out, true));
  }
}
