package io.memoflow.dag;

import static io.memoflow.dag.Expr.apply;
import static io.memoflow.dag.Expr.symbol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperationTest {
  private final Expr x = symbol("x");
  private final Expr y = symbol("y");

  @Test
  void minMax_outputsMinAndMax() {
    Computation c = Computation.of(Operation.MIN_MAX, x, y);
    assertEquals(List.of(x, y), c.inputs());
    assertEquals(List.of(apply("Min", x, y), apply("Max", x, y)), c.outputs());
    assertEquals(apply("Max", x, y), c.output("max"));
    assertEquals(y, c.input("y"));
    assertEquals("(Min(x, y), Max(x, y)) = MinMax(x, y)", c.toString());
  }

  @Test
  void of_defaultOutputs_nameTheOperationOrItsOutputs() {
    Operation square = Operation.of("Square", List.of("x"), List.of("sq"));
    assertEquals(List.of(apply("Square", x)), square.outputExprs(List.of(x)));
    Operation divmod = Operation.of("DivMod", List.of("a", "b"), List.of("q", "r"));
    assertEquals(List.of(apply("q", x, y), apply("r", x, y)), divmod.outputExprs(List.of(x, y)));
    assertEquals("Square(x) = Square(x)", Computation.of(square, x).toString());
  }

  @Test
  void of_withFunction_declaresOutputExpressions() {
    Operation sortPair = Operation.of("Sort", List.of("a", "b"), List.of("lo", "hi"),
        in -> List.of(apply("Min", in), apply("Max", in)));
    assertEquals(List.of(apply("Min", x, y), apply("Max", x, y)), sortPair.outputExprs(List.of(x, y)));
    Operation broken = Operation.of("Broken", List.of("a"), List.of("p", "q"), in -> List.of(in.get(0)));
    var e = assertThrows(IllegalArgumentException.class, () -> broken.outputExprs(List.of(x)));
    assertTrue(e.getMessage().contains("'Broken' has 2 outputs [p, q] but was given 1"), e.getMessage());
  }

  @Test
  void operations_equalByNameAndSignature() {
    assertEquals(Operation.of("Add", List.of("a", "b"), List.of("s")),
        Operation.of("Add", List.of("a", "b"), List.of("s")));
    assertNotEquals(Operation.of("Add", List.of("a", "b"), List.of("s")),
        Operation.of("Add", List.of("b", "a"), List.of("s")));
    assertEquals(Map.of(), Operation.MIN_MAX.overwrites());
  }

  @Test
  void of_rejectsBadSignatures() {
    var none = assertThrows(IllegalArgumentException.class,
        () -> Operation.of("Nothing", List.of("a"), List.of()));
    assertTrue(none.getMessage().contains("'Nothing' has no outputs"), none.getMessage());
    var rep = assertThrows(IllegalArgumentException.class,
        () -> Operation.of("Twice", List.of("a", "a"), List.of("s")));
    assertTrue(rep.getMessage().contains("input name 'a' is repeated"), rep.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Operation.of(" ", List.of(), List.of("s")));
  }

  @Test
  void computation_rejectsWrongArity() {
    var e = assertThrows(IllegalArgumentException.class, () -> Computation.of(Operation.MIN_MAX, x));
    assertEquals("Operation 'MinMax' takes 2 inputs [x, y] but was given 1: [x]. Pass exactly one per name.",
        e.getMessage());
    var o = assertThrows(IllegalArgumentException.class,
        () -> Computation.of(Operation.MIN_MAX, List.of(x, y), List.of(symbol("lo"))));
    assertTrue(o.getMessage().startsWith("Operation 'MinMax' has 2 outputs [min, max] but was given 1"),
        o.getMessage());
  }

  @Test
  void computation_rejectsRepeatedOutput() {
    Expr lo = symbol("lo");
    var e = assertThrows(IllegalArgumentException.class,
        () -> Computation.of(Operation.MIN_MAX, List.of(x, y), List.of(lo, lo)));
    assertTrue(e.getMessage().contains("an output is repeated"), e.getMessage());
  }

  @Test
  void computation_unknownPortName_listsTheNames() {
    Computation c = Computation.of(Operation.MIN_MAX, x, y);
    var e = assertThrows(IllegalArgumentException.class, () -> c.output("mid"));
    assertEquals("Operation 'MinMax' has no output named 'mid'. Its outputs are [min, max].",
        e.getMessage());
  }

  @Test
  void computation_equalByOperationInputsOutputs() {
    assertEquals(Computation.of(Operation.MIN_MAX, x, y), Computation.of(Operation.MIN_MAX, x, y));
    assertNotEquals(Computation.of(Operation.MIN_MAX, x, y), Computation.of(Operation.MIN_MAX, y, x));
  }
}
