package io.memoflow.reactive;

import io.memoflow.cache.Call;
import io.memoflow.dag.Expr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.LongSupplier;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * One execution of a plan: the scheduler behind {@link Run}. Thread-safe.
 */
final class Execution {
  /*
   * Overview: a dependency-counting scheduler (Kahn's algorithm run concurrently). Each node
   * has a count of predecessors not yet done; a node whose count reaches zero is ready.
   * At most maxWorkers workers run on the engine's scheduler. A worker runs a node inline on
   * its own thread and keeps ONE newly ready successor to run next (no thread hop for a
   * chain of cheap nodes); further ready successors go to a shared queue, and a new worker
   * is started for them while fewer than maxWorkers run. A worker that finds the queue empty
   * leaves; offer-then-check on one side and decrement-then-check on the other make sure a
   * queued node always has a worker.
   *
   * Memory effects: a node writes its output slots before decrementing its successors'
   * counts; the successor that sees zero read-modify-wrote the same counter after every
   * writer, so it sees their slots.
   *
   * Node state (AtomicIntegerArray): WAITING, RUNNING(attempt) = attempt + 1, DONE, FAILED.
   * The end of an attempt is decided by one CAS from RUNNING(attempt): the worker (result or
   * error) or the timeout watchdog wins; only the winner publishes. A timed-out attempt's
   * thread is interrupted and its late result discarded, so nothing half-finished escapes.
   *
   * The run ends once: when every node is done or failed, or when stopped (fail-fast or
   * disposed) and no attempt is in flight. Then the invoker is closed (the storage session
   * commits what completed), the final Progress is emitted, events complete, and the result
   * is published. The events and their progress tallies are RunEvents' job.
   */

  private static final int WAITING = 0;
  private static final int DONE = -1;
  private static final int FAILED = -2;

  private final Plan plan;
  private final NodeInvoker invoker;
  private final RunPolicy policy;
  private final Scheduler scheduler;
  private final Scheduler timer;
  private final LongSupplier clock;
  private final int maxWorkers;

  private final Object[] slots;
  private final AtomicIntegerArray pending;
  private final AtomicIntegerArray state;
  private final int[] attempts;
  private final Thread[] runner; // only with a timeout
  private final Stint[] runnerStint; // only with a timeout
  private final AtomicIntegerArray interrupted; // only with a timeout: attempt + 1 delivered
  private final int total;
  private final ConcurrentLinkedQueue<Integer> ready = new ConcurrentLinkedQueue<>();
  private final AtomicInteger workers = new AtomicInteger();
  private final AtomicInteger remaining;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger live = new AtomicInteger(); // workers holding a session
  private volatile boolean ending;
  private final AtomicInteger dependentsFailed = new AtomicInteger();
  private final List<NodeFailedException> failures =
      Collections.synchronizedList(new ArrayList<>());
  private final Disposable.Composite timers = Disposables.composite();
  private final AtomicBoolean begun = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile int stop; // 0 running, 1 fail-fast, 2 disposed

  private final RunEvents events;
  private final Sinks.One<Map<Expr, Object>> result = Sinks.one();
  private final Activity activity;

  /**
   * @param slots graph inputs bound; for an incremental run also the slots of clean nodes
   * @param clean nodes whose outputs are already in {@code slots}, or null for none
   */
  Execution(
      Plan plan, NodeInvoker invoker, Object[] slots, boolean[] clean, RunPolicy policy,
      Scheduler scheduler, Scheduler timer, LongSupplier clock, int maxWorkers, Activity activity) {
    this.plan = plan;
    this.activity = activity;
    this.invoker = invoker;
    this.policy = policy;
    this.scheduler = scheduler;
    this.timer = timer;
    this.clock = clock;
    this.maxWorkers = maxWorkers;
    this.slots = slots;
    int n = plan.n;
    this.pending = new AtomicIntegerArray(clean == null ? plan.predCount : new int[n]);
    this.state = new AtomicIntegerArray(n);
    this.attempts = new int[n];
    boolean timeouts = !policy.timeout().isZero();
    this.runner = timeouts ? new Thread[n] : null;
    this.runnerStint = timeouts ? new Stint[n] : null;
    this.interrupted = timeouts ? new AtomicIntegerArray(n) : null;
    int todo = n;
    if (clean != null) {
      todo = 0;
      for (int i = 0; i < n; i++) {
        if (clean[i]) {
          state.set(i, DONE);
        } else {
          todo++;
          // Count only the predecessors that will run: each dirty node decrements its successors.
          for (int s : plan.succ[i]) {
            pending.incrementAndGet(s);
          }
        }
      }
    }
    this.total = todo;
    this.remaining = new AtomicInteger(todo);
    this.events = new RunEvents(policy, todo);
  }

