package io.memoflow.reactive;

import static io.memoflow.reactive.Graphs.X;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.dag.Expr;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Retries with backoff and per-node timeouts, in virtual time. */
class RetryTimeoutTest {
  private final Fixture fixture = Graphs.arithmetic();
  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

  @Test
  void retries_failingTwiceThenSucceeding_backsOffAndSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    fixture.bind(Graphs.SQUARE, a -> {
      if (calls.incrementAndGet() <= 2) {
        throw new IllegalStateException("flaky " + calls.get());
      }
      return (Long) a[0] * (Long) a[0];
    });
    // The immediate scheduler runs nodes in the thread that advances virtual time.
    Engine engine = fixture.builder().scheduler(Schedulers.immediate()).timer(clock)
        .policy(RunPolicy.builder().retries(3, Duration.ofSeconds(1)).replayAll().build())
        .build();
    Run run = engine.run(Graphs.diamond(), Map.of(X, 2L));
    StepVerifier.withVirtualTime(run::outputs, () -> clock, Long.MAX_VALUE)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(999)) // first retry after 1 s
        .then(() -> assertEquals(1, calls.get()))
        .thenAwait(Duration.ofMillis(1))
        .then(() -> assertEquals(2, calls.get()))
        .expectNoEvent(Duration.ofMillis(1999)) // second retry after 2 s
        .thenAwait(Duration.ofMillis(1))
        .expectNext(Map.of(Expr.symbol("d"), 6L))
        .verifyComplete();
    List<EngineEvent> events = run.events().collectList().block();
    List<EngineEvent.Failed> failed = Events.of(events, EngineEvent.Failed.class);
    assertEquals(2, failed.size());
    assertTrue(failed.get(0).retrying() && failed.get(1).retrying());
    assertEquals(1, failed.get(1).error().attempt());
    assertTrue(failed.get(0).error().getMessage().contains("(attempt 1 of 4)"),
        failed.get(0).error().getMessage());
    List<Integer> attempts = Events.of(events, EngineEvent.Started.class).stream()
        .filter(s -> s.computation().operation().equals(Graphs.SQUARE))
        .map(EngineEvent.Started::attempt).toList();
    assertEquals(List.of(0, 1, 2), attempts);
  }

  @Test
  void retries_exhausted_failRun() {
    fixture.bind(Graphs.SQUARE, a -> {
      throw new IllegalStateException("always");
    });
    Engine engine = fixture.builder().scheduler(Schedulers.immediate()).timer(clock)
        .policy(RunPolicy.builder().retries(2, Duration.ofSeconds(1)).build())
        .build();
    StepVerifier.withVirtualTime(() -> engine.run(Graphs.diamond(), Map.of(X, 2L)).outputs(),
            () -> clock, Long.MAX_VALUE)
        .expectSubscription()
        .thenAwait(Duration.ofSeconds(3))
        .expectErrorSatisfies(e -> {
          NodeFailedException nf = (NodeFailedException) e.getCause();
          assertEquals(2, nf.attempt());
          assertTrue(nf.getMessage().contains("(attempt 3 of 3)"), nf.getMessage());
        })
        .verify(Duration.ofSeconds(10));
    assertEquals(3, fixture.executions("Square"));
  }

  @Test
  void backoff_doublesUpToTheCap() {
    RunPolicy p = RunPolicy.builder().retries(5, Duration.ofMillis(100))
        .maxBackoff(Duration.ofMillis(350)).build();
    assertEquals(Duration.ofMillis(100), p.backoffFor(0));
    assertEquals(Duration.ofMillis(200), p.backoffFor(1));
    assertEquals(Duration.ofMillis(350), p.backoffFor(2));
    assertEquals(Duration.ofMillis(350), p.backoffFor(4));
  }

  @Test
  void timeout_slowNode_isInterruptedAndFailsTheRun() {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    fixture.bind(Graphs.SQUARE, a -> {
      entered.countDown();
      try {
        new CountDownLatch(1).await(); // forever, until interrupted
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
      return 0L;
    });
    Engine engine = fixture.builder().maxParallelism(2).timer(clock)
        .policy(RunPolicy.builder().timeout(Duration.ofSeconds(5)).replayAll().build())
        .build();
    Run run = engine.run(Graphs.diamond(), Map.of(X, 2L));
    // c = Neg(a) runs beside the stuck Square on the second thread. Its watchdog is disarmed
    // only when it ends, so the virtual clock may move only after that, or Neg times out too.
    CountDownLatch negDone = new CountDownLatch(1);
    run.events().subscribe(e -> {
      if (e instanceof EngineEvent.Computed c && c.computation().operation().name().equals("Neg")) {
        negDone.countDown();
      }
    }, error -> { });
    StepVerifier.withVirtualTime(run::outputs, () -> clock, Long.MAX_VALUE)
        .expectSubscription()
        .then(() -> EngineTest.await(entered))
        .then(() -> EngineTest.await(negDone))
        .expectNoEvent(Duration.ofMillis(4999))
        .thenAwait(Duration.ofMillis(1))
        .expectErrorSatisfies(e -> {
          NodeFailedException nf = assertInstanceOf(NodeFailedException.class, e.getCause());
          assertInstanceOf(TimeoutException.class, nf.getCause());
          assertEquals("Op 'Square' computing b = Square(a) ran longer than its timeout of PT5S."
              + " Raise RunPolicy.timeout or make the op faster.", nf.getCause().getMessage());
        })
        .verify(Duration.ofSeconds(10));
    EngineTest.await(interrupted);
    engine.close();
  }

  @Test
  void timeout_fastNodes_unaffected() {
    Engine engine = fixture.builder().maxParallelism(2).timer(clock)
        .policy(RunPolicy.builder().timeout(Duration.ofSeconds(5)).build())
        .build();
    assertEquals(Map.of(Expr.symbol("d"), 6L),
        engine.run(Graphs.diamond(), Map.of(X, 2L)).outputs().block(Duration.ofSeconds(10)));
    clock.advanceTimeBy(Duration.ofSeconds(10)); // disarmed watchdogs do nothing
    assertFalse(Thread.currentThread().isInterrupted());
    engine.close();
  }
}
