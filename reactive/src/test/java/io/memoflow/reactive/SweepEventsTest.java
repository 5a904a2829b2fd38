package io.memoflow.reactive;

import static io.memoflow.reactive.Graphs.X;
import static io.memoflow.reactive.Graphs.Y;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Per-node events of sweep points ({@link Engine#sweepEvents}). */
class SweepEventsTest {
  private static final Expr A = Expr.symbol("a");
  private static final Expr B = Expr.symbol("b");
  private final Fixture fixture = Graphs.arithmetic();
  private final Engine engine = fixture.builder().maxParallelism(2).build();

  @AfterEach
  void close() {
    engine.close();
  }

  /** a = Inc(x); b = Square(a). */
  private static CompositeComputation incSquare() {
    return Dag.builder().input("x").step(Graphs.INC, "x").as("a").step(Graphs.SQUARE, "a").as("b")
        .build();
  }

  private static boolean node(SweepEvent e, Class<? extends EngineEvent> type, String op, long x) {
    return e instanceof SweepEvent.Node n && type.isInstance(n.event())
        && n.bindings().equals(Map.of(X, x)) && opOf(n.event()).equals(op);
  }

  private static String opOf(EngineEvent e) {
    if (e instanceof EngineEvent.Started s) {
      return s.computation().operation().name();
    }
    if (e instanceof EngineEvent.Hit h) {
      return h.computation().operation().name();
    }
    if (e instanceof EngineEvent.Computed c) {
      return c.computation().operation().name();
    }
    return ((EngineEvent.Failed) e).computation().operation().name();
  }

  @Test
  void sweepEvents_onePoint_startedComputedInDagOrder_thenDone() {
    StepVerifier.create(engine.sweepEvents(incSquare(), Flux.just(Map.of(X, 3L)), 1))
        .expectNextMatches(e -> node(e, EngineEvent.Started.class, "Inc", 3))
        .expectNextMatches(e -> node(e, EngineEvent.Computed.class, "Inc", 3))
        .expectNextMatches(e -> node(e, EngineEvent.Started.class, "Square", 3))
        .expectNextMatches(e -> node(e, EngineEvent.Computed.class, "Square", 3))
        .assertNext(e -> {
          SweepResult r = assertInstanceOf(SweepEvent.Done.class, e).result();
          assertEquals(Map.of(X, 3L), e.bindings());
          assertEquals(16L, r.output(B));
        })
        .verifyComplete();
  }

  @Test
  void sweepEvents_secondSweep_isAllHits_withTheStoredCalls() {
    engine.sweepEvents(incSquare(), Flux.just(Map.of(X, 3L)), 1).blockLast(Duration.ofSeconds(10));
    StepVerifier.create(engine.sweepEvents(incSquare(), Flux.just(Map.of(X, 3L)), 1)
            .filter(e -> !(e instanceof SweepEvent.Node n && n.event() instanceof EngineEvent.Started)))
        .assertNext(e -> {
          EngineEvent.Hit h = assertInstanceOf(EngineEvent.Hit.class, ((SweepEvent.Node) e).event());
          assertEquals("Inc", h.call().op());
          assertEquals(4L, h.call().output("y").value());
        })
        .expectNextMatches(e -> node(e, EngineEvent.Hit.class, "Square", 3))
        .expectNextMatches(e -> e instanceof SweepEvent.Done d && d.result().succeeded())
        .verifyComplete();
    assertEquals(1, fixture.executions("Inc"));
  }

  @Test
  void sweepEvents_manyPoints_eachPointsEventsPrecedeItsResult_taggedWithItsBindings() {
    List<Map<Expr, Object>> points = new ArrayList<>();
    for (long x = 0; x < 40; x++) {
      points.add(Map.of(X, x % 10)); // 10 distinct points, each 4 times: later ones hit
    }
    List<SweepEvent> events = engine.sweepEvents(incSquare(), Flux.fromIterable(points), 4)
        .collectList().block(Duration.ofSeconds(20));
    Map<Map<Expr, Object>, List<SweepEvent>> open = new LinkedHashMap<>();
    int done = 0, computed = 0, hits = 0;
    for (SweepEvent e : events) {
      if (e instanceof SweepEvent.Node n) {
        open.computeIfAbsent(n.bindings(), k -> new ArrayList<>()).add(e);
        computed += n.event() instanceof EngineEvent.Computed ? 1 : 0;
        hits += n.event() instanceof EngineEvent.Hit ? 1 : 0;
        assertFalse(n.event() instanceof EngineEvent.Progress);
      } else {
        SweepResult r = ((SweepEvent.Done) e).result();
        long x = (Long) r.bindings().get(X);
        assertEquals((x + 1) * (x + 1), r.output(B));
        done++;
      }
    }
    assertEquals(40, done);
    assertEquals(80, computed + hits); // two nodes per point, each a hit or computed
    assertEquals(20, fixture.totalExecutions()); // each distinct call executed once
    assertEquals(20, computed);
    assertEquals(10, open.size());
  }

  @Test
  void sweepEvents_failingPoint_failedEventsThenAFailedResult_andTheSweepGoesOn() {
    CompositeComputation g = Dag.builder().input("x", "y")
        .step(Graphs.DIV, "x", "y").as("q").step(Graphs.INC, "q").as("a").build();
    Flux<Map<Expr, Object>> points = Flux.just(Map.of(X, 4L, Y, 0L), Map.of(X, 4L, Y, 2L));
    StepVerifier.create(engine.sweepEvents(g, points, 1))
        .expectNextMatches(e -> e instanceof SweepEvent.Node n && n.event() instanceof EngineEvent.Started)
        .assertNext(e -> {
          EngineEvent.Failed f = assertInstanceOf(EngineEvent.Failed.class, ((SweepEvent.Node) e).event());
          assertFalse(f.upstream());
          assertEquals(Map.of(X, 4L, Y, 0L), e.bindings());
        })
        .assertNext(e -> assertTrue(((EngineEvent.Failed) ((SweepEvent.Node) e).event()).upstream()))
        .assertNext(e -> assertFalse(((SweepEvent.Done) e).result().succeeded()))
        .expectNextCount(4) // the second point: Started, Computed, Started, Computed
        .assertNext(e -> assertEquals(3L, ((SweepEvent.Done) e).result().output(A)))
        .verifyComplete();
  }

  @Test
  void sweepEvents_slowSubscriber_pullsPointsOnlyAsEventsAreConsumed() {
    java.util.concurrent.atomic.AtomicLong requested = new java.util.concurrent.atomic.AtomicLong();
    Flux<Map<Expr, Object>> points = Flux.range(0, 10_000).map(i -> Map.<Expr, Object>of(X, (long) i))
        .doOnRequest(n -> requested.addAndGet(n));
    StepVerifier.create(engine.sweepEvents(incSquare(), points, 2), 3)
        .expectNextCount(3)
        .thenAwait(Duration.ofMillis(100))
        .then(() -> assertTrue(requested.get() < 1_000, "requested " + requested.get()))
        .thenCancel()
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void sweepEvents_rejectsBadConcurrency_andProgressAsANodeEvent() {
    assertThrows(IllegalArgumentException.class,
        () -> engine.sweepEvents(incSquare(), Flux.empty(), 0));
    EngineEvent.Progress p = new EngineEvent.Progress(1, 1, 0, 1, 0, 5, true, false, 5);
    assertThrows(IllegalArgumentException.class, () -> new SweepEvent.Node(Map.of(), p));
  }
}
