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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class EngineTest {
  private final Fixture fixture = Graphs.arithmetic();
  private final List<Engine> engines = new ArrayList<>();

  private Engine engine(int parallelism, RunPolicy policy) {
    Engine e = fixture.builder().maxParallelism(parallelism).policy(policy).build();
    engines.add(e);
    return e;
  }

  private static RunPolicy everyNode() {
    return RunPolicy.builder().progressInterval(Duration.ZERO).build();
  }

  /** Latches of an op that blocks: counted down when it starts, awaited before it returns. */
  private record Gate(CountDownLatch entered, CountDownLatch release) {}

  /** Binds Inc1 to open {@code entered}, then wait for {@code release}; returns the gate. */
  private Gate blockInc1() {
    Gate gate = new Gate(new CountDownLatch(1), new CountDownLatch(1));
    fixture.bind(io.memoflow.dag.Operation.of("Inc1", List.of("x"), List.of("y")), a -> {
      gate.entered().countDown();
      gate.release().await();
      return (Long) a[0] + 1;
    });
    return gate;
  }

  @AfterEach
  void closeEngines() {
    engines.forEach(Engine::close);
  }

  @Test
  void run_diamond_producesOutput() {
    Run run = engine(4, RunPolicy.defaults()).run(Graphs.diamond(), Map.of(X, 2L));
    StepVerifier.create(run.outputs())
        .expectNext(Map.of(Expr.symbol("d"), 6L)) // a = 3, b = 9, c = -3
        .verifyComplete();
    assertEquals(4, fixture.totalExecutions());
  }

  @Test
  void run_chainOnOneWorker_eventsInOrder() {
    CompositeComputation g = Graphs.chain(2);
    Run run = engine(1, everyNode()).run(g, Map.of(Expr.symbol("v0"), 0L));
    StepVerifier.create(run.events())
        .then(run::start)
        .assertNext(e -> assertStarted(e, 0))
        .assertNext(e -> assertInstanceOf(EngineEvent.Computed.class, e))
        .assertNext(e -> assertEquals(1, ((EngineEvent.Progress) e).computed()))
        .assertNext(e -> assertStarted(e, 1))
        .assertNext(e -> assertEquals(1, ((EngineEvent.Computed) e).node()))
        .assertNext(e -> assertEquals(2, ((EngineEvent.Progress) e).computed()))
        .assertNext(e -> {
          EngineEvent.Progress p = (EngineEvent.Progress) e;
          assertTrue(p.finished());
          assertFalse(p.cancelled());
          assertEquals(2, p.done());
          assertEquals(1.0, p.fractionDone());
        })
        .verifyComplete();
  }

  private static void assertStarted(EngineEvent e, int node) {
    EngineEvent.Started s = assertInstanceOf(EngineEvent.Started.class, e);
    assertEquals(node, s.node());
    assertEquals(0, s.attempt());
  }

  @Test
  void run_diamond_everyStartAfterItsInputs() {
    CompositeComputation g = Graphs.diamond();
    Run run = engine(2, everyNode()).run(g, Map.of(X, 5L));
    List<EngineEvent> events = new ArrayList<>();
    run.events().subscribe(events::add);
    run.outputs().block(Duration.ofSeconds(10));
    Events.assertCausal(g, events);
    assertEquals(4, Events.count(events, EngineEvent.Computed.class));
  }

  @Test
  void run_multiOutputNode_routesEachOutput() {
    Run run = engine(2, RunPolicy.defaults()).run(Graphs.minMax(), Map.of(X, 7L, Y, 3L));
    StepVerifier.create(run.outputs())
        .expectNext(Map.of(Expr.symbol("lo"), 3L, Expr.symbol("w"), 4L))
        .verifyComplete();
    assertEquals(1, fixture.executions("MinMax"));
  }

  @Test
  void run_missingInput_saysWhichAndWhatToDo() {
    Engine e = engine(1, RunPolicy.defaults());
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> e.run(Graphs.minMax(), Map.of(X, 1L)));
    assertEquals("Inputs [y] are not bound; the composite reads [x, y]. Bind every input.",
        ex.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> e.run(Graphs.minMax(), Map.of(X, 1L, Y, 2L, Expr.symbol("z"), 3L)));
    assertTrue(unknown.getMessage().startsWith("Input z is not an input of this composite"),
        unknown.getMessage());
  }

  @Test
  void run_emptyComposite_completesAtOnce() {
    CompositeComputation g = CompositeComputation.of();
    StepVerifier.create(engine(1, RunPolicy.defaults()).run(g, Map.of()).outputs())
        .expectNext(Map.of())
        .verifyComplete();
  }

  @Test
  void failFast_failingNode_failsDependentsAndNamesOpAndInputs() {
    fixture.bind(Graphs.SQUARE, a -> {
      throw new ArithmeticException("too big");
    });
    CompositeComputation g = Graphs.diamond();
    Run run = engine(1, everyNode().toBuilder().replayAll().build()).run(g, Map.of(X, 2L));
    StepVerifier.create(run.outputs())
        .expectErrorSatisfies(e -> {
          RunFailedException rf = assertInstanceOf(RunFailedException.class, e);
          NodeFailedException nf = assertInstanceOf(NodeFailedException.class, rf.getCause());
          assertEquals("Square", nf.op());
          assertEquals(1, nf.inputIds().size());
          String hid = nf.inputIds().get(0);
          assertTrue(hid.matches("history [0-9a-f]{12}"), hid);
          assertEquals("Op 'Square' failed computing b = Square(a) with inputs a=" + hid + ":"
              + " java.lang.ArithmeticException: too big. Fix the op or its inputs;"
              + " failed calls are not stored.", nf.getMessage());
          assertInstanceOf(ArithmeticException.class, nf.getCause());
        })
        .verify(Duration.ofSeconds(10));
    List<EngineEvent> events = run.events().collectList().block(Duration.ofSeconds(10));
    List<EngineEvent.Failed> failed = Events.of(events, EngineEvent.Failed.class);
    assertEquals(2, failed.size()); // Square itself, then its dependent Add
    assertFalse(failed.get(0).upstream());
    assertEquals("d", failed.get(1).computation().outputs().get(0).toString());
    assertTrue(failed.get(1).upstream());
    assertEquals(failed.get(0).error(), failed.get(1).error());
    EngineEvent.Progress last = (EngineEvent.Progress) events.get(events.size() - 1);
    assertTrue(last.finished());
  }

  @Test
  void failFast_stopsSchedulingIndependentBranch() {
    // Two independent branches running at once: Div fails only once Inc has started, and Inc
    // finishes only after Div has failed, so Inc runs exactly once and Square must never start.
    CountDownLatch incStarted = new CountDownLatch(1);
    CountDownLatch divFailed = new CountDownLatch(1);
    fixture.bind(Graphs.DIV, a -> {
      await(incStarted);
      return (Long) a[0] / (Long) a[1];
    });
    fixture.bind(Graphs.INC, a -> {
      incStarted.countDown();
      await(divFailed);
      return (Long) a[0] + 1;
    });
    CompositeComputation g = Dag.builder()
        .input("x")
        .step(Graphs.DIV, "x", "x").as("q")
        .step(Graphs.INC, "x").as("i")
        .step(Graphs.SQUARE, "i").as("s")
        .build();
    Run run = engine(2, RunPolicy.defaults()).run(g, Map.of(X, 0L));
    run.events().ofType(EngineEvent.Failed.class).subscribe(f -> divFailed.countDown());
    StepVerifier.create(run.outputs())
        .expectErrorSatisfies(e -> assertEquals(
            "Div", ((NodeFailedException) e.getCause()).op()))
        .verify(Duration.ofSeconds(10));
    assertEquals(1, fixture.executions("Inc"));
    assertEquals(0, fixture.executions("Square"));
  }

  @Test
  void keepGoing_independentBranchFinishes() {
    CompositeComputation g = Dag.builder()
        .input("x")
        .step(Graphs.DIV, "x", "x").as("q")
        .step(Graphs.NEG, "q").as("n")
        .step(Graphs.INC, "x").as("i")
        .step(Graphs.SQUARE, "i").as("s")
        .build();
    Run run = engine(1, RunPolicy.builder().keepGoing().build()).run(g, Map.of(X, 0L));
    StepVerifier.create(run.outputs())
        .expectErrorSatisfies(e -> {
          RunFailedException rf = assertInstanceOf(RunFailedException.class, e);
          assertEquals(Map.of(Expr.symbol("s"), 1L), rf.partialOutputs());
          assertEquals(1, rf.failures().size());
          assertTrue(rf.getMessage().startsWith(
              "Run failed: 1 of 4 nodes failed and 1 dependents could not run."), rf.getMessage());
        })
        .verify(Duration.ofSeconds(10));
    assertEquals(0, fixture.executions("Neg"));
    assertEquals(1, fixture.executions("Square"));
  }

  @Test
  void cancel_inTheMiddle_stopsSchedulingAndKeepsFinishedNodes() throws Exception {
    Gate gate = blockInc1();
    Run run = engine(2, RunPolicy.builder().replayAll().build())
        .run(Graphs.chain(4), Map.of(Expr.symbol("v0"), 0L));
    StepVerifier.create(run.outputs())
        .then(() -> await(gate.entered()))
        .thenCancel()
        .verify(Duration.ofSeconds(10));
    assertTrue(run.isDisposed());
    gate.release().countDown();
    List<EngineEvent> events = run.events().collectList().block(Duration.ofSeconds(10));
    EngineEvent.Progress last = (EngineEvent.Progress) events.get(events.size() - 1);
    assertTrue(last.finished() && last.cancelled(), last.toString());
    assertEquals(2, last.computed()); // Inc0 and the running Inc1 finished
    assertEquals(2, Events.count(events, EngineEvent.Started.class));
    assertEquals(0, fixture.executions("Inc2"));
  }

  @Test
  void outputs_sharedRunLivesUntilTheLastSubscriberLeaves() throws Exception {
    Gate gate = blockInc1();
    Run run = engine(2, RunPolicy.defaults()).run(Graphs.chain(3), Map.of(Expr.symbol("v0"), 0L));
    reactor.core.Disposable leaving = run.outputs().subscribe();
    var staying = run.outputs().toFuture();
    await(gate.entered());
    leaving.dispose();                     // one of two leaves: the run goes on for the other
    assertFalse(run.isDisposed());
    gate.release().countDown();
    assertEquals(Map.of(Expr.symbol("v3"), 3L), staying.get(10, TimeUnit.SECONDS));
    assertEquals(1, fixture.executions("Inc2"));
  }

  @Test
  void outputs_lastSubscriberLeavingDisposesTheRun() throws Exception {
    Gate gate = blockInc1();
    Run run = engine(2, RunPolicy.defaults()).run(Graphs.chain(3), Map.of(Expr.symbol("v0"), 0L));
    reactor.core.Disposable first = run.outputs().subscribe();
    reactor.core.Disposable second = run.outputs().subscribe();
    await(gate.entered());
    first.dispose();
    second.dispose();
    assertTrue(run.isDisposed());
    gate.release().countDown();
    run.events().blockLast(Duration.ofSeconds(10));
    assertEquals(0, fixture.executions("Inc2"));
  }

  @Test
  void close_waitsForTheRunningCall_andCommitsIt() throws Exception {
    Gate gate = blockInc1();
    Engine engine = engine(2, RunPolicy.defaults());
    var outputs = engine.run(Graphs.chain(3), Map.of(Expr.symbol("v0"), 0L)).outputs().toFuture();
    await(gate.entered());
    Thread closer = new Thread(engine::close, "closer");
    closer.start();
    closer.join(300);
    assertTrue(closer.isAlive(), "close returned while Inc1 was still running");
    gate.release().countDown();
    closer.join(10_000);
    assertFalse(closer.isAlive(), "close did not return once Inc1 did");
    // The run ends as cancelled (a future reports that cause itself): Inc2 never started.
    assertThrows(CancellationException.class, () -> outputs.get(10, TimeUnit.SECONDS));
    assertEquals(0, fixture.executions("Inc2"));
    // Inc1's call was committed by the close: a new engine retraces it.
    Run again = engine(2, RunPolicy.defaults()).run(Graphs.chain(2), Map.of(Expr.symbol("v0"), 0L));
    assertEquals(Map.of(Expr.symbol("v2"), 2L), again.outputs().block(Duration.ofSeconds(10)));
    assertEquals(1, fixture.executions("Inc1"));
  }

  @Test
  void runAfterClose_failsSayingTheEngineIsClosed() {
    Engine engine = engine(1, RunPolicy.defaults());
    engine.close();
    StepVerifier.create(engine.run(Graphs.diamond(), Map.of(X, 1L)).outputs())
        .expectErrorSatisfies(e -> assertEquals(
            "The engine is closed, so this run did not start. Build a new Engine to run it.",
            e.getMessage()))
        .verify(Duration.ofSeconds(10));
    assertEquals(0, fixture.totalExecutions());
  }

  @Test
  void dispose_beforeStart_endsWithCancellation() {
    Run run = engine(1, RunPolicy.defaults()).run(Graphs.diamond(), Map.of(X, 1L));
    run.dispose();
    StepVerifier.create(run.outputs()).expectError(CancellationException.class).verify();
    assertEquals(0, fixture.totalExecutions());
  }

  @Test
  void events_slowSubscriber_neitherBlocksRunNorLosesEvents() {
    Run run = engine(2, everyNode()).run(Graphs.chain(8), Map.of(Expr.symbol("v0"), 0L));
    StepVerifier.create(run.events(), 1)
        .then(() -> run.outputs().block(Duration.ofSeconds(10))) // finishes while we hold back
        .expectNextMatches(e -> e instanceof EngineEvent.Started)
        .thenRequest(Long.MAX_VALUE)
        .expectNextCount(8 * 3 - 1 + 1) // Started, Computed, Progress per node; final Progress
        .verifyComplete();
  }

  @Test
  void events_multicastToEverySubscriber_replayForLateOnes() {
    Run run = engine(2, everyNode().toBuilder().replayAll().build())
        .run(Graphs.diamond(), Map.of(X, 1L));
    List<EngineEvent> first = new ArrayList<>();
    List<EngineEvent> second = new ArrayList<>();
    run.events().subscribe(first::add);
    run.events().subscribe(second::add);
    run.outputs().block(Duration.ofSeconds(10));
    List<EngineEvent> late = run.events().collectList().block(Duration.ofSeconds(10));
    assertEquals(first, second);
    assertEquals(first, late);
    assertEquals(4 * 3 + 1, first.size());
  }

  @Test
  void events_withoutReplay_lateSubscriberSeesOnlyTheEnd() {
    Run run = engine(2, RunPolicy.defaults()).run(Graphs.diamond(), Map.of(X, 1L));
    run.outputs().block(Duration.ofSeconds(10));
    StepVerifier.create(run.events()).verifyComplete();
  }

  @Test
  void outputs_manySubscribers_runOnce() {
    Run run = engine(2, RunPolicy.defaults()).run(Graphs.diamond(), Map.of(X, 1L));
    Map<Expr, Object> a = run.outputs().block(Duration.ofSeconds(10));
    Map<Expr, Object> b = run.outputs().block(Duration.ofSeconds(10));
    assertEquals(a, b);
    assertEquals(4, fixture.totalExecutions());
  }

  @Test
  void run_wideGraph_usesBoundedParallelism() throws Exception {
    java.util.concurrent.atomic.AtomicInteger now = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger peak = new java.util.concurrent.atomic.AtomicInteger();
    Dag.Builder b = Dag.builder().input("x");
    for (int i = 0; i < 12; i++) {
      io.memoflow.dag.Operation op =
          io.memoflow.dag.Operation.of("Slow" + i, List.of("x"), List.of("y"));
      fixture.bind(op, a -> {
        peak.accumulateAndGet(now.incrementAndGet(), Math::max);
        Thread.sleep(5);
        now.decrementAndGet();
        return a[0];
      });
      b.step(op, "x").as("o" + i);
    }
    Map<Expr, Object> out =
        engine(3, RunPolicy.defaults()).run(b.build(), Map.of(X, 1L)).outputs()
            .block(Duration.ofSeconds(10));
    assertEquals(12, out.size());
    assertTrue(peak.get() <= 3, "peak " + peak.get());
  }

  static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out waiting");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void engine_onImmediateScheduler_runsInCallerThread() {
    Thread caller = Thread.currentThread();
    List<Thread> seen = new ArrayList<>();
    fixture.bind(Graphs.INC, a -> {
      seen.add(Thread.currentThread());
      return (Long) a[0] + 1;
    });
    Engine e = fixture.builder().scheduler(Schedulers.immediate()).build();
    engines.add(e);
    e.run(Graphs.diamond(), Map.of(X, 1L)).start();
    assertEquals(List.of(caller), seen);
  }
}
