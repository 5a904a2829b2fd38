package io.memoflow.inplace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.dag.BufferOperation;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.matrix.MatrixExamples;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The snippets of inplace/README.md, line for line (ReadmeSnippetsTest in examples holds the
 * README to this file), each followed by the check of what its comment says.
 */
class ReadmeExamplesTest {

  @Test
  void planAndRun() {
    // README: "Plan, list, run"
    BufferOperation axpy = VectorOps.axpy(2.0, 4);
    BufferOperation scal = VectorOps.scal(3.0, 4);
    BufferOperation add = VectorOps.add(4);
    Expr x = Expr.symbol("x");
    Expr y = Expr.symbol("y");
    CompositeComputation g = Dag.builder()
        .input("x", "y")
        .step(axpy, "x", "y").as("t")     // t := 2x + y, may overwrite y
        .step(scal, "t").as("s")          // s := 3t, may overwrite t
        .step(add, "x", "s").as("r")      // r := x + s, a fresh buffer
        .build();
    BufferPlan plan = BufferPlanner.builder().donate(Expr.symbol("y")).build().plan(g);
    System.out.println(plan);
    Map<Expr, double[]> out = plan.execute(Map.of(x, new double[] {1, 2, 3, 4}, y, new double[] {1, 1, 1, 1}));
    assertArrayEquals(new double[] {10, 17, 24, 31}, out.get(Expr.symbol("r")));
    assertEquals(0, plan.copies());
    assertTrue(plan.toString().contains("y := Axpy(x, y)"));
  }

  @Test
  void blasExample() {
    // README: "BLAS and LAPACK"
    MatrixExamples.Example kalman = MatrixExamples.kalman(100, 20);
    BufferPlan plan = BufferPlanner.builder()
        .donate(kalman.composite().inputs())     // inputs may be destroyed
        .build()
        .plan(kalman.composite());
    Map<Expr, double[]> out = plan.execute(kalman.randomInputs(1));
    assertEquals(kalman.composite().outputs().size(), out.size());
    assertTrue(plan.peakBytes() < plan.oneBufferPerValueBytes());
  }

  @Test
  void sizesAndCheck() {
    // README: "Sizes without Executables" and "Checking a plan"
    Kernel gemm = Kernel.of("GEMM", 3, 1, Map.of(0, 2));   // output 0 over input 2 (C)
    Expr a = Expr.symbol("A");
    Expr b = Expr.symbol("B");
    Expr c = Expr.symbol("C");
    Expr d = Expr.symbol("D");
    CompositeComputation g = CompositeComputation.of(List.of(
        Computation.of(gemm, List.of(a, b, c), List.of(d))));
    BufferPlan plan = BufferPlanner.builder().sizes(v -> 8 * 64 * 64).donate(c).build().plan(g);
    // C := GEMM(A, B, C)
    assertTrue(plan.toString().contains("C := GEMM(A, B, C)"), plan.toString());

    Map<Expr, String> buffers = Map.of(a, "A", b, "B", c, "C", d, "A");   // D written over A
    BufferPlan bad = BufferPlan.of(g, g.order(), buffers, v -> 8 * 64 * 64, List.of(c));
    UnsafePlanException e = assertThrows(UnsafePlanException.class, () -> {
      bad.check();   // UnsafePlanException: ... writes D into buffer A while it reads A ...
    });
    assertTrue(e.getMessage().contains("writes D into buffer A while it reads A"), e.getMessage());
  }
}