  Flux<EngineEvent> events() {
    return events.flux();
  }

  Mono<Map<Expr, Object>> result() {
    return result.asMono();
  }

  int total() {
    return total;
  }

  /** Starts the run once; later calls do nothing. */
  void start() {
    if (!begun.compareAndSet(false, true)) {
      return;
    }
    events.begin(clock.getAsLong());
    if (!activity.enter(this)) {
      internalFailure(new IllegalStateException(Messages.engineClosed()));
      return;
    }
    if (stop != 0 || total == 0) {
      finish();
      return;
    }
    int count = 0;
    for (int i = 0; i < plan.n; i++) {
      if (state.get(i) == WAITING && pending.get(i) == 0) {
        ready.offer(i);
        count++;
      }
    }
    for (int k = 0; k < Math.min(count, maxWorkers); k++) {
      spawn();
    }
  }

  /**
   * Starts the run with the calling thread as its first worker, so a small run (a sweep point)
   * costs no thread hop; further workers and retries go to the scheduler as usual. Returns
   * once the calling thread finds no more ready nodes.
   */
  void startHere() {
    if (!begun.compareAndSet(false, true)) {
      return;
    }
    events.begin(clock.getAsLong());
    if (!activity.enter(this)) {
      internalFailure(new IllegalStateException(Messages.engineClosed()));
      return;
    }
    if (stop != 0 || total == 0) {
      finish();
      return;
    }
    for (int i = 0; i < plan.n; i++) {
      if (state.get(i) == WAITING && pending.get(i) == 0) {
        ready.offer(i);
      }
    }
    workers.incrementAndGet();
    work();
  }

  /** Stops scheduling new nodes; the run ends once running attempts finish. */
  void dispose() {
    if (stop == 0) {
      stop = 2;
    }
    if (begun.compareAndSet(false, true)) {
      events.begin(clock.getAsLong());
      finish();
    } else if (inFlight.get() == 0) {
      requestFinish();
    }
  }

  boolean isDisposed() {
    return stop == 2 || finished.get();
  }

  // ---------------------------------------------------------------- workers

  private void spawn() {
    if (workers.incrementAndGet() > maxWorkers) {
      workers.decrementAndGet();
      return;
    }
    try {
      scheduler.schedule(this::work);
    } catch (RuntimeException rejected) { // scheduler disposed
      workers.decrementAndGet();
      internalFailure(rejected);
    }
  }

  private void work() {
    if (finished.get()) {
      workers.decrementAndGet();
      return;
    }
    live.incrementAndGet();
    Stint stint = new Stint();
    activity.workerRunning();
    try (NodeInvoker.Worker worker = invoker.worker()) {
      for (; ; ) {
        Integer next = ready.poll();
        if (next == null) {
          workers.decrementAndGet();
          if (ready.isEmpty() || stop != 0) {
            return;
          }
          if (workers.incrementAndGet() > maxWorkers) {
            workers.decrementAndGet();
            return;
          }
          continue;
        }
        int i = next;
        while (i >= 0) {
          i = runNode(i, worker, stint);
        }
      }
    } catch (Throwable t) {
      internalFailure(t);
    } finally {
      activity.workerDone();
      stint.release();
    }
  }

  /**
   * One worker's hold on the run: the run ends only after every worker closed its session,
   * except a worker stuck in a timed-out node, which the watchdog releases.
   */
  private final class Stint {
    private final AtomicBoolean released = new AtomicBoolean();

    void release() {
      if (released.compareAndSet(false, true) && live.decrementAndGet() == 0 && ending) {
        finish();
      }
    }
  }

  private void requestFinish() {
    ending = true;
    if (live.get() == 0) {
      finish();
    }
  }

