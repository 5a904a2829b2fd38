package io.memoflow.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples of dag/README.md, compiled and checked. */
class ReadmeExamplesTest {
  private final Expr x = Expr.symbol("x"), y = Expr.symbol("y");
  private final Operation square = Operation.of("Square", List.of("x"), List.of("sq"));

  @Test
  void expressions() {
    Expr min = Expr.apply("Min", x, y);
    assertEquals("Min(x, y)", min.toString());
    assertTrue(min.equals(Expr.apply("Min", Expr.symbol("x"), Expr.symbol("y"))));
    assertEquals("0f2577bf7c1c010c93d18a23da80830f", min.digest().hex());
  }

  @Test
  void operationsWithSeveralOutputs() {
    Computation c = Computation.of(Operation.MIN_MAX, x, y);
    assertEquals(List.of(Expr.apply("Min", x, y), Expr.apply("Max", x, y)), c.outputs());
    assertEquals(Expr.apply("Max", x, y), c.output("max"));
    Operation sort = Operation.of("Sort", List.of("a", "b"), List.of("lo", "hi"),
        in -> List.of(Expr.apply("Min", in), Expr.apply("Max", in)));
    assertEquals(c.outputs(), sort.outputExprs(List.of(x, y)));
  }

  @Test
  void composites() {
    CompositeComputation g = CompositeComputation.of(
        Computation.of(Operation.MIN_MAX, x, y),
        Computation.of(square, Expr.apply("Max", x, y)));
    assertEquals(List.of(x, y), g.inputs());
    assertEquals(List.of(Expr.apply("Min", x, y), Expr.apply("Square", Expr.apply("Max", x, y))),
        g.outputs());
    assertTrue(g.withOutputs(Expr.apply("Max", x, y)).outputs().contains(Expr.apply("Max", x, y)));
  }

  @Test
  void builder() {
    CompositeComputation g = Dag.builder()
        .input("x", "y")
        .step(Operation.MIN_MAX, "x", "y").as("lo", "hi")
        .step(square, "hi").as("sq")
        .output("lo")
        .build();
    assertEquals(List.of(Expr.symbol("lo"), Expr.symbol("sq")), g.outputs());
    assertTrue(g.toDot().startsWith("digraph memoflow {\n  rankdir=LR;\n"));
  }

  @Test
  void checkInBatches() {
    int n = 100_000; // the README says 1_000_000; the same code, smaller for a quick test
    Dag.Builder b = Dag.builder().checkInBatches().input("x0");
    for (int i = 1; i <= n; i++) {
      b.step(square, "x" + (i - 1)).as("x" + i);
    }
    CompositeComputation g = b.build();
    Dag.Builder eager = Dag.builder().input("x0");
    for (int i = 1; i <= n; i++) {
      eager.step(square, "x" + (i - 1)).as("x" + i);
    }
    assertEquals(eager.build().order(), g.order());
    assertEquals(List.of(Expr.symbol("x" + n)), g.outputs());
  }

  @Test
  void bulkPath() {
    int n = 100_000; // the README says 1_000_000; the same code, smaller for a quick test
    List<Computation> steps = new java.util.ArrayList<>();
    Expr acc = Expr.symbol("x0");
    for (int i = 1; i <= n; i++) {
      Expr next = Expr.symbol("x" + i);
      steps.add(Computation.of(square, List.of(acc), List.of(next)));
      acc = next;
    }
    CompositeComputation g = CompositeComputation.of(steps);
    assertEquals(steps, g.order());
    assertEquals(List.of(Expr.symbol("x0")), g.inputs());
    assertEquals(List.of(acc), g.outputs());
  }

  @Test
  void graphText() {
    GraphText text = GraphText.builder()
        .name("frame")
        .variable("v0", "x\n5 values")
        .operation("op1", "Square\n5 calls")
        .variable("v2", "sq")
        .edge("v0", "op1", "x")
        .edge("op1", "v2", "sq")
        .build();
    assertTrue(text.toDot().startsWith("digraph frame {"), text.toDot());
    assertTrue(text.toDot().contains("v0 [shape=ellipse, label=\"x\\n5 values\"];"));
    assertTrue(text.toDot().contains("v0 -> op1 [label=\"x\"];"));
    assertTrue(text.toMermaid().contains("v0([\"x<br/>5 values\"])"));
    assertTrue(text.toMermaid().contains("v0 -- \"x\" --> op1"));
  }
}
