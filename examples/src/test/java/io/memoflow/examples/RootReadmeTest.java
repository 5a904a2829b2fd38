package io.memoflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.CallResult;
import io.memoflow.cache.Op;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import io.memoflow.cache.frame.ComputationFrame;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import io.memoflow.matrix.MatrixExamples;
import io.memoflow.inplace.BufferPlan;
import io.memoflow.inplace.BufferPlanner;
import io.memoflow.reactive.Engine;
import io.memoflow.reactive.EngineEvent;
import io.memoflow.reactive.Run;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the root README's "Concepts" snippets exactly as printed there, and checks their comments. */
class RootReadmeTest {

  @Test
  void conceptSnippets_runAsDocumented(@TempDir Path dir) throws Exception {
    Operation square = Operation.of("Square", List.of("v"), List.of("sq"));
    CompositeComputation g = Dag.builder()
        .input("x", "y")
        .step(Operation.MIN_MAX, "x", "y").as("lo", "hi")
        .step(square, "hi").as("sq")
        .build();
    assertEquals(List.of(Expr.symbol("x"), Expr.symbol("y")), g.inputs());
    assertEquals(List.of(Expr.symbol("lo"), Expr.symbol("sq")), g.outputs());
    assertTrue(g.toDot().startsWith("digraph"));

    MatrixExamples.Example regression = MatrixExamples.linearRegression(2000, 200);
    assertEquals(List.of("SYRK", "GEMM", "POSV"), regression.cover().routines());

    Op minMax = Op.builder("MinMax").version("1").inputs("x", "y").outputs("min", "max")
        .function(a -> List.of(Math.min((Long) a[0], (Long) a[1]), Math.max((Long) a[0], (Long) a[1])))
        .build();
    Op squareOp = Op.builder("Square").version("1").inputs("v")
        .function(a -> (Long) a[0] * (Long) a[0])
        .build();
    try (Storage storage = Storage.open(dir)) {
      try (Session session = storage.session()) {
        Ref<Long> nine = squareOp.call(3L);
        assertEquals(9L, nine.value());
        CallResult again = session.callPositional(squareOp, 3L);
        assertEquals(CallResult.Source.RETRACED, again.source());
      }

      try (Engine engine = Engine.builder().storage(storage)
               .bind(Operation.MIN_MAX, minMax).bind(square, squareOp).build()) {
        Run run = engine.run(g, Map.of(Expr.symbol("x"), 3L, Expr.symbol("y"), 5L));
        Map<Expr, Object> out = run.outputs().block(Duration.ofSeconds(30));
        assertEquals(Map.of(Expr.symbol("lo"), 3L, Expr.symbol("sq"), 25L), out);
        Run rerun = engine.run(g, Map.of(Expr.symbol("x"), 3L, Expr.symbol("y"), 5L));
        var events = rerun.events().collectList().toFuture();
        rerun.start();
        List<EngineEvent> second = events.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(second.stream().noneMatch(e -> e instanceof EngineEvent.Computed), "re-run is all hits");
      }

      ComputationFrame frame = ComputationFrame.of(storage, squareOp).growBackward();
      String table = frame.toTable().toText();
      assertTrue(table.contains("25") && table.contains("9"), table);
    }

    BufferPlan plan = BufferPlanner.builder().exactSizes(true).build()
        .plan(MatrixExamples.kalman(100, 20).composite());
    assertTrue(plan.peakBytes() >= plan.maxLiveBytes());
    assertTrue(plan.peakBytes() <= plan.oneBufferPerValueBytes());
    assertTrue(plan.toString().contains(":="), plan.toString());
  }
}
