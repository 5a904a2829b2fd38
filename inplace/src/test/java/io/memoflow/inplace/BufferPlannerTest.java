package io.memoflow.inplace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BufferPlannerTest {
  private static final Expr X = Expr.symbol("x");
  private static final Expr Y = Expr.symbol("y");

  /** y := 2x + y, then s := Scal(y) over it, then r := x + s. */
  private static CompositeComputation chain() {
    return Dag.builder()
        .input("x", "y")
        .step(VectorOps.axpy(2.0, 4), "x", "y").as("t")
        .step(VectorOps.scal(3.0, 4), "t").as("s")
        .step(VectorOps.add(4), "x", "s").as("r")
        .build();
  }

  @Test
  void plan_writesDonatedInputInPlace() {
    BufferPlan plan = BufferPlanner.builder().donate(Y).build().plan(chain());
    String listing = plan.toString();
    assertTrue(listing.contains("y := Axpy(x, y)"), listing);
    assertTrue(listing.contains("y := Scal(y)"), listing);
    assertEquals(0, plan.copies());
    assertEquals(3, plan.buffers().size(), listing); // x, y and r
    assertEquals(3 * 32, plan.peakBytes());
    assertEquals(plan.maxLiveBytes(), plan.peakBytes());
    assertEquals(5 * 32, plan.oneBufferPerValueBytes());
    assertEquals(2 * 32, plan.bytesSaved());
  }

  @Test
  void plan_copiesInputThatIsNotDonated() {
    BufferPlan plan = BufferPlanner.of().plan(chain());
    assertEquals(1, plan.copies());
    assertEquals(1, plan.soleReaderRuleCopies());
    Computation copy = plan.order().get(0);
    assertTrue(copy.operation() instanceof Copy, plan.toString());
    assertEquals(List.of(Expr.apply("Copy", Y)), copy.outputs());
    assertTrue(plan.toString().contains(":= Copy(y)"), plan.toString());
    assertEquals(plan.bufferOf(Expr.apply("Copy", Y)), plan.bufferOf(Expr.symbol("t")));
    assertNotSame(plan.bufferOf(Y), plan.bufferOf(Expr.symbol("t")));
  }

  @Test
  void plan_ordersOtherReadersBeforeTheDestroyer() {
    // v is read by Add and destroyed by Scal; canonical order may put Scal first.
    CompositeComputation g = Dag.builder()
        .input("x", "y")
        .step(VectorOps.scal(2.0, 4), "x").as("v")
        .step(VectorOps.scal(5.0, 4), "v").as("w")
        .step(VectorOps.add(4), "v", "y").as("sum")
        .build();
    BufferPlan plan = BufferPlanner.builder().donate(X).build().plan(g);
    assertEquals(0, plan.copies(), plan.toString());
    assertEquals(1, plan.soleReaderRuleCopies());
    List<String> ops = plan.order().stream().map(c -> c.outputs().get(0).toString()).toList();
    assertTrue(ops.indexOf("sum") < ops.indexOf("w"), plan.toString());
    assertSame(plan.bufferOf(Expr.symbol("v")), plan.bufferOf(Expr.symbol("w")));
    plan.check();
  }

  @Test
  void plan_neverOverwritesRequestedOutput() {
    CompositeComputation g = chain().withOutputs(Expr.symbol("t"));
    BufferPlan plan = BufferPlanner.builder().donate(Y).build().plan(g);
    assertEquals(1, plan.copies(), plan.toString());
    assertTrue(plan.toString().contains(":= Copy(y)"), plan.toString()); // y holds t, kept
    Map<Expr, double[]> in = Map.of(X, new double[] {1, 2, 3, 4}, Y, new double[] {1, 1, 1, 1});
    Map<Expr, double[]> out = plan.execute(in);
    assertArrayEquals(new double[] {3, 5, 7, 9}, out.get(Expr.symbol("t")));
  }

  @Test
  void plan_isDeterministicWhateverTheInsertionOrder() {
    CompositeComputation g = InplaceComposites.executable(7, 40).composite();
    List<Computation> shuffled = new ArrayList<>(g.computations());
    Collections.shuffle(shuffled, new java.util.Random(3));
    CompositeComputation h = CompositeComputation.of(shuffled, g.requestedOutputs());
    assertEquals(BufferPlanner.of().plan(g), BufferPlanner.of().plan(h));
    assertEquals(BufferPlanner.of().plan(g).toString(), BufferPlanner.of().plan(h).toString());
  }

  @Test
  void plan_ofPlannedCompositeChangesNothing() {
    BufferPlan plan = BufferPlanner.of().plan(chain());
    BufferPlan again = BufferPlanner.of().plan(plan.composite());
    assertEquals(plan, again);
    assertEquals(plan.toString(), again.toString());
  }

  @Test
  void execute_aliasesTheOperandArray() {
    double[] y = {1, 1, 1, 1};
    BufferPlan plan = BufferPlanner.builder().donate(Y).build().plan(chain());
    Map<Expr, double[]> out = plan.execute(Map.of(X, new double[] {1, 2, 3, 4}, Y, y));
    // y was donated: Axpy and Scal ran in its very array.
    assertArrayEquals(new double[] {9, 15, 21, 27}, y);
    assertArrayEquals(new double[] {10, 17, 24, 31}, out.get(Expr.symbol("r")));
  }

  @Test
  void execute_leavesInputsThatAreNotDonatedAlone() {
    double[] y = {1, 1, 1, 1};
    BufferPlanner.of().plan(chain()).execute(Map.of(X, new double[] {1, 2, 3, 4}, Y, y));
    assertArrayEquals(new double[] {1, 1, 1, 1}, y);
  }

  @Test
  void execute_reportsMissingInput() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BufferPlanner.of().plan(chain()).execute(Map.of(X, new double[4])));
    assertTrue(e.getMessage().contains("No array for graph input y"), e.getMessage());
  }

  @Test
  void execute_rejectsOperationThatIsNotExecutable() {
    CompositeComputation g = CompositeComputation.of(List.of(
        Computation.of(Kernel.of("K", 1, 1, Map.of(0, 0)), List.of(X), List.of(Y))));
    BufferPlan plan = BufferPlanner.builder().sizes(e -> 8).build().plan(g);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> plan.execute(Map.of(X, new double[1])));
    assertTrue(e.getMessage().contains("is not an io.memoflow.dag.BufferOperation"), e.getMessage());
  }

  @Test
  void check_rejectsHandMadePlanThatOverwritesTooEarly() {
    CompositeComputation g = chain();
    // Scal writes t's buffer (y) before... make r read x, and put s over x while Add still reads x.
    Map<Expr, String> buffers = new HashMap<>();
    buffers.put(X, "X");
    buffers.put(Y, "Y");
    buffers.put(Expr.symbol("t"), "Y");
    buffers.put(Expr.symbol("s"), "Y");
    buffers.put(Expr.symbol("r"), "X"); // r over x: Add reads x while writing r: undeclared
    List<Computation> order = g.order();
    BufferPlan bad = BufferPlan.of(g, order, buffers, null, List.of(Y));
    UnsafePlanException e = assertThrows(UnsafePlanException.class, bad::check);
    assertEquals("Unsafe plan: step 2 (r = Add(x, s)) writes r into buffer X while it reads x from"
        + " it, but the operation does not declare that output over that input (or reads it"
        + " twice). Give r another buffer.", e.getMessage());
  }

  @Test
  void check_namesValueBufferAndBothOperations() {
    // v = Scal(x); w = Scal(v) over v; sum = Add(v, x): running w before sum loses v.
    Operation scal5 = VectorOps.scal(5.0, 4);
    CompositeComputation g = Dag.builder()
        .input("x")
        .step(VectorOps.scal(2.0, 4), "x").as("v")
        .step(scal5, "v").as("w")
        .step(VectorOps.add(4), "v", "x").as("sum")
        .build();
    Computation scalV = g.producerOf(Expr.symbol("w")).orElseThrow();
    Computation add = g.producerOf(Expr.symbol("sum")).orElseThrow();
    Computation first = g.producerOf(Expr.symbol("v")).orElseThrow();
    Map<Expr, String> buffers = Map.of(X, "bx", Expr.symbol("v"), "b1", Expr.symbol("w"), "b1",
        Expr.symbol("sum"), "b2");
    BufferPlan bad = BufferPlan.of(g, List.of(first, scalV, add), buffers);
    UnsafePlanException e = assertThrows(UnsafePlanException.class, bad::check);
    assertEquals("Unsafe plan: value v in buffer b1 is overwritten by step 1 (w = Scal(v)) before"
        + " step 2 (sum = Add(v, x)) reads it. Order the reader first, or give one of the two"
        + " values another buffer.", e.getMessage());
    assertEquals(Expr.symbol("v"), e.value());
    assertEquals("b1", e.buffer().name());
    assertEquals(scalV, e.writer().orElseThrow());
    assertEquals(add, e.reader().orElseThrow());
    // The same buffers in the safe order pass.
    BufferPlan.of(g, List.of(first, add, scalV), buffers).check();
  }

  @Test
  void check_rejectsOverwritingAnInputThatIsNotDonated() {
    CompositeComputation g = Dag.builder().input("x").step(VectorOps.scal(2.0, 4), "x").as("v").build();
    BufferPlan bad = BufferPlan.of(g, g.order(), Map.of(X, "b0", Expr.symbol("v"), "b0"));
    UnsafePlanException e = assertThrows(UnsafePlanException.class, bad::check);
    assertTrue(e.getMessage().startsWith("Unsafe plan: graph input x in buffer b0 is overwritten"),
        e.getMessage());
    BufferPlan.of(g, g.order(), Map.of(X, "b0", Expr.symbol("v"), "b0"), null, List.of(X)).check();
  }

  @Test
  void plan_rejectsOverwriteOutOfRange() {
    CompositeComputation g = CompositeComputation.of(List.of(
        Computation.of(Kernel.of("Bad", 1, 1, Map.of(0, 3)), List.of(X), List.of(Y))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BufferPlanner.builder().sizes(v -> 8).build().plan(g));
    assertEquals("Operation 'Bad' declares output 0 over input 3, but it has 1 outputs and 1"
        + " inputs. Fix its overwrites() to map output indices to input indices.", e.getMessage());
  }

  @Test
  void plan_rejectsDonatingAProducedValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BufferPlanner.builder().donate(Expr.symbol("t")).build().plan(chain()));
    assertTrue(e.getMessage().startsWith("Cannot donate t: it is produced inside"), e.getMessage());
  }

  @Test
  void plan_needsSizesForOperationsThatAreNotExecutable() {
    CompositeComputation g = CompositeComputation.of(List.of(
        Computation.of(Kernel.of("K", 1, 1, Map.of()), List.of(X), List.of(Y))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BufferPlanner.of().plan(g));
    assertTrue(e.getMessage().startsWith("No size for variable"), e.getMessage());
  }

  @Test
  void plan_keepsSmallerResultInItsOperandsBuffer() {
    CompositeComputation g = Dag.builder().input("x")
        .step(VectorOps.head(2.0, 8, 3), "x").as("h")
        .step(VectorOps.pad(3, 8), "h").as("p")
        .build();
    BufferPlan plan = BufferPlanner.builder().donate(X).build().plan(g);
    assertSame(plan.bufferOf(X), plan.bufferOf(Expr.symbol("h")));
    assertEquals(64, plan.bufferOf(X).bytes());
    Map<Expr, double[]> out = plan.execute(Map.of(X, new double[] {1, 2, 3, 4, 5, 6, 7, 8}));
    assertArrayEquals(new double[] {2, 4, 6, 0, 0, 0, 0, 0}, out.get(Expr.symbol("p")));
  }
}
