package io.memoflow.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memoflow.cache.Op;
import io.memoflow.cache.Storage;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/**
 * Two engines, each with its own storage of one store directory (as two processes have), sweep
 * the same grid at once: the engine's calls go through the store's claims, so each node of each
 * point executes once in all, and both see every result.
 */
class SharedStoreSweepTest {
  @Test
  void twoEnginesSweepingOneGridOnOneStore_executeEachNodeOnce(@TempDir Path dir) {
    Operation slow = Operation.of("Slow", List.of("x"), List.of("y"));
    Operation twice = Operation.of("Twice", List.of("y"), List.of("z"));
    CompositeComputation graph = Dag.builder().input("x")
        .step(slow, "x").as("y")
        .step(twice, "y").as("z")
        .build();
    AtomicInteger runs = new AtomicInteger();
    Op slowOp = Op.builder("Slow").version("1").inputs("x").function(a -> {
      runs.incrementAndGet();
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return (Long) a[0] * 3;
    }).build();
    Op twiceOp = Op.builder("Twice").version("1").inputs("y").function(a -> {
      runs.incrementAndGet();
      return (Long) a[0] * 2;
    }).build();
    int points = 300;
    try (Storage a = Storage.open(dir.resolve("store")); Storage b = Storage.open(dir.resolve("store"));
        Engine ea = Engine.builder().storage(a).maxParallelism(2).bind(slow, slowOp).bind(twice, twiceOp).build();
        Engine eb = Engine.builder().storage(b).maxParallelism(2).bind(slow, slowOp).bind(twice, twiceOp).build()) {
      List<List<Map<Expr, Object>>> grids = new ArrayList<>();
      for (int k = 0; k < 2; k++) {
        List<Map<Expr, Object>> grid = new ArrayList<>();
        for (long x = 0; x < points; x++) {
          grid.add(Map.of(Expr.symbol("x"), x));
        }
        Collections.shuffle(grid, new Random(k));
        grids.add(grid);
      }
      Flux<SweepResult> both = Flux.merge(ea.sweep(graph, Flux.fromIterable(grids.get(0))),
          eb.sweep(graph, Flux.fromIterable(grids.get(1))));
      List<SweepResult> results = both.collectList().block();
      assertEquals(2 * points, results.size());
      for (SweepResult r : results) {
        long x = (Long) r.bindings().get(Expr.symbol("x"));
        assertEquals(6 * x, r.output(Expr.symbol("z")), r.toString());
      }
      assertEquals(2 * points, runs.get(), "each of the 2 nodes of each point executed once in all");
    }
  }
}
