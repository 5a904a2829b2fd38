package io.memoflow.reactive;

import static io.memoflow.reactive.Graphs.X;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Op;
import io.memoflow.cache.Storage;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The engine and the storage together: hits, shared prefixes, what failures leave stored. */
class MemoizationTest {
  private final Fixture fixture = Graphs.arithmetic();
  private final Engine engine = fixture.builder().maxParallelism(4)
      .policy(RunPolicy.builder().replayAll().build()).build();

  @AfterEach
  void close() {
    engine.close();
    fixture.storage().close();
  }

  @Test
  void longStintOnOneThread_commitsEveryBatchOfNodes_notOnlyAtTheEnd(@TempDir Path dir) {
    // On a store on disk, where new calls are staged and committed in batches (a storage in
    // memory stores each call as it is made, so it has no batch to commit).
    // A comb: v(i+1) = Inc(v(i)) and w(i+1) = Neg(v(i)), so every Inc makes two nodes ready and
    // an inline scheduler starts a second worker on the same thread for one of them.
    int length = SessionInvoker.COMMIT_EVERY / 2 + 250;
    int nodes = 2 * length;
    io.memoflow.dag.Dag.Builder b = io.memoflow.dag.Dag.builder().input("v0");
    for (int i = 0; i < length; i++) {
      b.step(Graphs.INC, "v" + i).as("v" + (i + 1));
      b.step(Graphs.NEG, "v" + i).as("w" + (i + 1));
    }
    b.output("v" + length);
    java.util.concurrent.atomic.AtomicLong committedSeen = new java.util.concurrent.atomic.AtomicLong();
    Fixture onDisk = new Fixture(Storage.open(dir)).bind(Graphs.NEG, a -> -(Long) a[0]);
    onDisk.bind(Graphs.INC, a -> {
      committedSeen.accumulateAndGet(onDisk.storage().stats().calls(), Math::max);
      return (Long) a[0] + 1;
    });
    try (Storage closeMe = onDisk.storage()) {
      try (Engine oneThread = onDisk.builder()
          .scheduler(reactor.core.scheduler.Schedulers.immediate()).build()) {
        Map<Expr, Object> out = oneThread.run(b.build(), Map.of(Expr.symbol("v0"), 0L)).outputs()
            .block(Duration.ofSeconds(30));
        assertEquals((long) length, out.get(Expr.symbol("v" + length)));
      }
      assertEquals(SessionInvoker.COMMIT_EVERY, committedSeen.get(),
          "the first batch is committed while the run goes on");
      assertEquals(nodes, onDisk.storage().stats().calls());
    }
  }

  @Test
  void secondRun_isAllHits_andExecutesNothing() {
    engine.run(Graphs.diamond(), Map.of(X, 2L)).outputs().block(Duration.ofSeconds(10));
    assertEquals(4, fixture.totalExecutions());
    Run again = engine.run(Graphs.diamond(), Map.of(X, 2L));
    StepVerifier.create(again.outputs()).expectNext(Map.of(Expr.symbol("d"), 6L)).verifyComplete();
    assertEquals(4, fixture.totalExecutions());
    List<EngineEvent> events = again.events().collectList().block();
    List<EngineEvent.Hit> hits = Events.of(events, EngineEvent.Hit.class);
    assertEquals(4, hits.size());
    assertEquals(0, Events.count(events, EngineEvent.Computed.class));
    assertTrue(hits.stream().anyMatch(h -> h.call().op().equals("Square")));
    EngineEvent.Progress last = (EngineEvent.Progress) events.get(events.size() - 1);
    assertEquals(4, last.hits());
    assertEquals(0, last.computed());
  }

  @Test
  void changedInput_recomputesOnlyWhatDiffers() {
    // Square(x) and Neg(y): changing y leaves Square a hit.
    CompositeComputation g = Dag.builder().input("x", "y")
        .step(Graphs.SQUARE, "x").as("sx").step(Graphs.NEG, "y").as("ny").build();
    Expr y = Expr.symbol("y");
    engine.run(g, Map.of(X, 3L, y, 1L)).outputs().block(Duration.ofSeconds(10));
    engine.run(g, Map.of(X, 3L, y, 2L)).outputs().block(Duration.ofSeconds(10));
    assertEquals(1, fixture.executions("Square"));
    assertEquals(2, fixture.executions("Neg"));
  }

