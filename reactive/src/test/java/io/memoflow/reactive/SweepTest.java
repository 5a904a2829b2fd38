package io.memoflow.reactive;

import static io.memoflow.reactive.Graphs.X;
import static io.memoflow.reactive.Graphs.Y;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.dag.Expr;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class SweepTest {
  private final Fixture fixture = Graphs.arithmetic();
  private final Engine engine = fixture.builder().maxParallelism(2).build();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void grid_walksEveryCombination_lastAxisFastest() {
    StepVerifier.create(Engine.grid(Map.of(X, List.of(1L, 2L))))
        .expectNext(Map.of(X, 1L), Map.of(X, 2L))
        .verifyComplete();
    Map<Expr, List<?>> axes = new java.util.LinkedHashMap<>();
    axes.put(X, List.of(1L, 2L));
    axes.put(Y, List.of(10L, 20L, 30L));
    List<Map<Expr, Object>> points = Engine.grid(axes).collectList().block();
    assertEquals(6, points.size());
    assertEquals(Map.of(X, 1L, Y, 20L), points.get(1));
    assertEquals(Map.of(X, 2L, Y, 10L), points.get(3));
    assertThrows(IllegalArgumentException.class, () -> Engine.grid(Map.of(X, List.of())));
  }

  @Test
  void sweep_grid_streamsEveryPointWithItsBindings() {
    Map<Expr, List<?>> axes = Map.of(X, List.of(1L, 5L, 9L), Y, List.of(2L, 4L, 6L, 8L));
    List<SweepResult> results =
        engine.sweep(Graphs.minMax(), Engine.grid(axes)).collectList().block(Duration.ofSeconds(10));
    assertEquals(12, results.size());
    Set<Map<Expr, Object>> seen = new HashSet<>();
    for (SweepResult r : results) {
      assertTrue(r.succeeded());
      long x = (Long) r.bindings().get(X), y = (Long) r.bindings().get(Y);
      assertEquals(Math.min(x, y), r.output(Expr.symbol("lo")));
      assertEquals(Math.abs(x - y), r.output(Expr.symbol("w")));
      seen.add(r.bindings());
    }
    assertEquals(12, seen.size());
  }

  @Test
  void sweep_failingPoint_isAResultNotAnError() {
    Flux<Map<Expr, Object>> points = Flux.just(Map.of(X, 4L, Y, 2L), Map.of(X, 4L, Y, 0L));
    io.memoflow.dag.CompositeComputation g = io.memoflow.dag.Dag.builder()
        .input("x", "y").step(Graphs.DIV, "x", "y").as("q").build();
    List<SweepResult> results = engine.sweep(g, points, 1).collectList().block();
    assertEquals(2, results.size());
    assertTrue(results.get(0).succeeded());
    assertEquals(2L, results.get(0).output(Expr.symbol("q")));
    assertFalse(results.get(1).succeeded());
    assertTrue(results.get(1).error() instanceof RunFailedException);
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> results.get(1).output(Expr.symbol("q")));
    assertTrue(ex.getMessage().contains("the point failed"), ex.getMessage());
  }

  @Test
  void sweep_retriedPoints_completeLater() {
    java.util.Set<Object> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
    fixture.bind(Graphs.SQUARE, a -> {
      if (failedOnce.add(a[0])) {
        throw new IllegalStateException("first try of " + a[0]);
      }
      return (Long) a[0] * (Long) a[0];
    });
    try (Engine retrying = fixture.builder().maxParallelism(2)
        .policy(RunPolicy.builder().retries(1, Duration.ofMillis(5)).build()).build()) {
      List<SweepResult> results = retrying.sweep(Graphs.diamond(),
          Flux.range(0, 20).map(i -> Map.of(X, (long) i)), 4).collectList()
          .block(Duration.ofSeconds(10));
      assertEquals(20, results.size());
      for (SweepResult r : results) {
        assertTrue(r.succeeded(), String.valueOf(r.error()));
        long a = (Long) r.bindings().get(X) + 1;
        assertEquals(a * a - a, r.output(Expr.symbol("d")));
      }
    }
    assertEquals(40, fixture.executions("Square"));
  }

  @Test
  void sweep_boundsConcurrency() {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    fixture.bind(Graphs.INC, a -> {
      peak.accumulateAndGet(now.incrementAndGet(), Math::max);
      Thread.sleep(2);
      now.decrementAndGet();
      return (Long) a[0] + 1;
    });
    Engine wide = fixture.builder().maxParallelism(8).build();
    List<SweepResult> results = wide.sweep(Graphs.diamond(),
        Flux.range(0, 40).map(i -> Map.of(X, (long) i)), 3).collectList().block(Duration.ofSeconds(20));
    wide.close();
    assertEquals(40, results.size());
    assertTrue(peak.get() <= 3, "peak " + peak.get());
  }

  @Test
  void sweep_slowSubscriber_pullsPointsOnlyAsResultsAreConsumed() {
    AtomicLong pulled = new AtomicLong();
    Flux<Map<Expr, Object>> points = Flux.range(0, 1000)
        .map(i -> Map.<Expr, Object>of(X, (long) i))
        .doOnNext(p -> pulled.incrementAndGet());
    StepVerifier.create(engine.sweep(Graphs.diamond(), points, 4), 2)
        .expectNextCount(2)
        .thenAwait(Duration.ofMillis(50))
        // Read-ahead: a batch of 64 at the source plus two per rail (2 rails), and 4 in progress.
        .then(() -> assertTrue(pulled.get() <= 2 + 4 + 64 * 5, "pulled " + pulled.get()))
        .thenRequest(10)
        .expectNextCount(10)
        .then(() -> assertTrue(pulled.get() <= 12 + 4 + 64 * 5, "pulled " + pulled.get()))
        .thenCancel()
        .verify(Duration.ofSeconds(10));
  }
}
