package io.memoflow.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GraphTextTest {
  private final Operation square = Operation.of("Square", List.of("x"), List.of("sq"));
  private final CompositeComputation g = Dag.builder()
      .input("x", "y")
      .step(Operation.MIN_MAX, "x", "y").as("lo", "hi")
      .step(square, "hi").as("sq")
      .build();

  @Test
  void toDot_drawsVariablesAsEllipsesOperationsAsBoxes() {
    assertEquals("""
        digraph memoflow {
          rankdir=LR;
          v0 [shape=ellipse, label="x"];
          v1 [shape=ellipse, label="y"];
          v2 [shape=ellipse, label="lo"];
          v3 [shape=ellipse, label="hi"];
          v4 [shape=ellipse, label="sq"];
          c0 [shape=box, label="MinMax"];
          v0 -> c0 [label="x"];
          v1 -> c0 [label="y"];
          c0 -> v2 [label="min"];
          c0 -> v3 [label="max"];
          c1 [shape=box, label="Square"];
          v3 -> c1 [label="x"];
          c1 -> v4 [label="sq"];
        }
        """, g.toDot());
  }

  @Test
  void toMermaid_drawsTheSameGraph() {
    assertEquals("""
        flowchart LR
          v0(["x"])
          v1(["y"])
          v2(["lo"])
          v3(["hi"])
          v4(["sq"])
          c0["MinMax"]
          v0 -- "x" --> c0
          v1 -- "y" --> c0
          c0 -- "min" --> v2
          c0 -- "max" --> v3
          c1["Square"]
          v3 -- "x" --> c1
          c1 -- "sq" --> v4
        """, g.toMermaid());
  }

  @Test
  void labels_areEscaped() {
    CompositeComputation q = CompositeComputation.of(
        Computation.of(square, Expr.symbol("a\"b\\c")));
    assertTrue(q.toDot().contains("v0 [shape=ellipse, label=\"a\\\"b\\\\c\"];"), q.toDot());
    assertTrue(q.toMermaid().contains("v0([\"a#quot;b\\c\"])"), q.toMermaid());
  }
}
