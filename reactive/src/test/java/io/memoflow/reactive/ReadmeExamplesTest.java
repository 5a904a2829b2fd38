package io.memoflow.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Op;
import io.memoflow.cache.Storage;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The snippets of reactive/README.md, line for line (ReadmeSnippetsTest in examples holds the
 * README to this file), what they print captured and checked against their comments.
 */
class ReadmeExamplesTest {

  /** Runs {@code snippet} with standard output captured; returns what it printed. */
  private static String printed(Runnable snippet) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      snippet.run();
    } finally {
      System.setOut(stdout);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The README's graph and its two operations. */
  private record Pipeline(Operation inc, Operation add, CompositeComputation graph) {}

  private static Pipeline pipeline() {
    Operation inc = Operation.of("Inc", List.of("x"), List.of("y"));
    Operation add = Operation.of("Add", List.of("a", "b"), List.of("sum"));
    CompositeComputation graph = Dag.builder()
        .input("x")
        .step(inc, "x").as("a")
        .step(add, "a", "x").as("b")
        .build();
    return new Pipeline(inc, add, graph);
  }

  @Test
  void running() {
    String text = printed(() -> {
      Pipeline readme = pipeline();
      Operation inc = readme.inc();
      Operation add = readme.add();
      CompositeComputation graph = readme.graph();

      try (Storage storage = Storage.inMemory();
           Engine engine = Engine.builder()
               .storage(storage)
               .maxParallelism(4)
               .bind(inc, Op.of("Inc", (Long v) -> v + 1))
               .bind(add, Op.of("Add", (Long p, Long q) -> p + q))
               .build()) {
        Run run = engine.run(graph, Map.of(Expr.symbol("x"), 1L));
        run.events().ofType(EngineEvent.Progress.class).subscribe(p -> System.out.println(p));
        Map<Expr, Object> out = run.outputs().block();      // {b=3}
        assertEquals(Map.of(Expr.symbol("b"), 3L), out);
        Map<Expr, Object> again = engine.run(graph, Map.of(Expr.symbol("x"), 1L))
            .outputs().block();                              // all hits: nothing executes
        assertEquals(out, again);
        Run third = engine.run(graph, Map.of(Expr.symbol("x"), 1L), RunPolicy.builder().replayAll().build());
        third.outputs().block(Duration.ofSeconds(10));
        assertEquals(0, third.events().ofType(EngineEvent.Progress.class).blockLast().computed());
      }
    });
    assertTrue(text.contains("2/2 (hits 0, computed 2, failed 0)"), text);
  }

  @Test
  void policySweepsAndReactiveInputs() {
    Pipeline readme = pipeline();
    Operation inc = readme.inc();
    Operation add = readme.add();
    CompositeComputation graph = readme.graph();
    // On the calling thread, so that what the snippets print is printed when they return.
    try (Storage storage = Storage.inMemory();
         Engine engine = Engine.builder().storage(storage).scheduler(Schedulers.immediate())
             .bind(inc, Op.of("Inc", (Long v) -> v + 1))
             .bind(add, Op.of("Add", (Long p, Long q) -> p + q))
             .build()) {
      Map<Expr, Object> inputs = Map.of(Expr.symbol("x"), 5L);
      Supplier<Run> policyRun = () -> {
        RunPolicy policy = RunPolicy.builder()
            .keepGoing()                          // let independent branches finish
            .retries(2, Duration.ofMillis(50))    // 2 more attempts after 50 ms, then 100 ms
            .timeout(Duration.ofSeconds(30))      // per node attempt
            .replayAll()                          // late event subscribers see everything
            .build();
        Run run = engine.run(graph, inputs, policy);
        return run;
      };
      assertEquals(Map.of(Expr.symbol("b"), 11L), policyRun.get().outputs().block());

      String swept = printed(() -> {
        Flux<SweepResult> results = engine.sweep(graph,
            Engine.grid(Map.of(Expr.symbol("x"), List.of(1L, 2L, 3L))),   // or any Publisher of bindings
            8);                                                              // points in progress at once
        results.subscribe(r -> System.out.println(r.bindings() + " -> " + r.outputs()));
      });
      assertEquals(List.of("{x=1} -> {b=3}", "{x=2} -> {b=5}", "{x=3} -> {b=7}"),
          swept.lines().sorted().toList());

      Map<Expr, List<?>> axes = Map.of(Expr.symbol("x"), List.of(1L, 7L));
      String events = printed(() ->
          engine.sweepEvents(graph, Engine.grid(axes), 4).subscribe(e -> {
            if (e instanceof SweepEvent.Node n && n.event() instanceof EngineEvent.Computed c) {
              System.out.println(n.bindings() + ": computed " + c.computation().operation().name());
            } else if (e instanceof SweepEvent.Done d) {
              System.out.println(d.bindings() + " -> " + d.result().outputs());
            }
          }));
      // x=1 was computed by the sweep above (hits now); x=7 is new: Inc then Add, then its result.
      assertEquals(List.of("{x=1} -> {b=3}", "{x=7} -> {b=15}", "{x=7}: computed Add",
          "{x=7}: computed Inc"), events.lines().sorted().toList());

      Expr x = Expr.symbol("x");
      List<SweepEvent> batch = engine.sweepTogether(graph, List.of(Map.of(x, 2L), Map.of(x, 3L)));
      assertEquals(List.of(Map.of(Expr.symbol("b"), 5L), Map.of(Expr.symbol("b"), 7L)),
          batch.stream().filter(e -> e instanceof SweepEvent.Done)
              .map(e -> ((SweepEvent.Done) e).result().outputs()).toList());

      Flux<Map<Expr, Object>> changes = Flux.just(Map.of(Expr.symbol("x"), 1L),
          Map.of(Expr.symbol("x"), 2L));
      Flux<Map<Expr, Object>> outputs = engine.react(graph, changes);
      assertEquals(List.of(Map.of(Expr.symbol("b"), 3L), Map.of(Expr.symbol("b"), 5L)),
          outputs.collectList().block());
    }
  }
}
