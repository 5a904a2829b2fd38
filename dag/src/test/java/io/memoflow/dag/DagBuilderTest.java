package io.memoflow.dag;

import static io.memoflow.dag.Expr.symbol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DagBuilderTest {
  static final Operation SQUARE = Operation.of("Square", List.of("x"), List.of("sq"));
  static final Operation ADD = Operation.of("Add", List.of("a", "b"), List.of("sum"));

  @Test
  void multiOutputStep_bindsEveryOutputByName() {
    CompositeComputation g = Dag.builder()
        .input("x", "y")
        .step(Operation.MIN_MAX, "x", "y").as("lo", "hi")
        .step(SQUARE, "hi").as("sq")
        .output("lo")
        .build();
    Computation mm = Computation.of(Operation.MIN_MAX, List.of(symbol("x"), symbol("y")),
        List.of(symbol("lo"), symbol("hi")));
    Computation sq = Computation.of(SQUARE, List.of(symbol("hi")), List.of(symbol("sq")));
    assertEquals(List.of(mm, sq), g.order());
    assertEquals(List.of(symbol("x"), symbol("y")), g.inputs());
    assertEquals(List.of(symbol("lo"), symbol("sq")), g.outputs());
    assertEquals(Set.of(symbol("lo")), g.requestedOutputs());
    assertEquals(CompositeComputation.of(List.of(mm, sq), List.of(symbol("lo"))), g);
  }

  @Test
  void build_keepsStepOrderAndInputsInOrderOfFirstReader() {
    CompositeComputation g = Dag.builder()
        .input("a", "b", "unused")
        .step(SQUARE, "b").as("b2")
        .step(ADD, "a", "b2").as("s")
        .build();
    assertEquals(List.of(symbol("b"), symbol("a")), g.inputs());
    assertEquals(List.of(symbol("s")), g.outputs());
    assertEquals(List.of("b2 = Square(b)", "s = Add(a, b2)"),
        g.order().stream().map(Computation::toString).toList());
  }

  @Test
  void unknownVariable_suggestsClosestNames() {
    Dag.Builder b = Dag.builder().input("alpha", "beta").step(SQUARE, "alpha").as("alpha2");
    var e = assertThrows(IllegalArgumentException.class, () -> b.step(ADD, "alpha", "alpah"));
    assertEquals("Step 2 (Add): unknown variable 'alpah'. Did you mean 'alpha' or 'alpha2'?"
        + " Declare it with input(\"alpah\") or produce it in an earlier step.", e.getMessage());
    var far = assertThrows(IllegalArgumentException.class, () -> b.step(SQUARE, "zzzzzz"));
    assertEquals("Step 2 (Square): unknown variable 'zzzzzz'."
        + " Declare it with input(\"zzzzzz\") or produce it in an earlier step.", far.getMessage());
    assertEquals(1, b.build().size(), "a failed step leaves the builder as it was");
  }

  @Test
  void wrongArity_isReportedWithTheOperationsInputs() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Dag.builder().input("x").step(Operation.MIN_MAX, "x"));
    assertEquals("Step 1 (MinMax) takes 2 inputs [x, y] but was given 1: [x]. Pass one variable per input.",
        e.getMessage());
    var o = assertThrows(IllegalArgumentException.class,
        () -> Dag.builder().input("x", "y").step(Operation.MIN_MAX, "x", "y").as("lo"));
    assertEquals("Step 1 (MinMax) has 2 outputs [min, max] but as(...) named 1: [lo]. Name every output.",
        o.getMessage());
  }

  @Test
  void missingAs_isReportedAtTheNextCall() {
    Dag.Builder b = Dag.builder().input("x", "y");
    b.step(Operation.MIN_MAX, "x", "y");
    var e = assertThrows(IllegalStateException.class, b::build);
    assertEquals("Step 1 (MinMax) has no output names: call .as(...) after step(...) before build().",
        e.getMessage());
    assertEquals(0, b.build().size(), "the unnamed step is dropped");
  }

  @Test
  void as_twice_isRejected() {
    Dag.Builder b = Dag.builder().input("x");
    Dag.Step s = b.step(SQUARE, "x");
    s.as("a");
    var e = assertThrows(IllegalStateException.class, () -> s.as("b"));
    assertTrue(e.getMessage().contains("as(...) was already called for this step"), e.getMessage());
  }

  @Test
  void takenNames_areRejected() {
    Dag.Builder b = Dag.builder().input("x", "y").step(Operation.MIN_MAX, "x", "y").as("lo", "hi");
    var prod = assertThrows(IllegalArgumentException.class, () -> b.step(SQUARE, "x").as("hi"));
    assertEquals("Step 2 (Square): variable 'hi' is already produced by Step 1 (MinMax). Choose another name.",
        prod.getMessage());
    var in = assertThrows(IllegalArgumentException.class, () -> b.input("lo"));
    assertEquals("Variable 'lo' is already produced by Step 1 (MinMax). Choose another name.", in.getMessage());
    var dupIn = assertThrows(IllegalArgumentException.class, () -> b.step(SQUARE, "y").as("x"));
    assertTrue(dupIn.getMessage().contains("variable 'x' is already an input"), dupIn.getMessage());
    var twice = assertThrows(IllegalArgumentException.class,
        () -> b.step(Operation.MIN_MAX, "x", "y").as("m", "m"));
    assertTrue(twice.getMessage().contains("output name 'm' is given twice"), twice.getMessage());
    assertEquals(1, b.build().size());
  }

  @Test
  void add_namesOutputsByTheirText() {
    Dag.Builder b = Dag.builder().input("x", "y");
    Computation mm = Computation.of(Operation.MIN_MAX, b.variable("x"), b.variable("y"));
    b.add(mm);
    Expr min = b.variable("Min(x, y)");
    Computation scaled = Computation.of(ADD, min, Expr.constant(2));
    CompositeComputation g = b.add(scaled).step(SQUARE, "Max(x, y)").as("m2").build();
    assertEquals(List.of(mm, scaled, g.order().get(2)), g.order());
    assertEquals(List.of(symbol("x"), symbol("y"), Expr.constant(2)), g.inputs());
    var e = assertThrows(IllegalArgumentException.class,
        () -> Dag.builder().input("x").add(Computation.of(SQUARE, symbol("w"))));
    assertTrue(e.getMessage().startsWith("Step 1 (Square): unknown variable 'w'."), e.getMessage());
  }

  @Test
  void add_outputsThatPrintAlike_areRejectedAndLeaveTheBuilderUnchanged() {
    Operation pair = Operation.of("Pair", List.of("x"), List.of("a", "b"));
    Dag.Builder b = Dag.builder().input("x");
    // Symbol 1 and the integer constant 1 are different variables that are both written "1".
    Computation c = Computation.of(pair, List.of(symbol("x")), List.of(symbol("1"), Expr.constant(1)));
    var e = assertThrows(IllegalArgumentException.class, () -> b.add(c));
    assertTrue(e.getMessage().startsWith("Step 1 (Pair): outputs 1 and 1 are both written '1'"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.variable("1"));
    assertEquals(1, b.step(SQUARE, "x").as("1").build().size());
  }

  @Test
  void manyNames_areFoundByEqualStringsAfterTheIndexGrows() {
    Dag.Builder b = Dag.builder().input("x");
    String previous = "x";
    for (int i = 0; i < 5_000; i++) {
      String name = "v" + i;
      b.step(SQUARE, new String(previous)).as(name); // equal to, not the same as, the name added
      previous = name;
    }
    assertEquals(symbol("v4999"), b.variable(new String("v4999")));
    CompositeComputation g = b.step(ADD, "x", "v2500").as("last").build();
    assertEquals(5_001, g.size());
    assertEquals(List.of(symbol("v4999"), symbol("last")), g.outputs());
    var e = assertThrows(IllegalArgumentException.class, () -> b.step(SQUARE, "v50000"));
    assertTrue(e.getMessage().startsWith("Step 5002 (Square): unknown variable 'v50000'. Did you mean"),
        e.getMessage());
  }

  @Test
  void output_ofUnknownOrUnreadInput_isRejected() {
    var e = assertThrows(IllegalArgumentException.class, () -> Dag.builder().input("x").output("y"));
    assertTrue(e.getMessage().startsWith("output(...): unknown variable 'y'."), e.getMessage());
    var unread = assertThrows(IllegalArgumentException.class,
        () -> Dag.builder().input("x", "z").step(SQUARE, "x").as("s").output("z").build());
    assertTrue(unread.getMessage().startsWith("Requested output z is an input that no step reads"),
        unread.getMessage());
    CompositeComputation g = Dag.builder().input("x").step(SQUARE, "x").as("s").output("x").build();
    assertEquals(List.of(symbol("s"), symbol("x")), g.outputs());
  }

  @Test
  void builder_staysUsableAfterBuild() {
    Dag.Builder b = Dag.builder().input("x").step(SQUARE, "x").as("a");
    CompositeComputation first = b.build();
    CompositeComputation second = b.step(SQUARE, "a").as("b").build();
    assertEquals(1, first.size());
    assertEquals(2, second.size());
    assertEquals(List.of(symbol("a")), first.outputs());
    assertEquals(List.of(symbol("b")), second.outputs());
  }

  @Test
  void builderComposite_answersQueriesLikeTheGeneralPath() {
    Dag.Builder b = Dag.builder().input("x", "y");
    for (int i = 0; i < 3000; i++) {
      b.step(Operation.MIN_MAX, i == 0 ? "x" : "lo" + (i - 1), "y").as("lo" + i, "hi" + i);
    }
    CompositeComputation g = b.build();
    CompositeComputation general = CompositeComputation.of(g.order());
    assertEquals(general, g);
    assertEquals(general.order(), g.order());
    assertEquals(general.outputs(), g.outputs());
    assertEquals(g.order().get(10), g.producerOf(symbol("hi10")).orElseThrow());
    assertEquals(List.of(g.order().get(0)), g.predecessors(g.order().get(1)));
    assertEquals(3000, g.consumersOf(symbol("y")).size());
    assertTrue(g.dependsOn(g.order().get(2999), g.order().get(0)));
  }
}