  private void enqueue(int node) {
    ready.offer(node);
    if (workers.get() < maxWorkers) {
      spawn();
    }
  }

  /** Runs one attempt of {@code i}; returns a newly ready successor to run next, or -1. */
  private int runNode(int i, NodeInvoker.Worker worker, Stint stint) {
    if (stop != 0) {
      return -1;
    }
    inFlight.incrementAndGet();
    if (stop != 0) {
      leave();
      return -1;
    }
    int attempt = attempts[i];
    int running = attempt + 1;
    state.set(i, running);
    events.countStarted();
    if (events.wanted()) {
      events.emit(new EngineEvent.Started(i, plan.nodes[i], attempt, clock.getAsLong()));
    }
    Object[] args = gather(i);
    Disposable watchdog = null;
    if (runner != null) {
      runner[i] = Thread.currentThread();
      runnerStint[i] = stint;
      watchdog = timer.schedule(() -> timeout(i, running), policy.timeout().toNanos(),
          TimeUnit.NANOSECONDS);
    }
    long t0 = clock.getAsLong();
    NodeInvoker.Outcome out = null;
    Throwable error = null;
    try {
      out = worker.invoke(i, args);
    } catch (Throwable e) {
      error = e;
    }
    if (watchdog != null) {
      watchdog.dispose();
    }
    if (!state.compareAndSet(i, running, error == null ? DONE : FAILED)) {
      // The watchdog won: it handles the attempt. Swallow its interrupt, discard our result.
      while (interrupted.get(i) != running) {
        Thread.onSpinWait();
      }
      Thread.interrupted();
      return -1;
    }
    if (error != null) {
      attemptFailed(i, attempt, args, error);
      return -1;
    }
    return completed(i, out, t0);
  }

  /**
   * Publishes the outputs of node {@code i}, whose attempt (started at {@code t0}) this thread
   * won, and releases its successors; returns a newly ready successor to run next, or -1.
   */
  private int completed(int i, NodeInvoker.Outcome out, long t0) {
    long now = clock.getAsLong();
    Object[] outs = out.outputs();
    System.arraycopy(outs, 0, slots, plan.outStart[i], outs.length);
    if (out.hit()) {
      events.countHit();
    } else {
      events.countComputed();
    }
    if (events.wanted()) {
      events.emit(out.hit()
          ? new EngineEvent.Hit(i, plan.nodes[i], (Call) out.detail(), now)
          : new EngineEvent.Computed(i, plan.nodes[i], (Call) out.detail(), now - t0, now));
      events.maybeProgress(now);
    }
    int next = -1;
    for (int s : plan.succ[i]) {
      if (pending.decrementAndGet(s) == 0) {
        if (next < 0) {
          next = s;
        } else {
          enqueue(s);
        }
      }
    }
    if (remaining.decrementAndGet() == 0) {
      requestFinish();
    }
    leave();
    return next;
  }

  private Object[] gather(int i) {
    int from = plan.inStart[i], to = plan.inStart[i + 1];
    Object[] args = new Object[to - from];
    for (int k = from; k < to; k++) {
      args[k - from] = slots[plan.inSlot[k]];
    }
    return args;
  }

  private void leave() {
    if (inFlight.decrementAndGet() == 0 && stop != 0) {
      requestFinish();
    }
  }

  private void timeout(int i, int running) {
    if (!state.compareAndSet(i, running, FAILED)) {
      return; // the attempt finished first
    }
    Thread t = runner[i];
    t.interrupt();
    interrupted.set(i, running);
    runnerStint[i].release(); // the run need not wait for a stuck thread
    String op = opName(i);
    TimeoutException te = new TimeoutException(Messages.timedOut(op, plan.nodes[i], policy.timeout()));
    attemptFailed(i, running - 1, gather(i), te);
  }

