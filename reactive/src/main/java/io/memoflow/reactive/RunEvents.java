package io.memoflow.reactive;

import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The event stream of one {@link Execution}: its {@link EngineEvent}s, and the tallies behind
 * its {@link EngineEvent.Progress} events. Thread-safe.
 */
final class RunEvents {
  /*
   * Overview: one Reactor sink per execution: multicast best effort when the policy replays
   * nothing (an event nobody listens to is dropped, and wanted() lets the scheduler skip
   * building it), else a replay sink of the policy's size. Sinks.Many must not be written
   * concurrently, so every emission holds one lock. The tallies are atomic counters the workers
   * bump on their hot path (no allocation); a Progress event reads them at most once per
   * progress interval, and once at the end.
   */

  private final Sinks.Many<EngineEvent> sink;
  private final boolean replaying;
  private final Object lock = new Object();
  private final long progressNanos;
  private final int total;
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger hits = new AtomicInteger();
  private final AtomicInteger computed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private volatile long lastProgress;
  private long startNanos;

  /** The events of a run of {@code total} nodes under {@code policy}. */
  RunEvents(RunPolicy policy, int total) {
    this.total = total;
    this.progressNanos = policy.progressInterval().toNanos();
    int replay = policy.replay();
    this.replaying = replay > 0;
    this.sink =
        replay == 0
            ? Sinks.many().multicast().directBestEffort()
            : replay == RunPolicy.REPLAY_ALL
                ? Sinks.many().replay().all()
                : Sinks.many().replay().limit(replay);
  }

  Flux<EngineEvent> flux() {
    return sink.asFlux().onBackpressureBuffer();
  }

  /** Marks the start of the run: elapsed times and progress intervals count from {@code now}. */
  void begin(long now) {
    startNanos = now;
    lastProgress = now;
  }

  /** Returns whether an event would reach anyone: build events only then. */
  boolean wanted() {
    return replaying || sink.currentSubscriberCount() > 0;
  }

  void emit(EngineEvent e) {
    synchronized (lock) {
      sink.tryEmitNext(e);
    }
  }

  void countStarted() {
    started.incrementAndGet();
  }

  void countHit() {
    hits.incrementAndGet();
  }

  void countComputed() {
    computed.incrementAndGet();
  }

  void countFailed() {
    failed.incrementAndGet();
  }

  /** Emits a Progress event if a progress interval has passed since the last one. */
  void maybeProgress(long now) {
    long last = lastProgress;
    if (now - last >= progressNanos) {
      lastProgress = now;
      emit(progress(now, false, false));
    }
  }

  /** Emits the final Progress event and completes the stream. */
  void end(long now, boolean cancelled) {
    emit(progress(now, true, cancelled));
    synchronized (lock) {
      sink.tryEmitComplete();
    }
  }

  /** Ends the stream with {@code t}: the run broke, not a node. */
  void error(Throwable t) {
    synchronized (lock) {
      sink.tryEmitError(t);
    }
  }

  private EngineEvent.Progress progress(long now, boolean end, boolean cancelled) {
    return new EngineEvent.Progress(
        total, started.get(), hits.get(), computed.get(), failed.get(), now - startNanos, end,
        cancelled, now);
  }
}
