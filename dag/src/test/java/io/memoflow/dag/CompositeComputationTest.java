package io.memoflow.dag;

import static io.memoflow.dag.Expr.apply;
import static io.memoflow.dag.Expr.symbol;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompositeComputationTest {
  static final Operation SQUARE = Operation.of("Square", List.of("x"), List.of("sq"));
  static final Operation ADD = Operation.of("Add", List.of("a", "b"), List.of("sum"));

  private final Expr x = symbol("x");
  private final Expr y = symbol("y");
  private final Expr lo = apply("Min", x, y);
  private final Expr hi = apply("Max", x, y);
  // (Min, Max) = MinMax(x, y); Square(Max); Add(Min, Square(Max)); Square(x)
  private final Computation minMax = Computation.of(Operation.MIN_MAX, x, y);
  private final Computation sqHi = Computation.of(SQUARE, hi);
  private final Computation sum = Computation.of(ADD, lo, apply("Square", hi));
  private final Computation sqX = Computation.of(SQUARE, x);
  private final CompositeComputation g = CompositeComputation.of(minMax, sqHi, sum, sqX);

  @Test
  void inputsAndOutputs_followTheirDefinition() {
    assertEquals(List.of(x, y), g.inputs());
    assertEquals(List.of(apply("Add", lo, apply("Square", hi)), apply("Square", x)), g.outputs());
    assertEquals(4, g.size());
    assertEquals(Set.of(minMax, sqHi, sum, sqX), g.computations());
    assertEquals(
        List.of(x, y, lo, hi, apply("Square", hi), apply("Add", lo, apply("Square", hi)), apply("Square", x)),
        g.variables());
  }

  @Test
  void requestedOutputs_areOutputsEvenWhenReadInside() {
    CompositeComputation r = g.withOutputs(lo, x);
    assertEquals(Set.of(lo, x), r.requestedOutputs());
    assertEquals(List.of(lo, apply("Add", lo, apply("Square", hi)), apply("Square", x), x), r.outputs());
    assertNotEquals(g, r);
    assertEquals(r, g.withOutputs(lo).withOutputs(x));
  }

  @Test
  void withOutputs_rejectsUnknownVariableSuggestingClosest() {
    var e = assertThrows(IllegalArgumentException.class, () -> g.withOutputs(symbol("xx")));
    assertTrue(e.getMessage().startsWith("Requested output xx is not a variable of this composite."),
        e.getMessage());
    assertTrue(e.getMessage().contains("Did you mean 'x'"), e.getMessage());
  }

  @Test
  void order_keepsAGivenTopologicalSequence() {
    assertEquals(List.of(minMax, sqHi, sum, sqX), g.order());
    CompositeComputation reversed = CompositeComputation.of(sqX, sum, sqHi, minMax);
    assertEquals(List.of(sqX, minMax, sqHi, sum), reversed.order());
    assertEquals(g, reversed);
    assertEquals(g.hashCode(), reversed.hashCode());
  }

  @Test
  void producerOfAndConsumersOf() {
    assertEquals(Optional.of(minMax), g.producerOf(hi));
    assertEquals(Optional.empty(), g.producerOf(x));
    assertEquals(Optional.empty(), g.producerOf(symbol("nowhere")));
    assertEquals(List.of(minMax, sqX), g.consumersOf(x));
    assertEquals(List.of(sum), g.consumersOf(lo));
    assertEquals(List.of(), g.consumersOf(apply("Square", x)));
    assertTrue(g.hasVariable(apply("Square", x)));
    assertFalse(g.hasVariable(symbol("z")));
  }

  @Test
  void predecessorsSuccessorsAndIndices() {
    assertEquals(List.of(minMax, sqHi), g.predecessors(sum));
    assertEquals(List.of(sqHi, sum), g.successors(minMax));
    assertEquals(2, g.indexOf(sum));
    assertArrayEquals(new int[] {0, 1}, g.predecessorIndices(2));
    assertArrayEquals(new int[] {1, 2}, g.successorIndices(0));
    assertArrayEquals(new int[] {}, g.successorIndices(3));
    assertThrows(IndexOutOfBoundsException.class, () -> g.predecessorIndices(4));
  }

  @Test
  void predecessors_areDistinct() {
    Computation both = Computation.of(ADD, lo, hi); // two edges from MinMax
    CompositeComputation d = CompositeComputation.of(minMax, both);
    assertEquals(List.of(minMax), d.predecessors(both));
    assertEquals(List.of(both), d.successors(minMax));
    Computation twice = Computation.of(ADD, x, x);
    assertEquals(List.of(twice), CompositeComputation.of(twice).consumersOf(x));
  }

  @Test
  void dependsOn_followsPathsOnly() {
    assertTrue(g.dependsOn(sum, minMax));
    assertTrue(g.dependsOn(sqHi, minMax));
    assertFalse(g.dependsOn(minMax, sum));
    assertFalse(g.dependsOn(sqX, minMax));
    assertFalse(g.dependsOn(sum, sum));
    var e = assertThrows(IllegalArgumentException.class,
        () -> g.dependsOn(sum, Computation.of(SQUARE, y)));
    assertEquals("Computation Square(y) = Square(y) is not part of this composite. Pass one of computations().",
        e.getMessage());
  }

  @Test
  void upstreamAndDownstream() {
    assertEquals(CompositeComputation.of(minMax, sqHi), g.upstream(List.of(apply("Square", hi))));
    assertEquals(CompositeComputation.of(), g.upstream(List.of(x)));
    assertEquals(CompositeComputation.of(sqHi, sum), g.downstream(List.of(hi)));
    assertEquals(g, g.downstream(List.of(x, y)));
    var e = assertThrows(IllegalArgumentException.class, () -> g.upstream(List.of(symbol("yy"))));
    assertTrue(e.getMessage().contains("Variable yy is not read or produced by this composite."),
        e.getMessage());
    assertTrue(e.getMessage().contains("Did you mean y or x?"), e.getMessage());
  }

  @Test
  void prune_keepsOnlyWhatRequestedOutputsNeed() {
    CompositeComputation p = g.prune(hi);
    assertEquals(List.of(minMax), p.order());
    assertEquals(Set.of(hi), p.requestedOutputs());
    assertEquals(List.of(lo, hi), p.outputs());
    CompositeComputation q = g.prune(apply("Square", x), lo);
    assertEquals(Set.of(minMax, sqX), q.computations());
    CompositeComputation r = g.prune(apply("Square", x), y); // nothing kept reads y
    assertEquals(Set.of(sqX), r.computations());
    assertEquals(Set.of(apply("Square", x)), r.requestedOutputs());
  }

  @Test
  void compose_flattensAndDeduplicates() {
    CompositeComputation a = CompositeComputation.of(minMax, sqHi);
    CompositeComputation b = CompositeComputation.of(sqHi, sum, sqX);
    CompositeComputation ab = CompositeComputation.compose(a, b);
    assertEquals(g, ab);
    assertEquals(4, ab.size());
    assertEquals(g, CompositeComputation.compose(g, g));
    assertEquals(g, CompositeComputation.compose(b, a));
    assertEquals(CompositeComputation.of(), CompositeComputation.compose());
  }

  @Test
  void compose_ofACollection_isComposeOfItsParts() {
    CompositeComputation a = CompositeComputation.of(minMax, sqHi).withOutputs(hi);
    CompositeComputation b = CompositeComputation.of(sqHi, sum, sqX);
    CompositeComputation ab = CompositeComputation.compose(List.of(a, b));
    assertEquals(CompositeComputation.compose(a, b), ab);
    assertEquals(CompositeComputation.compose(a, b).order(), ab.order());
    assertEquals(Set.of(hi), ab.requestedOutputs());
  }

  @Test
  void twoProducers_areRejectedNamingBoth() {
    Computation other = Computation.of(SQUARE, List.of(y), List.of(hi));
    var e = assertThrows(IllegalArgumentException.class, () -> CompositeComputation.of(minMax, other));
    assertEquals("Variable Max(x, y) is produced by two computations: (Min(x, y), Max(x, y)) = MinMax(x, y)"
        + " and Max(x, y) = Square(y). Rename the output of one of them.", e.getMessage());
  }

  @Test
  void cycle_isRejectedNamingIt() {
    Expr a = symbol("a"), b = symbol("b"), h = symbol("h");
    Computation mm = Computation.of(Operation.MIN_MAX, List.of(a, y), List.of(b, h));
    Computation sq = Computation.of(SQUARE, List.of(b), List.of(a));
    CycleException e = assertThrows(CycleException.class, () -> CompositeComputation.of(mm, sq));
    assertEquals("Cycle in DAG: a -> MinMax -> b -> Square -> a. Remove an edge or rename a variable.",
        e.getMessage());
    assertEquals(List.of(a, mm, b, sq, a), e.cycle());
    CycleException f = assertThrows(CycleException.class, () -> CompositeComputation.of(sq, mm));
    assertEquals("Cycle in DAG: b -> Square -> a -> MinMax -> b. Remove an edge or rename a variable.",
        f.getMessage());
  }

  @Test
  void cycle_throughItself() {
    Computation self = Computation.of(SQUARE, List.of(x), List.of(x));
    CycleException e = assertThrows(CycleException.class, () -> CompositeComputation.of(self));
    assertEquals(List.of(x, self, x), e.cycle());
  }

  @Test
  void cycle_deepChain_doesNotOverflowTheStack() {
    int n = 200_000;
    Computation[] cs = new Computation[n];
    for (int i = 0; i < n; i++) {
      cs[i] = Computation.of(SQUARE, List.of(symbol("v" + (i + 1) % n)), List.of(symbol("v" + i)));
    }
    CycleException e = assertThrows(CycleException.class, () -> CompositeComputation.of(cs));
    assertEquals(2 * n + 1, e.cycle().size());
  }

  @Test
  void views_areUnmodifiable() {
    assertThrows(UnsupportedOperationException.class, () -> g.order().clear());
    assertThrows(UnsupportedOperationException.class, () -> g.inputs().clear());
    assertThrows(UnsupportedOperationException.class, () -> g.outputs().clear());
    assertThrows(UnsupportedOperationException.class, () -> g.computations().clear());
  }

  @Test
  void toString_listsComputationsInOrder() {
    assertEquals("(Min(x, y), Max(x, y)) = MinMax(x, y)\nSquare(Max(x, y)) = Square(Max(x, y))\n",
        CompositeComputation.of(sqHi, minMax).toString());
  }
}