  /** Handles a failed attempt whose end this thread won; the attempt is still in flight. */
  private void attemptFailed(int i, int attempt, Object[] args, Throwable error) {
    List<String> ids = new ArrayList<>(args.length);
    for (Object a : args) {
      ids.add(invoker.describe(a));
    }
    NodeFailedException ex = new NodeFailedException(
        opName(i), plan.nodes[i], ids, attempt, policy.retries() + 1, unwrap(error));
    long now = clock.getAsLong();
    if (attempt < policy.retries() && stop == 0) {
      attempts[i] = attempt + 1;
      state.set(i, WAITING);
      events.emit(new EngineEvent.Failed(i, plan.nodes[i], ex, false, true, now));
      Duration wait = policy.backoffFor(attempt);
      if (wait.isZero()) {
        enqueue(i);
      } else {
        timers.add(timer.schedule(() -> {
          if (stop == 0) {
            enqueue(i);
          }
        }, wait.toNanos(), TimeUnit.NANOSECONDS));
      }
      leave();
      return;
    }
    if (policy.failure() == RunPolicy.Failure.FAIL_FAST && stop == 0) {
      stop = 1; // before the event: whoever sees the failure sees no new node start
    }
    failures.add(ex);
    events.countFailed();
    events.emit(new EngineEvent.Failed(i, plan.nodes[i], ex, false, false, now));
    int gone = 1 + failDependents(i, ex, now);
    if (events.wanted()) {
      events.maybeProgress(now);
    }
    if (remaining.addAndGet(-gone) == 0) {
      requestFinish();
    }
    leave();
  }

  /** Marks every node downstream of {@code i} failed; returns how many this call marked. */
  private int failDependents(int i, NodeFailedException ex, long now) {
    int count = 0;
    int[] stack = new int[16];
    int sp = 0;
    stack[sp++] = i;
    while (sp > 0) {
      int p = stack[--sp];
      for (int s : plan.succ[p]) {
        if (state.compareAndSet(s, WAITING, FAILED)) {
          count++;
          events.countFailed();
          dependentsFailed.incrementAndGet();
          events.emit(new EngineEvent.Failed(s, plan.nodes[s], ex, true, false, now));
          if (sp == stack.length) {
            stack = java.util.Arrays.copyOf(stack, sp * 2);
          }
          stack[sp++] = s;
        }
      }
    }
    return count;
  }

  private String opName(int i) {
    return plan.nodes[i].operation().name();
  }

  /** Returns what the op itself threw, without the storage's wrapper for checked exceptions. */
  private static Throwable unwrap(Throwable e) {
    return e instanceof io.memoflow.cache.OpFailedException && e.getCause() != null
        ? e.getCause() : e;
  }

  private void internalFailure(Throwable t) {
    if (finished.compareAndSet(false, true)) {
      timers.dispose();
      try {
        invoker.close();
      } catch (RuntimeException e) {
        t.addSuppressed(e);
      }
      activity.exit(this);
      events.error(t);
      result.tryEmitError(t);
    }
  }

  // ---------------------------------------------------------------- end

  private void finish() {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    timers.dispose();
    long now = clock.getAsLong();
    Throwable closeError = null;
    Map<Expr, Object> outputs = new LinkedHashMap<>();
    try {
      for (int k = 0; k < plan.outputSlot.length; k++) {
        Object slot = slots[plan.outputSlot[k]];
        if (slot != null && (plan.outputSlot[k] < plan.inputCount || isDone(plan.outputSlot[k]))) {
          outputs.put(plan.outputs.get(k), invoker.value(slot));
        }
      }
    } catch (RuntimeException e) {
      closeError = e;
    }
    try {
      invoker.close();
    } catch (RuntimeException e) {
      if (closeError == null) {
        closeError = e;
      } else {
        closeError.addSuppressed(e);
      }
    }
    // Before any subscriber hears of the end, so one that closes the engine does not wait on it.
    activity.exit(this);
    boolean complete = remaining.get() == 0;
    events.end(now, !complete);
    if (closeError != null) {
      result.tryEmitError(closeError);
    } else if (!failures.isEmpty()) {
      List<NodeFailedException> fs;
      synchronized (failures) {
        fs = List.copyOf(failures);
      }
      result.tryEmitError(new RunFailedException(fs, dependentsFailed.get(), total, outputs));
    } else if (!complete) {
      result.tryEmitError(new CancellationException(Messages.disposed()));
    } else {
      result.tryEmitValue(Collections.unmodifiableMap(outputs));
    }
  }

  private boolean isDone(int slot) {
    return state.get(plan.nodeOfSlot(slot)) == DONE;
  }

  /** Returns the slots, for incremental re-runs; valid once the run finished successfully. */
  Object[] slots() {
    return slots;
  }
}
