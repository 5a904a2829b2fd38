package io.memoflow.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memoflow.cache.Op;
import io.memoflow.cache.Storage;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** The examples of reactive/README.md, compiled and checked. */
class ReadmeExamplesTest {
  private final Operation inc = Operation.of("Inc", List.of("x"), List.of("y"));
  private final Operation add = Operation.of("Add", List.of("a", "b"), List.of("sum"));
  private final CompositeComputation graph = Dag.builder()
      .input("x")
      .step(inc, "x").as("a")
      .step(add, "a", "x").as("b")
      .build();

  @Test
  void running() {
    List<EngineEvent.Progress> progress = new ArrayList<>();
    try (Storage storage = Storage.inMemory();
         Engine engine = Engine.builder()
             .storage(storage)
             .maxParallelism(4)
             .bind(inc, Op.of("Inc", (Long v) -> v + 1))
             .bind(add, Op.of("Add", (Long p, Long q) -> p + q))
             .build()) {
      Run run = engine.run(graph, Map.of(Expr.symbol("x"), 1L));
      run.events().ofType(EngineEvent.Progress.class).subscribe(progress::add);
      Map<Expr, Object> out = run.outputs().block();
      assertEquals(Map.of(Expr.symbol("b"), 3L), out);
      Run again = engine.run(graph, Map.of(Expr.symbol("x"), 1L), RunPolicy.builder().replayAll().build());
      assertEquals(out, again.outputs().block());
      EngineEvent.Progress last = again.events().ofType(EngineEvent.Progress.class).blockLast();
      assertEquals(2, last.hits());
    }
    assertEquals(2, progress.get(progress.size() - 1).computed());
  }

  @Test
  void policyAndSweepAndReact() {
    RunPolicy policy = RunPolicy.builder()
        .keepGoing()
        .retries(2, Duration.ofMillis(50))
        .timeout(Duration.ofSeconds(30))
        .replayAll()
        .build();
    try (Storage storage = Storage.inMemory();
         Engine engine = Engine.builder().storage(storage)
             .bind(inc, Op.of("Inc", (Long v) -> v + 1))
             .bind(add, Op.of("Add", (Long p, Long q) -> p + q))
             .build()) {
      Map<Expr, Object> inputs = Map.of(Expr.symbol("x"), 5L);
      assertEquals(Map.of(Expr.symbol("b"), 11L), engine.run(graph, inputs, policy).outputs().block());

      Flux<SweepResult> results = engine.sweep(graph,
          Engine.grid(Map.of(Expr.symbol("x"), List.of(1L, 2L, 3L))),
          8);
      List<SweepResult> all = results.collectList().block();
      assertEquals(3, all.size());
      for (SweepResult r : all) {
        long x = (Long) r.bindings().get(Expr.symbol("x"));
        assertEquals(2 * x + 1, r.output(Expr.symbol("b")));
      }

      Map<Expr, List<?>> axes = Map.of(Expr.symbol("x"), List.of(1L, 7L));
      List<String> lines = new java.util.ArrayList<>();
      engine.sweepEvents(graph, Engine.grid(axes), 4).doOnNext(e -> {
        if (e instanceof SweepEvent.Node n && n.event() instanceof EngineEvent.Computed c) {
          lines.add(n.bindings() + ": computed " + c.computation().operation().name());
        } else if (e instanceof SweepEvent.Done d) {
          lines.add(d.bindings() + " -> " + d.result().outputs());
        }
      }).blockLast();
      // x=1 was computed by the sweep above (hits now); x=7 is new: Inc then Add, then its result.
      assertEquals(List.of("{x=1} -> {b=3}", "{x=7} -> {b=15}", "{x=7}: computed Add",
          "{x=7}: computed Inc"), lines.stream().sorted().toList());

      Flux<Map<Expr, Object>> changes = Flux.just(Map.of(Expr.symbol("x"), 1L),
          Map.of(Expr.symbol("x"), 2L));
      Flux<Map<Expr, Object>> outputs = engine.react(graph, changes);
      assertEquals(List.of(Map.of(Expr.symbol("b"), 3L), Map.of(Expr.symbol("b"), 5L)),
          outputs.collectList().block());
    }
  }
}
