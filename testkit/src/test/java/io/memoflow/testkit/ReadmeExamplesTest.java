package io.memoflow.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.CallResult;
import io.memoflow.cache.Storage;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Operation;
import io.memoflow.dag.rewrite.GraphRewrites;
import io.memoflow.inplace.BufferPlan;
import io.memoflow.inplace.BufferPlanner;
import io.memoflow.matrix.Cover;
import io.memoflow.matrix.Matrix;
import io.memoflow.matrix.MatrixCompiler;
import io.memoflow.matrix.MatrixEvaluator;
import io.memoflow.matrix.MatrixExamples;
import io.memoflow.matrix.MatrixExecutor;
import io.memoflow.matrix.MatrixExpr;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The snippets of testkit/README.md, run as written. */
class ReadmeExamplesTest {
  static final Operation SCALE = Operation.of("Scale", List.of("x"), List.of("y"));
  static final Operation MIX = Operation.of("Mix", List.of("a", "b"), List.of("p", "q"));

  // ------------------------------------------------------------------ random graphs

  @Provide
  Arbitrary<CompositeComputation> graphs() {
    return DagArbitraries.graphs()
        .operations(List.of(SCALE, MIX))   // your own operations
        .anyShape()                        // chains, diamonds, wide layers, mixed
        .sizes(1, 30)
        .composites();
  }

  @Property(tries = 100)
  void myGraphs_useMyOperations(@ForAll("graphs") CompositeComputation g) {
    assertTrue(g.order().stream().allMatch(c -> c.operation() == SCALE || c.operation() == MIX));
  }

  // ------------------------------------------------------------------ rewrite laws

  RewriteLaws<Long> laws = RewriteLaws.of(GraphRewrites.mergeIdentical(), DagArbitraries::evaluate)
      .inputs(Arbitraries.longs().between(-50, 50))
      .idempotent()
      .build();

  @Property
  void merging_keepsTheLaws(@ForAll("cases") RewriteLaws.Case<Long> c) {
    laws.check(c);
  }

  @Provide
  Arbitrary<RewriteLaws.Case<Long>> cases() {
    return laws.cases(DagArbitraries.graphs().anyShape().composites());
  }

  // ------------------------------------------------------------------ stored programs

  @Property(tries = 50)
  void aSecondRun_retracesEveryCall(@ForAll("programs") StoredPrograms.Program p) {
    try (Storage storage = Storage.inMemory()) {
      assertEquals(p.expected(), p.run(storage).outputs());
      StoredPrograms.Run again = p.run(storage);
      assertEquals(p.expected(), again.outputs());
      assertTrue(again.sources().stream().allMatch(s -> s == CallResult.Source.RETRACED));
    }
  }

  @Provide
  Arbitrary<StoredPrograms.Program> programs() {
    return StoredPrograms.programs(1, 12);
  }

  // ------------------------------------------------------------------ in-place plans

  @Property(tries = 50)
  void regression_runsSafelyInPlace(@ForAll long seed) {
    CompositeComputation g = MatrixExamples.linearRegression(20, 4).composite();
    BufferPlan plan = BufferPlanner.of().plan(g);
    PlanSafety.check(plan, seed);    // AssertionError naming the output that differs
  }

  // ------------------------------------------------------------------ matrix expressions

  @Property(tries = 50)
  void compiled_matchesTheReference(@ForAll("problems") MatrixExprArbitraries.Problem p) {
    Cover cover = MatrixCompiler.standard().compile(p.outputs());
    Map<MatrixExpr, Matrix> got = MatrixExecutor.run(cover, p.values());
    for (MatrixExpr o : p.outputs()) {
      assertTrue(got.get(o).relativeError(MatrixEvaluator.evaluate(o, p.values())) < 1e-9);
    }
  }

  @Provide
  Arbitrary<MatrixExprArbitraries.Problem> problems() {
    return MatrixExprArbitraries.problems();
  }
}