  @Test
  void concurrentRuns_sharingAPrefix_executeEachCallOnce() throws Exception {
    // Both graphs start with a = Inc(x) (slow, so the runs overlap), then differ.
    CountDownLatch bothWaiting = new CountDownLatch(2);
    fixture.bind(Graphs.INC, a -> {
      Thread.sleep(50);
      return (Long) a[0] + 1;
    });
    CompositeComputation left = Dag.builder().input("x")
        .step(Graphs.INC, "x").as("a").step(Graphs.SQUARE, "a").as("b").build();
    CompositeComputation right = Dag.builder().input("x")
        .step(Graphs.INC, "x").as("a").step(Graphs.NEG, "a").as("c").build();
    try (Engine e = fixture.builder().maxParallelism(4).build()) {
      List<Map<Expr, Object>> outs = Mono.zip(
              e.run(left, Map.of(X, 4L)).outputs(), e.run(right, Map.of(X, 4L)).outputs(),
              (l, r) -> List.of(l, r))
          .block(Duration.ofSeconds(10));
      assertEquals(Map.of(Expr.symbol("b"), 25L), outs.get(0));
      assertEquals(Map.of(Expr.symbol("c"), -5L), outs.get(1));
    }
    assertEquals(1, fixture.executions("Inc"));
    assertEquals(1, fixture.executions("Square"));
    assertEquals(1, fixture.executions("Neg"));
  }

  @Test
  void manyConcurrentSweepPoints_sharingAPrefix_executeEachCallOnce() {
    // Every point computes Inc(x) for x in 0..9, 10 points each: 10 executions in all.
    List<SweepResult> results = engine.sweep(Graphs.diamond(),
            reactor.core.publisher.Flux.range(0, 100).map(i -> Map.of(X, (long) (i % 10))), 8)
        .collectList().block(Duration.ofSeconds(20));
    assertEquals(100, results.size());
    assertEquals(10, fixture.executions("Inc"));
    assertEquals(10, fixture.executions("Add"));
  }

  @Test
  void failedCall_isNotStored_andFinishedNodesAre() {
    fixture.bind(Graphs.SQUARE, a -> {
      throw new IllegalStateException("broken");
    });
    StepVerifier.create(engine.run(Graphs.diamond(), Map.of(X, 2L)).outputs())
        .expectError(RunFailedException.class)
        .verify(Duration.ofSeconds(10));
    int incBefore = fixture.executions("Inc");
    fixture.bind(Graphs.SQUARE, a -> (Long) a[0] * (Long) a[0]);
    StepVerifier.create(engine.run(Graphs.diamond(), Map.of(X, 2L)).outputs())
        .expectNext(Map.of(Expr.symbol("d"), 6L))
        .verifyComplete();
    assertEquals(incBefore, fixture.executions("Inc")); // stored by the failed run: a hit
    assertEquals(2, fixture.executions("Square")); // the failure was not stored
  }

  @Test
  void cancelledRun_keepsFinishedNodesStored() {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Operation inc2 = Operation.of("Inc2", List.of("x"), List.of("y"));
    fixture.bind(inc2, a -> {
      entered.countDown();
      release.await();
      return (Long) a[0] + 1;
    });
    try (Engine e = fixture.builder().maxParallelism(2).build()) {
      Run run = e.run(Graphs.chain(5), Map.of(Expr.symbol("v0"), 0L));
      run.start();
      EngineTest.await(entered);
      run.dispose();
      release.countDown();
      StepVerifier.create(run.outputs())
          .expectError(java.util.concurrent.CancellationException.class)
          .verify(Duration.ofSeconds(10));
      assertEquals(0, fixture.executions("Inc3"));
      Map<Expr, Object> out = e.run(Graphs.chain(5), Map.of(Expr.symbol("v0"), 0L)).outputs()
          .block(Duration.ofSeconds(10));
      assertEquals(Map.of(Expr.symbol("v5"), 5L), out);
    }
    for (String op : List.of("Inc0", "Inc1", "Inc2", "Inc3", "Inc4")) {
      assertEquals(1, fixture.executions(op), op); // Inc0..2 from the first run, as hits after
    }
  }

