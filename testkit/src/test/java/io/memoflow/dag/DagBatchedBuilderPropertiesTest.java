package io.memoflow.dag;

import io.memoflow.testkit.DagArbitraries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Checking names in batches changes when a mistake is reported, never what is built: for any
 * batch size, the batched builder builds exactly what the eager one builds, and reports the
 * same bad step and name.
 */
class DagBatchedBuilderPropertiesTest {

  @Provide
  Arbitrary<List<Computation>> plans() {
    return DagArbitraries.computationLists(1, 60);
  }

  @Property
  void batched_buildsWhatTheEagerBuilderBuilds(
      @ForAll("plans") List<Computation> plan,
      @ForAll @IntRange(min = 1, max = 70) int batch,
      @ForAll @IntRange(min = 0, max = 70) int requestAfter) {
    CompositeComputation eager = replay(Dag.builder(), plan, requestAfter).build();
    CompositeComputation batched = replay(Dag.builder().checkInBatches(batch), plan, requestAfter).build();
    assertEquals(eager, batched);
    assertEquals(eager.order(), batched.order());
    assertEquals(eager.inputs(), batched.inputs());
    assertEquals(eager.outputs(), batched.outputs());
    assertEquals(eager.toDot(), batched.toDot());
  }

  /** How the planted mistake breaks a step. */
  enum Mistake { UNKNOWN_INPUT, TAKEN_OUTPUT, FORWARD_REFERENCE }

  @Property
  void batched_reportsTheSameBadStepAndName_andKeepsTheStepsBeforeIt(
      @ForAll("plans") List<Computation> plan,
      @ForAll @IntRange(min = 1, max = 70) int batch,
      @ForAll Mistake mistake,
      @ForAll @IntRange(min = 0, max = 1 << 20) int where) {
    List<String[]> ins = new ArrayList<>();
    List<String[]> outs = new ArrayList<>();
    for (Computation c : plan) {
      ins.add(c.inputs().stream().map(Expr::toString).toArray(String[]::new));
      outs.add(c.outputs().stream().map(Expr::toString).toArray(String[]::new));
    }
    int n = plan.size();
    int bad = switch (mistake) {
      case FORWARD_REFERENCE -> n < 2 ? 0 : where % (n - 1); // reads an output of a later step
      default -> where % n;
    };
    switch (mistake) {
      case UNKNOWN_INPUT -> ins.get(bad)[where % ins.get(bad).length] = "nowhere" + where;
      case TAKEN_OUTPUT -> outs.get(bad)[where % outs.get(bad).length] =
          bad == 0 ? "in0" : outs.get(where % bad)[0];
      case FORWARD_REFERENCE -> {
        if (n < 2) {
          ins.get(bad)[0] = "nowhere"; // no later step: an unknown name instead
        } else {
          int later = bad + 1 + where % (n - 1 - bad);
          ins.get(bad)[where % ins.get(bad).length] = outs.get(later)[0];
        }
      }
    }
    Dag.Builder eager = Dag.builder();
    RuntimeException eagerError = replayUntilError(eager, plan, ins, outs);
    Dag.Builder batched = Dag.builder().checkInBatches(batch);
    RuntimeException batchedError = replayUntilError(batched, plan, ins, outs);
    assertNotNull(eagerError, "the planted mistake is reported");
    int step = bad + 1;
    assertTrue(eagerError.getMessage().startsWith("Step " + step + " ("), eagerError.getMessage());
    int lastDropped = Math.min(n, (bad / batch + 1) * batch);
    assertEquals(eagerError.getMessage() + " " + Dag.Builder.keptAfter(step, lastDropped),
        batchedError.getMessage());
    CompositeComputation kept = batched.build();
    assertEquals(eager.build(), kept);
    assertEquals(eager.build().order(), kept.order());
    assertEquals(bad, kept.size());
  }

  /** Replays a plan as named steps, requesting the first output of step {@code requestAfter}. */
  static Dag.Builder replay(Dag.Builder b, List<Computation> plan, int requestAfter) {
    for (int i = 1; i <= 3; i++) {
      b.input("in" + (i - 1));
    }
    for (int s = 0; s < plan.size(); s++) {
      Computation c = plan.get(s);
      b.step(c.operation(), c.inputs().stream().map(Expr::toString).toArray(String[]::new))
          .as(c.outputs().stream().map(Expr::toString).toArray(String[]::new));
      if (s == requestAfter) {
        b.output(c.outputs().get(0).toString()); // checks the waiting steps in the middle
      }
    }
    return b;
  }

  /** Replays the named steps until one is reported bad, as a caller would; returns the error. */
  private static RuntimeException replayUntilError(
      Dag.Builder b, List<Computation> plan, List<String[]> ins, List<String[]> outs) {
    try {
      for (int i = 0; i < 3; i++) {
        b.input("in" + i);
      }
      for (int s = 0; s < plan.size(); s++) {
        b.step(plan.get(s).operation(), ins.get(s)).as(outs.get(s));
      }
      b.build();
      return null;
    } catch (IllegalArgumentException e) {
      return e;
    }
  }
}
