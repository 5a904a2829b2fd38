package io.memoflow.dag;

import static io.memoflow.dag.Expr.symbol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The builder with names checked in batches: when errors are reported and what it keeps. */
class DagBatchedBuilderTest {
  static final Operation SQUARE = Operation.of("Square", List.of("x"), List.of("sq"));
  static final Operation ADD = Operation.of("Add", List.of("a", "b"), List.of("sum"));

  /** A chain x -> s1 -> s2 -> ... of {@code n} Square steps. */
  private static Dag.Builder chain(Dag.Builder b, int n) {
    b.input("x");
    for (int i = 1; i <= n; i++) {
      b.step(SQUARE, i == 1 ? "x" : "s" + (i - 1)).as("s" + i);
    }
    return b;
  }

  @Test
  void unknownInput_isReportedByBuild_andTheStepsBeforeItAreKept() {
    Dag.Builder b = chain(Dag.builder().checkInBatches(), 3);
    b.step(ADD, "s3", "s33").as("t"); // no error yet: names wait to be checked
    b.step(SQUARE, "t").as("u");
    var e = assertThrows(IllegalArgumentException.class, b::build);
    assertEquals("Step 4 (Add): unknown variable 's33'. Did you mean 's3' or 's1' or 's2'?"
        + " Declare it with input(\"s33\") or produce it in an earlier step."
        + " Names are checked in batches: the builder kept steps 1 to 3 and dropped steps 4 to 5"
        + " (this step and the rest of its batch); add them again once this step is fixed.",
        e.getMessage());
    CompositeComputation kept = b.build();
    assertEquals(chain(Dag.builder(), 3).build(), kept);
    assertEquals(chain(Dag.builder(), 3).build().order(), kept.order());
    var dropped = assertThrows(IllegalArgumentException.class, () -> b.variable("u"));
    assertTrue(dropped.getMessage().startsWith("variable(...): unknown variable 'u'."), dropped.getMessage());
    // Still usable: the corrected steps are numbered from where the kept ones end.
    CompositeComputation fixed = b.step(ADD, "s3", "s3").as("t").step(SQUARE, "t").as("u").build();
    assertEquals(5, fixed.size());
    assertEquals(List.of(symbol("u")), fixed.outputs());
  }

  @Test
  void takenOutput_isReportedByTheAsThatFillsTheBatch() {
    Dag.Builder b = Dag.builder().checkInBatches(3).input("x");
    b.step(SQUARE, "x").as("a");
    b.step(SQUARE, "a").as("b");
    b.step(SQUARE, "b").as("c"); // first batch: steps 1 to 3, all good
    b.step(SQUARE, "c").as("a"); // step 4 takes 'a' again
    b.step(SQUARE, "c").as("d");
    var e = assertThrows(IllegalArgumentException.class, () -> b.step(SQUARE, "d").as("e"));
    assertEquals("Step 4 (Square): variable 'a' is already produced by Step 1 (Square)."
        + " Choose another name. Names are checked in batches: the builder kept steps 1 to 3"
        + " and dropped steps 4 to 6 (this step and the rest of its batch); add them again once"
        + " this step is fixed.", e.getMessage());
    assertEquals(3, b.build().size());
    assertEquals(List.of(symbol("c")), b.build().outputs());
  }

  @Test
  void forwardReference_withinABatch_isAnUnknownName_andALastBadStepDropsOnlyItself() {
    Dag.Builder b = Dag.builder().checkInBatches(4).input("x");
    b.step(SQUARE, "x").as("a");
    b.step(SQUARE, "later").as("b"); // 'later' is produced by the next step: not yet known
    b.step(SQUARE, "a").as("later");
    var e = assertThrows(IllegalArgumentException.class, () -> b.output("a"));
    assertTrue(e.getMessage().startsWith("Step 2 (Square): unknown variable 'later'."), e.getMessage());
    assertTrue(e.getMessage().endsWith("the builder kept step 1 and dropped steps 2 to 3 (this step"
        + " and the rest of its batch); add them again once this step is fixed."), e.getMessage());
    assertEquals(Set.of(), b.build().requestedOutputs(), "the output(...) that reported it did nothing");

    Dag.Builder one = Dag.builder().checkInBatches().input("x");
    one.step(SQUARE, "y").as("a");
    var first = assertThrows(IllegalArgumentException.class, one::build);
    assertTrue(first.getMessage().endsWith("Names are checked in batches: the builder kept no steps"
        + " and dropped step 1; add them again once this step is fixed."), first.getMessage());
    assertEquals(0, one.build().size());
  }