  @Test
  void unboundOperation_saysWhichAndHowToBind() {
    CompositeComputation g = Dag.builder().input("x")
        .step(Operation.of("Mystery", List.of("x"), List.of("y")), "x").as("m").build();
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> engine.run(g, Map.of(X, 1L)));
    assertTrue(ex.getMessage().startsWith("Operation 'Mystery' of m = Mystery(x) is not bound"
        + " to an Op. Bind one with Engine.builder().bind(operation, op), or bind(op) to match"
        + " by name; bound operations: [Add, Div, "), ex.getMessage());
  }

  @Test
  void bind_arityMismatch_isRejectedAtOnce() {
    Op two = Op.of("sum", (Long a, Long b) -> a + b);
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> Engine.builder().bind(Graphs.SQUARE, two));
    assertEquals("Op 'sum' v" + two.version() + " has 2 inputs [x0, x1] but operation 'Square' has 1 [x]."
        + " They are matched by position: bind an op with as many inputs.", ex.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Engine.builder().bind(Operation.MIN_MAX, two));
  }

  @Test
  void bindByName_runsOpsNamedLikeTheOperations() {
    try (Storage storage = Storage.inMemory();
         Engine e = Engine.builder().storage(storage)
             .bind(Op.of("Inc", (Long v) -> v + 1))
             .bind(Op.of("Square", (Long v) -> v * v))
             .bind(Op.of("Neg", (Long v) -> -v))
             .bind(Op.of("Add", (Long a, Long b) -> a + b))
             .build()) {
      assertEquals(Map.of(Expr.symbol("d"), 6L),
          e.run(Graphs.diamond(), Map.of(X, 2L)).outputs().block(Duration.ofSeconds(10)));
      CompositeComputation wrong = Dag.builder().input("x", "y")
          .step(Operation.of("Inc", List.of("a", "b"), List.of("y")), "x", "y").as("i").build();
      IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
          () -> e.run(wrong, Map.of(X, 1L, Expr.symbol("y"), 2L)));
      assertTrue(ex.getMessage().startsWith("Op 'Inc' vcode:"), ex.getMessage());
      assertTrue(ex.getMessage().contains(" has 1 inputs [x0] but operation 'Inc' has 2 [a, b]"),
          ex.getMessage());
    }
  }

  @Test
  void sessionMode_noOp_runsEverythingAndStoresNothing() {
    try (Engine e = fixture.builder().sessionMode(io.memoflow.cache.SessionMode.NO_OP).build()) {
      e.run(Graphs.diamond(), Map.of(X, 2L)).outputs().block(Duration.ofSeconds(10));
      assertEquals(Map.of(Expr.symbol("d"), 6L),
          e.run(Graphs.diamond(), Map.of(X, 2L)).outputs().block(Duration.ofSeconds(10)));
    }
    assertEquals(8, fixture.totalExecutions());
    engine.run(Graphs.diamond(), Map.of(X, 2L)).outputs().block(Duration.ofSeconds(10));
    assertEquals(12, fixture.totalExecutions()); // nothing was stored by the NO_OP runs
  }

  @Test
  void sessionMode_noNewCalls_failsNodesThatAreNotStored() {
    engine.run(Graphs.diamond(), Map.of(X, 2L)).outputs().block(Duration.ofSeconds(10));
    try (Engine e = fixture.builder()
        .sessionMode(io.memoflow.cache.SessionMode.NO_NEW_CALLS).build()) {
      assertEquals(Map.of(Expr.symbol("d"), 6L),
          e.run(Graphs.diamond(), Map.of(X, 2L)).outputs().block(Duration.ofSeconds(10)));
      StepVerifier.create(e.run(Graphs.diamond(), Map.of(X, 3L)).outputs())
          .expectErrorSatisfies(err -> assertTrue(
              err.getCause().getCause() instanceof io.memoflow.cache.NoStoredCallException,
              String.valueOf(err.getCause())))
          .verify(Duration.ofSeconds(10));
    }
    assertEquals(4, fixture.totalExecutions());
  }

  @Test
  void build_withoutStorage_saysWhatToDo() {
    IllegalStateException ex = assertThrows(IllegalStateException.class,
        () -> Engine.builder().build());
    assertEquals("The engine has no storage. Call storage(Storage.inMemory()) or"
        + " storage(Storage.open(dir)) on the builder.", ex.getMessage());
  }
}
