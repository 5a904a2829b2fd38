package io.memoflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.CallResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs every example and checks what it computes and prints. */
class ExamplesTest {
  private final StringWriter text = new StringWriter();
  private final PrintWriter out = new PrintWriter(text, true);

  @Test
  void minMax_sortsAndRetraces() {
    MinMaxExample.Result r = MinMaxExample.run(out);
    assertEquals(3, r.min());
    assertEquals(7, r.max());
    assertEquals(List.of(1L, 5L, 9L), r.sorted());
    assertEquals(3, r.secondRunHits());
    assertTrue(text.toString().contains("sort3(5, 9, 1) = [1, 5, 9]"), text::toString);
  }

  @Test
  void builder_buildsAndReportsMisspeltVariable() {
    BuilderExample.Result r = BuilderExample.run(out);
    assertEquals(2, r.graph().computations().size());
    assertTrue(r.mistake().contains("unknown variable 'hj'"), r.mistake());
    assertTrue(text.toString().contains("digraph memoflow"), text::toString);
    assertTrue(text.toString().contains("flowchart LR"), text::toString);
  }

  @Test
  void session_retracesSecondRunAndReusesByContent() {
    SessionExample.Result r = SessionExample.run(out);
    assertEquals(5, r.sum());
    assertEquals(3, r.firstRunExecutions());
    assertEquals(0, r.secondRunExecutions());
    assertEquals(List.of(CallResult.Source.RETRACED, CallResult.Source.RETRACED,
        CallResult.Source.RETRACED), r.sources());
    assertEquals(CallResult.Source.REUSED, r.reuse());
  }

  @Test
  void frames_tableHasNullsWhereBranchNotTakenAndDeleteRemovesDependents() {
    FramesExample.Result r = FramesExample.run(out);
    assertEquals(4, r.table().size());
    long withoutAdd = r.table().rows().stream().filter(row -> row.isNull("add")).count();
    assertEquals(2, withoutAdd);
    assertEquals(3, r.deletedCalls());
    assertEquals(2, r.incCallsLeft());
  }

  @Test
  void kalman_planBeatsOneBufferPerValueAndMatchesReference() {
    KalmanExample.Result r = KalmanExample.run(6, 3, out);
    assertTrue(r.plan().peakBytes() < r.plan().oneBufferPerValueBytes(), r.plan()::toString);
    assertTrue(r.plan().peakBytes() >= r.plan().maxLiveBytes());
    assertTrue(r.maxRelativeError() < 1e-9, () -> "error " + r.maxRelativeError());
    assertTrue(text.toString().contains("POSV"), text::toString);
  }

  @Test
  void sweep_bothSubscribersSeeEveryPoint() {
    SweepExample.Result r = SweepExample.run(out);
    assertEquals(12, r.printed().size());
    assertEquals(0.0, (Double) r.best().output(io.memoflow.dag.Expr.symbol("loss")));
    assertEquals(3.0, r.best().bindings().get(io.memoflow.dag.Expr.symbol("w")));
  }
}
