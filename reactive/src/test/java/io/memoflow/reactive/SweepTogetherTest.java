package io.memoflow.reactive;

import static io.memoflow.reactive.Graphs.X;
import static io.memoflow.reactive.Graphs.Y;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Storage;
import io.memoflow.cache.StorageOptions;
import io.memoflow.cache.spi.StorageBackend;
import io.memoflow.dag.Expr;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Points run together: the results of a sweep, committed once for the whole batch. */
class SweepTogetherTest {
  @TempDir Path dir;
  private final AtomicInteger commits = new AtomicInteger();

  /** A persistent store whose commits are counted. */
  private Storage counted(Path at) {
    StorageBackend disk = Storage.openBackend(at, StorageOptions.defaults());
    StorageBackend counting = (StorageBackend) Proxy.newProxyInstance(
        StorageBackend.class.getClassLoader(), new Class<?>[] {StorageBackend.class},
        (proxy, method, args) -> {
          if (method.getName().equals("commit")) {
            commits.incrementAndGet();
          }
          try {
            return method.invoke(disk, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    return Storage.of(counting, StorageOptions.defaults());
  }

  private static List<Map<Expr, Object>> points(int n) {
    List<Map<Expr, Object>> points = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      points.add(Map.of(X, i, Y, 100 - i));
    }
    return points;
  }

  @Test
  void twentyPoints_giveTheSweepsResults_inOrder_withOneCommit() {
    try (Storage storage = counted(dir.resolve("store"))) {
      Fixture fixture = Graphs.arithmetic(storage);
      try (Engine engine = fixture.builder().maxParallelism(2).build()) {
        List<SweepEvent> events = engine.sweepTogether(Graphs.minMax(), points(20));
        assertEquals(1, commits.get(), "commits for the batch");
        List<SweepResult> done = events.stream().filter(e -> e instanceof SweepEvent.Done)
            .map(e -> ((SweepEvent.Done) e).result()).toList();
        assertEquals(20, done.size());
        for (int i = 0; i < 20; i++) {
          SweepResult r = done.get(i);
          assertTrue(r.succeeded(), () -> String.valueOf(r.error()));
          long x = i, y = 100 - i;
          assertEquals(x, r.bindings().get(X), "in order");
          assertEquals(Math.min(x, y), r.output(Expr.symbol("lo")));
        }
        Set<Map<Expr, Object>> computed = new HashSet<>();
        events.forEach(e -> {
          if (e instanceof SweepEvent.Node n && n.event() instanceof EngineEvent.Computed) {
            computed.add(n.bindings());
          }
        });
        assertEquals(20, computed.size(), "each point's nodes were computed, and said so");

        int executed = fixture.totalExecutions();
        List<SweepResult> again = engine.sweep(Graphs.minMax(),
            reactor.core.publisher.Flux.fromIterable(points(20)), 2).collectList().block();
        assertEquals(20, again.size());
        assertEquals(executed, fixture.totalExecutions(), "a sweep after the batch retraces all");
      }
    }
  }

  @Test
  void aFailingPoint_isDoneWithItsError_andTheOthersStillRun() {
    Fixture fixture = Graphs.arithmetic();
    try (Engine engine = fixture.builder().build()) {
      List<Map<Expr, Object>> points = new ArrayList<>(points(3));
      points.add(1, Map.of(X, 7L));   // y missing
      List<SweepResult> done = engine.sweepTogether(Graphs.minMax(), points).stream()
          .filter(e -> e instanceof SweepEvent.Done).map(e -> ((SweepEvent.Done) e).result())
          .toList();
      assertEquals(4, done.size());
      assertFalse(done.get(1).succeeded(), "the point without y");
      assertTrue(done.get(0).succeeded() && done.get(2).succeeded() && done.get(3).succeeded());
    }
  }

  @Test
  void afterClose_pointsAreDoneWithTheEngineClosedError() {
    Fixture fixture = Graphs.arithmetic();
    Engine engine = fixture.builder().build();
    engine.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> engine.sweepTogether(Graphs.minMax(), points(2)));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }
}
