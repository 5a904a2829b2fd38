package io.memoflow.reactive;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Expr;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * One run of a composite, returned by {@link Engine#run}. It starts when {@link #outputs()} is
 * first subscribed to, or at {@link #start()}; subscribe to {@link #events()} before that to see
 * every event.
 *
 * <pre>{@code
 * Run run = engine.run(graph, Map.of(x, 3, y, 4));
 * run.events().ofType(EngineEvent.Progress.class).subscribe(p -> System.out.println(p));
 * Map<Expr, Object> out = run.outputs().block();
 * }</pre>
 *
 * <p>Thread-safe. {@link #dispose()} stops scheduling new nodes: nodes already finished stay
 * stored, nodes running finish (or time out), and nothing half-written reaches the store.
 */
public final class Run implements Disposable {
  private final CompositeComputation composite;
  private final Execution execution;
  /** Subscribers of {@link #outputs()} still waiting for the result. */
  private final AtomicInteger waiting = new AtomicInteger();

  Run(CompositeComputation composite, Execution execution) {
    this.composite = composite;
    this.execution = execution;
  }

  /** Returns the composite this run executes. */
  public CompositeComputation composite() {
    return composite;
  }

  /** Returns how many nodes this run has to produce. */
  public int size() {
    return execution.total();
  }

  /** Starts the run if it has not started; returns this run. */
  public Run start() {
    execution.start();
    return this;
  }

  /**
   * Returns the values of the composite's {@link CompositeComputation#outputs() outputs}, by
   * variable, in that order; subscribing starts the run. Every subscriber gets the same result.
   * A run shared by several subscribers lives until the last one leaves: when every
   * subscription made so far was cancelled before the result, the run is disposed (as
   * {@link #dispose()} does); a subscriber that cancels while others wait changes nothing for
   * them.
   *
   * <p>Errors: {@link RunFailedException} when nodes failed (its cause is the first {@link
   * NodeFailedException}); {@link java.util.concurrent.CancellationException} when the run was
   * disposed.
   */
  public Mono<Map<Expr, Object>> outputs() {
    return Mono.defer(() -> {
      waiting.incrementAndGet();
      execution.start();
      return execution.result().doFinally(signal -> {
        if (waiting.decrementAndGet() == 0 && signal == SignalType.CANCEL) {
          execution.dispose();
        }
      });
    });
  }

  /**
   * Returns the events of this run; any number of subscribers may follow it. A subscriber sees
   * the events emitted after it subscribed, plus the last {@link RunPolicy#replay()} ones
   * before. The flux completes after the final {@link EngineEvent.Progress}, also when the run
   * fails or is disposed (failures are {@link EngineEvent.Failed} events). Subscribing does not
   * start the run.
   *
   * <p>Events are delivered on the engine's threads; each subscriber buffers what it has not
   * requested yet, so a slow subscriber never slows the run (but holds memory). Move slow work
   * elsewhere with {@code publishOn}.
   */
  public Flux<EngineEvent> events() {
    return execution.events();
  }

  /** Stops scheduling new nodes; see the class comment. Idempotent. */
  @Override
  public void dispose() {
    execution.dispose();
  }

  /** Returns whether the run was disposed or has finished. */
  @Override
  public boolean isDisposed() {
    return execution.isDisposed();
  }
}