  @Test
  void inputOutputVariableAndAdd_checkTheWaitingStepsFirst() {
    Dag.Builder b = Dag.builder().checkInBatches().input("x", "y");
    b.step(Operation.MIN_MAX, "x", "y").as("lo", "hi");
    assertEquals(symbol("hi"), b.variable("hi"));
    b.step(SQUARE, "hi").as("sq");
    b.output("sq");
    var in = assertThrows(IllegalArgumentException.class, () -> b.step(SQUARE, "x").as("z").input("z"));
    assertEquals("Variable 'z' is already produced by Step 3 (Square). Choose another name.",
        in.getMessage());
    b.step(SQUARE, "lo").as("lo2");
    b.add(Computation.of(ADD, b.variable("lo2"), b.variable("z")));
    CompositeComputation g = b.build();
    assertEquals(5, g.size());
    assertEquals(List.of("Add(lo2, z)", "sq"), g.outputs().stream().map(Expr::toString).sorted().toList());

    Dag.Builder bad = Dag.builder().checkInBatches().input("x");
    bad.step(SQUARE, "nope").as("a");
    var e = assertThrows(IllegalArgumentException.class, () -> bad.input("w"));
    assertTrue(e.getMessage().startsWith("Step 1 (Square): unknown variable 'nope'."), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> bad.variable("w"), "input(...) did nothing");
    assertThrows(IllegalArgumentException.class,
        () -> Dag.builder().checkInBatches().input("x").step(SQUARE, "q").as("a")
            .add(Computation.of(SQUARE, symbol("x"))));
  }

  @Test
  void variable_whileAStepWaitsForItsOutputNames_keepsThatStep() {
    Dag.Builder b = chain(Dag.builder().checkInBatches(), 2);
    Dag.Step waiting = b.step(ADD, "s1", "s2");
    assertEquals(symbol("s2"), b.variable("s2")); // checks steps 1 and 2 first
    CompositeComputation g = waiting.as("t").build();
    assertEquals(List.of("s1 = Square(x)", "s2 = Square(s1)", "t = Add(s1, s2)"),
        g.order().stream().map(Computation::toString).toList());

    Dag.Builder bad = chain(Dag.builder().checkInBatches(), 1).step(SQUARE, "nope").as("q");
    Dag.Step next = bad.step(SQUARE, "s1");
    assertThrows(IllegalArgumentException.class, () -> bad.variable("q")); // drops step 2
    var twice = assertThrows(IllegalArgumentException.class, () -> next.as("r", "r2"));
    assertTrue(twice.getMessage().startsWith("Step 2 (Square) has 1 outputs"), twice.getMessage());
    CompositeComputation kept = bad.step(SQUARE, "s1").as("r").build();
    assertEquals(List.of("s1 = Square(x)", "r = Square(s1)"),
        kept.order().stream().map(Computation::toString).toList());
  }

  @Test
  void arityCountsAndRepeatedNames_areStillCheckedAtOnce_withTheirStepNumber() {
    Dag.Builder b = chain(Dag.builder().checkInBatches(), 2); // steps 1 and 2 wait in the batch
    b.step(SQUARE, "unknown"); // not checked yet
    var missingAs = assertThrows(IllegalStateException.class, () -> b.step(SQUARE, "x"));
    assertEquals("Step 3 (Square) has no output names: call .as(...) after step(...) before step(...).",
        missingAs.getMessage());
    var arity = assertThrows(IllegalArgumentException.class, () -> b.step(ADD, "x"));
    assertTrue(arity.getMessage().startsWith("Step 3 (Add) takes 2 inputs [a, b] but was given 1"),
        arity.getMessage());
    var count = assertThrows(IllegalArgumentException.class,
        () -> b.step(Operation.MIN_MAX, "x", "s1").as("m"));
    assertTrue(count.getMessage().startsWith("Step 3 (MinMax) has 2 outputs [min, max] but as(...) named 1"),
        count.getMessage());
    var twice = assertThrows(IllegalArgumentException.class,
        () -> b.step(Operation.MIN_MAX, "x", "s1").as("m", "m"));
    assertEquals("Step 3 (MinMax): output name 'm' is given twice in [m, m]. Give every output its own name.",
        twice.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.step(SQUARE, "x").as(" "));
    assertThrows(NullPointerException.class, () -> b.step(SQUARE, (String) null));
    assertEquals(2, b.build().size(), "steps rejected at once never entered the batch");
  }

  @Test
  void checkInBatches_afterEagerSteps_andBatchesOfOne_buildTheSameGraph() {
    CompositeComputation eager = chain(Dag.builder(), 600).build();
    Dag.Builder mixed = Dag.builder().input("x");
    for (int i = 1; i <= 600; i++) {
      if (i == 300) {
        mixed.checkInBatches();
      }
      mixed.step(SQUARE, i == 1 ? "x" : "s" + (i - 1)).as("s" + i);
    }
    assertEquals(eager.order(), mixed.build().order());
    assertEquals(eager.order(), chain(Dag.builder().checkInBatches(1), 600).build().order());
    var e = assertThrows(IllegalArgumentException.class, () -> Dag.builder().checkInBatches(0));
    assertEquals("A batch needs at least one step, not 0.", e.getMessage());
  }
}
