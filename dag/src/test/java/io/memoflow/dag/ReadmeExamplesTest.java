package io.memoflow.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The snippets of dag/README.md, line for line (ReadmeSnippetsTest in examples holds the README
 * to this file), each followed by the check of what its comment says.
 */
class ReadmeExamplesTest {

  @Test
  void expressionsOperationsComposites() {
    Expr x = Expr.symbol("x"), y = Expr.symbol("y");
    Expr min = Expr.apply("Min", x, y);
    min.toString();                                  // "Min(x, y)"
    assertEquals("Min(x, y)", min.toString());
    min.equals(Expr.apply("Min", Expr.symbol("x"), Expr.symbol("y")));  // true
    assertTrue(min.equals(Expr.apply("Min", Expr.symbol("x"), Expr.symbol("y"))));
    min.digest().hex();                              // "0f2577bf7c1c010c93d18a23da80830f", every run
    assertEquals("0f2577bf7c1c010c93d18a23da80830f", min.digest().hex());

    Computation c = Computation.of(Operation.MIN_MAX, x, y);
    c.outputs();          // [Min(x, y), Max(x, y)]
    assertEquals(List.of(Expr.apply("Min", x, y), Expr.apply("Max", x, y)), c.outputs());
    c.output("max");      // Max(x, y)
    assertEquals(Expr.apply("Max", x, y), c.output("max"));

    // Declare your own; by default one output denotes name(inputs), several denote outputName(inputs).
    Operation square = Operation.of("Square", List.of("x"), List.of("sq"));
    Operation sort = Operation.of("Sort", List.of("a", "b"), List.of("lo", "hi"),
        in -> List.of(Expr.apply("Min", in), Expr.apply("Max", in)));
    assertEquals(c.outputs(), sort.outputExprs(List.of(x, y)));

    CompositeComputation g = CompositeComputation.of(
        Computation.of(Operation.MIN_MAX, x, y),
        Computation.of(square, Expr.apply("Max", x, y)));
    g.inputs();     // [x, y]: read but not produced inside
    assertEquals(List.of(x, y), g.inputs());
    g.outputs();    // [Min(x, y), Square(Max(x, y))]: produced but not read inside
    assertEquals(List.of(Expr.apply("Min", x, y), Expr.apply("Square", Expr.apply("Max", x, y))),
        g.outputs());
    g.withOutputs(Expr.apply("Max", x, y)).outputs();   // also Max(x, y), though read inside
    assertTrue(g.withOutputs(Expr.apply("Max", x, y)).outputs().contains(Expr.apply("Max", x, y)));
  }

  @Test
  void builder() {
    Operation square = Operation.of("Square", List.of("x"), List.of("sq"));
    CompositeComputation g = Dag.builder()
        .input("x", "y")
        .step(Operation.MIN_MAX, "x", "y").as("lo", "hi")   // binds both outputs
        .step(square, "hi").as("sq")
        .output("lo")                                      // requested: an output even if read later
        .build();
    assertEquals(List.of(Expr.symbol("lo"), Expr.symbol("sq")), g.outputs());
  }

  @Test
  void checkInBatches_andTheBulkPath_giveTheEagerBuildersComposite() {
    Operation square = Operation.of("Square", List.of("x"), List.of("sq"));
    Dag.Builder b = Dag.builder().checkInBatches().input("x0");
    for (int i = 1; i <= 1_000_000; i++) {
      b.step(square, "x" + (i - 1)).as("x" + i);
    }
    CompositeComputation batched = batched(b);
    Dag.Builder eager = Dag.builder().input("x0");
    for (int i = 1; i <= 1_000_000; i++) {
      eager.step(square, "x" + (i - 1)).as("x" + i);
    }
    assertEquals(eager.build().order(), batched.order());

    List<Computation> steps = new ArrayList<>();
    Expr acc = Expr.symbol("x0");
    for (int i = 1; i <= 1_000_000; i++) {
      Expr next = Expr.symbol("x" + i);
      steps.add(Computation.of(square, List.of(acc), List.of(next)));
      acc = next;
    }
    CompositeComputation g = CompositeComputation.of(steps);   // validated and ordered
    assertEquals(steps, g.order());
    assertEquals(batched.order(), g.order());
  }

  private static CompositeComputation batched(Dag.Builder b) {
    CompositeComputation g = b.build();   // the same composite as the eager builder's
    return g;
  }

  @Test
  void graphText() {
    GraphText text = GraphText.builder()
        .name("frame")                               // digraph frame { ... }; default "memoflow"
        .variable("v0", "x\n5 values")               // a line break in a label is kept
        .operation("op1", "Square\n5 calls")
        .variable("v2", "sq")
        .edge("v0", "op1", "x")                      // the operation reads x as its input "x"
        .edge("op1", "v2", "sq")                     // edge(from, to) draws no label
        .build();
    text.toDot();       // v0 [shape=ellipse, label="x\n5 values"]; ... v0 -> op1 [label="x"]; ...
    assertTrue(text.toDot().startsWith("digraph frame {"), text.toDot());
    assertTrue(text.toDot().contains("v0 [shape=ellipse, label=\"x\\n5 values\"];"));
    assertTrue(text.toDot().contains("v0 -> op1 [label=\"x\"];"));
    text.toMermaid();   // v0(["x<br/>5 values"]) ... v0 -- "x" --> op1 ...
    assertTrue(text.toMermaid().contains("v0([\"x<br/>5 values\"])"));
    assertTrue(text.toMermaid().contains("v0 -- \"x\" --> op1"));
  }
}
