package io.memoflow.inplace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.dag.BufferOperation;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.matrix.MatrixExamples;
import io.memoflow.testkit.PlanSafety;
import org.junit.jupiter.api.Test;

/** Plans and runs the BLAS/LAPACK examples of io.memoflow.matrix on aliased buffers. */
class MatrixExamplesPlanTest {

  private static void planAndRun(MatrixExamples.Example example) {
    CompositeComputation g = example.composite();
    BufferPlanner planner = BufferPlanner.of(); // the routines' exact lengths need no option
    BufferPlan plan = planner.plan(g).check();
    PlanSafety.check(plan, example.randomInputs(7), 1);
    assertEquals(plan, planner.plan(plan.composite()));
    assertTrue(plan.peakBytes() < plan.oneBufferPerValueBytes(), plan::toString);
    assertTrue(plan.peakBytes() >= plan.maxLiveBytes(), plan::toString);
    // Donating the inputs lets the routines destroy them instead of copies.
    BufferPlan donated = BufferPlanner.builder().donate(g.inputs()).build().plan(g);
    assertTrue(donated.copies() < plan.copies() || plan.copies() == 0, donated::toString);
    PlanSafety.check(donated, example.randomInputs(7), 3);
  }

  @Test
  void kalman_runsInPlaceBitForBit() {
    planAndRun(MatrixExamples.kalman(6, 3));
  }

  @Test
  void linearRegression_runsInPlaceBitForBit() {
    planAndRun(MatrixExamples.linearRegression(20, 4));
  }

  @Test
  void matrixRoutines_arePlannedWithExactSizesUnasked() {
    CompositeComputation g = MatrixExamples.kalman(6, 3).composite();
    assertEquals(BufferPlanner.builder().exactSizes(true).build().plan(g), BufferPlanner.of().plan(g));
    for (BufferPlan.Step step : BufferPlanner.of().plan(g).steps()) {
      BufferOperation op = (BufferOperation) step.computation().operation();
      for (int k = 0; k < step.outputs().size(); k++) {
        assertEquals(op.outputLength(k) * 8L, step.outputs().get(k).bytes(), step::toString);
      }
    }
  }

  @Test
  void kalman_listingWritesResultsOverOperands() {
    BufferPlan plan = BufferPlanner.of().plan(MatrixExamples.kalman(6, 3).composite());
    String listing = plan.toString();
    boolean overAnOperand = plan.steps().stream().anyMatch(
        s -> s.outputs().stream().anyMatch(s.inputs()::contains));
    assertTrue(overAnOperand, listing);
  }
}
