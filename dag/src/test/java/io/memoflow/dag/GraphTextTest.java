package io.memoflow.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

  // ---------------------------------------------------------------- the builder

  private static GraphText javadocExample() {
    return GraphText.builder()
        .variable("v0", "x")
        .operation("op1", "Square\n3 calls")
        .variable("v2", "sq")
        .edge("v0", "op1", "x")
        .edge("op1", "v2", "sq")
        .build();
  }

  @Test
  void builder_writesDotInInsertionOrder() {
    assertEquals("""
        digraph memoflow {
          rankdir=LR;
          v0 [shape=ellipse, label="x"];
          op1 [shape=box, label="Square\\n3 calls"];
          v2 [shape=ellipse, label="sq"];
          v0 -> op1 [label="x"];
          op1 -> v2 [label="sq"];
        }
        """, javadocExample().toDot());
  }

  @Test
  void builder_writesMermaidInInsertionOrder() {
    assertEquals("""
        flowchart LR
          v0(["x"])
          op1["Square<br/>3 calls"]
          v2(["sq"])
          v0 -- "x" --> op1
          op1 -- "sq" --> v2
        """, javadocExample().toMermaid());
  }

  @Test
  void name_namesTheDotGraphOnly() {
    GraphText t = GraphText.builder().name("frame").variable("v0", "x").build();
    assertEquals("digraph frame {\n  rankdir=LR;\n  v0 [shape=ellipse, label=\"x\"];\n}\n", t.toDot());
    assertEquals("flowchart LR\n  v0([\"x\"])\n", t.toMermaid());
  }

  @Test
  void edge_withoutLabel_drawsNone() {
    GraphText t = GraphText.builder().variable("a", "a").operation("f", "f")
        .edge("a", "f").edge("f", "a", "").build();
    assertTrue(t.toDot().contains("  a -> f;\n  f -> a;\n"), t.toDot());
    assertTrue(t.toMermaid().contains("  a --> f\n  f --> a\n"), t.toMermaid());
  }

  @Test
  void edge_mayComeBeforeItsNodes() {
    GraphText t = GraphText.builder().edge("a", "f", "in").variable("a", "a").operation("f", "f")
        .build();
    assertTrue(t.toDot().startsWith("digraph memoflow {\n  rankdir=LR;\n  a -> f [label=\"in\"];\n"));
  }

  @Test
  void labels_escapeQuotesBackslashesAndLineBreaks() {
    assertEquals("a\\\"b\\\\c", GraphText.escapeDot("a\"b\\c"));
    assertEquals("1\\n2\\n3\\n4", GraphText.escapeDot("1\n2\r\n3\r4"));
    assertEquals("1<br/>2<br/>3<br/>4", GraphText.escapeMermaid("1\n2\r\n3\r4"));
  }

  @Test
  void labels_escapeMermaidSpecialCharacters() {
    assertEquals("#quot;a#quot; #35;1 #lt;b#gt; #amp; #96;c#96; \\",
        GraphText.escapeMermaid("\"a\" #1 <b> & `c` \\"));
    assertEquals("#35;quot;", GraphText.escapeMermaid("#quot;")); // stays literal text
  }

  @Test
  void frameLabels_withCounts() {
    GraphText t = GraphText.builder().name("frame")
        .variable("v0", "x0\n5 values")
        .operation("op1", "add\n3 calls")
        .edge("v0", "op1", "x1")
        .build();
    assertTrue(t.toDot().contains("v0 [shape=ellipse, label=\"x0\\n5 values\"];"), t.toDot());
    assertTrue(t.toDot().contains("v0 -> op1 [label=\"x1\"];"), t.toDot());
    assertTrue(t.toMermaid().contains("op1[\"add<br/>3 calls\"]"), t.toMermaid());
  }

  @Test
  void ids_areChecked() {
    GraphText.Builder b = GraphText.builder().variable("v0", "x");
    IllegalArgumentException taken =
        assertThrows(IllegalArgumentException.class, () -> b.operation("v0", "f"));
    assertEquals("Node id 'v0' is already a variable. Give every node its own id.",
        taken.getMessage());
    for (String bad : List.of("", "0v", "a-b", "a b", "é", "end", "Graph", "node")) {
      assertThrows(IllegalArgumentException.class, () -> b.variable(bad, "x"), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> b.name("my graph"));
    b.variable("_x1", "fine");
  }

  @Test
  void build_rejectsEdgesToNoNodeOrWithinAKind() {
    GraphText.Builder unknown = GraphText.builder().variable("a", "a").edge("a", "f");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, unknown::build);
    assertEquals("Edge a -> f names 'f', which is no node. Add it with variable(...) or"
        + " operation(...).", e.getMessage());
    GraphText.Builder twoVariables =
        GraphText.builder().variable("a", "a").variable("b", "b").edge("a", "b");
    e = assertThrows(IllegalArgumentException.class, twoVariables::build);
    assertTrue(e.getMessage().startsWith("Edge a -> b joins two variables."), e.getMessage());
    GraphText.Builder twoOperations =
        GraphText.builder().operation("f", "f").operation("g", "g").edge("f", "g");
    assertThrows(IllegalArgumentException.class, twoOperations::build);
  }

  @Test
  void builder_staysUsableAfterBuild() {
    GraphText.Builder b = GraphText.builder().variable("a", "a");
    GraphText first = b.build();
    b.operation("f", "f").edge("a", "f");
    assertEquals("flowchart LR\n  a([\"a\"])\n", first.toMermaid());
    assertTrue(b.build().toMermaid().endsWith("  a --> f\n"));
  }
}
