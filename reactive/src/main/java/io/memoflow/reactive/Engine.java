package io.memoflow.reactive;

import static java.util.Objects.requireNonNull;

import io.memoflow.cache.Op;
import io.memoflow.cache.SessionMode;
import io.memoflow.cache.Storage;
import io.memoflow.dag.Computation;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs composite computations as Reactor flows. Thread-safe; one engine serves any number of
 * concurrent runs, sweeps and reactive streams, all sharing its bounded scheduler.
 */
public final class Engine implements AutoCloseable {
  /*
   * Overview: run() compiles the composite into a Plan and hands it to an Execution (the
   * dependency-counting scheduler). sweep() runs points on parallel rails of the engine's
   * scheduler: each rail thread takes a batch of points per hop and runs each point inline
   * (Execution.startHere, one worker), so a sweep of small DAGs costs no thread hop per
   * point; parallelism comes from running points side by side. react() keeps, per
   * subscription, a Reaction: the last inputs and slots, so each change reruns only what it
   * reaches.
   */

  /** Points a sweep rail takes per hop, and how far a sweep reads ahead of its consumer. */
  private static final int SWEEP_BATCH = 64;

  private final NodeInvoker.Factory invokers;
  private final Function<Computation, Object> binder;
  private final int maxParallelism;
  private final RunPolicy policy;
  private final Scheduler scheduler;
  private final boolean ownsScheduler;
  private final Scheduler timer;
  private final LongSupplier clock;
  private final Activity activity = new Activity();

  private Engine(Builder b) {
    Storage storage = b.storage;
    Map<Operation, Op> byOperation = Map.copyOf(b.byOperation);
    Map<String, Op> byName = Map.copyOf(b.byName);
    SessionMode mode = b.sessionMode;
    this.invokers = plan -> new SessionInvoker(storage, mode, plan);
    this.binder = c -> {
      Op op = byOperation.get(c.operation());
      if (op == null) {
        op = byName.get(c.operation().name());
        if (op != null) {
          checkArity(c.operation(), op);
        }
      }
      if (op == null) {
        java.util.TreeSet<String> bound = new java.util.TreeSet<>(byName.keySet());
        byOperation.keySet().forEach(o -> bound.add(o.name()));
        throw new IllegalArgumentException(Messages.unbound(c, bound));
      }
      return op;
    };
    this.maxParallelism = b.maxParallelism;
    this.policy = b.policy;
    this.ownsScheduler = b.scheduler == null;
    this.scheduler =
        ownsScheduler
            ? Schedulers.newBoundedElastic(
                maxParallelism, Integer.MAX_VALUE, "memoflow-engine", 60, true)
            : b.scheduler;
    this.timer = b.timer != null ? b.timer : Schedulers.parallel();
    Scheduler t = b.timer;
    this.clock = t != null ? () -> t.now(java.util.concurrent.TimeUnit.NANOSECONDS) : System::nanoTime;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the most nodes this engine runs at once, over all its runs. */
  public int maxParallelism() {
    return maxParallelism;
  }

  /** Returns the policy runs use unless given another. */
  public RunPolicy policy() {
    return policy;
  }

  /**
   * Returns a run of {@code composite} on {@code inputs} under the engine's policy; it starts
   * when its outputs are subscribed to or at {@link Run#start()}.
   *
   * @throws IllegalArgumentException if an operation of the composite is not bound, or
   *     {@code inputs} does not bind exactly the composite's inputs
   */
  public Run run(CompositeComputation composite, Map<? extends Expr, ?> inputs) {
    return run(composite, inputs, policy);
  }

  /**
   * Returns a run of {@code composite} on {@code inputs} under {@code policy}.
   *
   * @throws IllegalArgumentException as {@link #run(CompositeComputation, Map)}
   */
  public Run run(CompositeComputation composite, Map<? extends Expr, ?> inputs, RunPolicy policy) {
    requireNonNull(composite, "composite");
    requireNonNull(inputs, "inputs");
    requireNonNull(policy, "policy");
    Plan plan = compile(composite);
    return new Run(composite, execution(plan, inputs, policy));
  }

  /**
   * Runs {@code composite} once per point of {@code points} (at most {@link #maxParallelism()}
   * points at a time) and streams each point's result as soon as it completes, in completion
   * order. See {@link #sweep(CompositeComputation, Publisher, int)}.
   */
  public Flux<SweepResult> sweep(
      CompositeComputation composite, Publisher<? extends Map<? extends Expr, ?>> points) {
    return sweep(composite, points, maxParallelism);
  }

  /**
   * Runs {@code composite} once per point of {@code points}, at most {@code concurrency} points
   * at a time, and streams each point's {@link SweepResult} (its bindings with its outputs or
   * its error) as soon as it completes, in completion order. A failing point does not stop the
   * sweep.
   *
   * <p>Each point runs on one thread of the engine's scheduler, its nodes in topological order;
   * {@code min(concurrency, maxParallelism())} points run side by side, and a thread takes
   * points in batches of 64 so that small DAGs cost no thread hop per point. Backpressure:
   * points are requested from {@code points} only as results are consumed; a slow subscriber
   * holds at most a few batches per thread read ahead. Node events of sweep points are not
   * published here, so a sweep pays nothing for them; use {@link #sweepEvents} to follow them.
   *
   * @throws IllegalArgumentException if an operation of the composite is not bound, or
   *     {@code concurrency} is not positive
   */
  public Flux<SweepResult> sweep(
      CompositeComputation composite,
      Publisher<? extends Map<? extends Expr, ?>> points,
      int concurrency) {
    Plan plan = compileSweep(composite, points, concurrency);
    RunPolicy quiet = policy.replay() == 0 ? policy : policy.toBuilder().replay(0).build();
    return rails(points, concurrency, point -> point(plan, point, quiet));
  }

  /**
   * Like {@link #sweep(CompositeComputation, Publisher, int)}, and also streams each point's
   * node events: for every point, a {@link SweepEvent.Node} per {@code Started}, {@code Hit},
   * {@code Computed} and {@code Failed} event of its nodes, tagged with the point's bindings,
   * then a {@link SweepEvent.Done} with its {@link SweepResult}. Scheduling, concurrency and
   * backpressure are those of {@code sweep}; a point's events are held until the point
   * completes and then streamed in order, so what a subscriber sees is never interleaved
   * within a point.
   *
   * <pre>{@code
   * engine.sweepEvents(graph, Engine.grid(axes), 4)
   *     .subscribe(e -> {
   *       if (e instanceof SweepEvent.Node n && n.event() instanceof EngineEvent.Computed c) {
   *         System.out.println(n.bindings() + ": ran " + c.computation());
   *       }
   *     });
   * }</pre>
   *
   * @throws IllegalArgumentException as {@link #sweep(CompositeComputation, Publisher, int)}
   */
  public Flux<SweepEvent> sweepEvents(
      CompositeComputation composite,
      Publisher<? extends Map<? extends Expr, ?>> points,
      int concurrency) {
    Plan plan = compileSweep(composite, points, concurrency);
    // Each point records its own events (replayed once the point is done; no other subscriber).
    RunPolicy recording = policy.toBuilder().replayAll().build();
    return rails(points, concurrency, point -> pointEvents(plan, point, recording));
  }

  /**
   * Runs {@code composite} once per point of {@code points}, one point after another on the
   * calling thread, in one storage session: the new calls of all the points are committed
   * together, once, before this returns, where a sweep commits each point's calls when the point
   * ends. For many small points whose results are wanted together (a member of a cluster running
   * a batch of a sweep's points) this saves a commit per point; the price is that nothing is
   * returned, nor visible to other users of the store, before the last point, and that the calls
   * of unfinished points wait for the batch's commit. Blocks; a failing point does not stop the
   * others.
   *
   * @return per point, in order: its node events as {@link #sweepEvents} gives them, then its
   *     {@link SweepEvent.Done}. If the engine is closed meanwhile, the points not started are
   *     done with an {@link IllegalStateException}.
   * @throws IllegalArgumentException if an operation of the composite is not bound
   */
  public List<SweepEvent> sweepTogether(
      CompositeComputation composite, List<? extends Map<? extends Expr, ?>> points) {
    requireNonNull(points, "points");
    Plan plan = compile(requireNonNull(composite, "composite"));
    RunPolicy recording = policy.toBuilder().replayAll().build();
    List<SweepEvent> out = new ArrayList<>();
    Object batch = new Object();
    if (!activity.enter(batch)) {
      throw new IllegalStateException(Messages.engineClosed());
    }
    NodeInvoker together = invokers.open(plan);
    // Held open across the points: each point's workers on this thread join its session.
    try (NodeInvoker.Worker session = together.worker()) {
      for (Map<? extends Expr, ?> point : points) {
        Map<Expr, Object> bindings = Collections.unmodifiableMap(new LinkedHashMap<>(point));
        try {
          if (activity.isClosed()) {
            throw new IllegalStateException(Messages.engineClosed());
          }
          Execution ex = execution(plan, bindings, recording, 1, together);
          ex.startHere();
          SweepResult r = result(ex, bindings).block();
          nodeEvents(ex, bindings).collectList().blockOptional().ifPresent(out::addAll);
          out.add(new SweepEvent.Done(r));
        } catch (RuntimeException e) {
          out.add(new SweepEvent.Done(new SweepResult(bindings, Map.of(), e)));
        }
      }
    } finally {
      activity.exit(batch);
    }
    return out;
  }

  /** Checks a sweep's arguments and compiles its composite (shared by both sweep flavours). */
  private Plan compileSweep(
      CompositeComputation composite, Publisher<?> points, int concurrency) {
    requireNonNull(composite, "composite");
    requireNonNull(points, "points");
    if (concurrency < 1) {
      throw new IllegalArgumentException(
          "Sweep concurrency is " + concurrency + "; it must be at least 1.");
    }
    return compile(composite);
  }

  /** Runs points on parallel rails; see the overview of sweep. */
  private <T> Flux<T> rails(Publisher<? extends Map<? extends Expr, ?>> points, int concurrency,
      Function<Map<? extends Expr, ?>, Publisher<T>> perPoint) {
    int rails = Math.min(concurrency, maxParallelism);
    int perRail = Math.max(1, concurrency / rails);
    Flux<Map<? extends Expr, ?>> source = Flux.from(points);
    return source
        .parallel(rails, SWEEP_BATCH)
        .runOn(scheduler, SWEEP_BATCH)
        .flatMap(perPoint, false, perRail, 1)
        .sequential(SWEEP_BATCH);
  }

  /** Runs one sweep point on the calling (rail) thread; see the overview of sweep. */
  private Mono<SweepResult> point(Plan plan, Map<? extends Expr, ?> point, RunPolicy quiet) {
    Map<Expr, Object> bindings = new LinkedHashMap<>(point);
    Execution ex;
    try {
      ex = execution(plan, bindings, quiet, 1);
    } catch (RuntimeException e) {
      return Mono.just(new SweepResult(bindings, Map.of(), e));
    }
    ex.startHere();
    return result(ex, bindings);
  }

  private static Mono<SweepResult> result(Execution ex, Map<Expr, Object> bindings) {
    return ex.result()
        .map(out -> new SweepResult(bindings, out, null))
        .onErrorResume(e -> Mono.just(new SweepResult(bindings, Map.of(), e)))
        .doOnCancel(ex::dispose);
  }

  /** Runs one point like {@link #point}, then streams its recorded node events and result. */
  private Flux<SweepEvent> pointEvents(Plan plan, Map<? extends Expr, ?> point, RunPolicy recording) {
    Map<Expr, Object> bindings = Collections.unmodifiableMap(new LinkedHashMap<>(point));
    Execution ex;
    try {
      ex = execution(plan, bindings, recording, 1);
    } catch (RuntimeException e) {
      return Flux.just(new SweepEvent.Done(new SweepResult(bindings, Map.of(), e)));
    }
    ex.startHere();
    return Flux.concat(nodeEvents(ex, bindings), result(ex, bindings).map(SweepEvent.Done::new));
  }

  /** A point's node events, tagged with its bindings (progress left out). */
  private static Flux<SweepEvent> nodeEvents(Execution ex, Map<Expr, Object> bindings) {
    return ex.events()
        .filter(e -> !(e instanceof EngineEvent.Progress))
        .map(e -> new SweepEvent.Node(bindings, e));
  }

  /**
   * Returns the points of a grid: every combination of one value per axis, the last axis
   * varying fastest. Lazy: points are made as they are requested.
   *
   * @throws IllegalArgumentException if an axis has no values
   */
  public static Flux<Map<Expr, Object>> grid(Map<? extends Expr, ? extends List<?>> axes) {
    requireNonNull(axes, "axes");
    List<Expr> names = new ArrayList<>(axes.keySet());
    List<List<?>> values = new ArrayList<>();
    long count = 1;
    for (Expr e : names) {
      List<?> vs = List.copyOf(axes.get(e));
      if (vs.isEmpty()) {
        throw new IllegalArgumentException(
            "Grid axis " + e + " has no values. Give every axis at least one value.");
      }
      values.add(vs);
      count *= vs.size();
    }
    if (count == 0) {
      return Flux.empty();
    }
    return Flux.fromIterable(() -> new GridIterator(names, values));
  }

  /** Walks the grid's points like an odometer, the last axis fastest. */
  private static final class GridIterator implements Iterator<Map<Expr, Object>> {
    private final List<Expr> names;
    private final List<List<?>> values;
    private final int[] idx;
    private boolean more = true;

    GridIterator(List<Expr> names, List<List<?>> values) {
      this.names = names;
      this.values = values;
      this.idx = new int[names.size()];
    }

    @Override
    public boolean hasNext() {
      return more;
    }

    @Override
    public Map<Expr, Object> next() {
      if (!more) {
        throw new NoSuchElementException();
      }
      Map<Expr, Object> point = new LinkedHashMap<>();
      for (int a = 0; a < idx.length; a++) {
        point.put(names.get(a), values.get(a).get(idx[a]));
      }
      int a = idx.length - 1;
      while (a >= 0 && ++idx[a] == values.get(a).size()) {
        idx[a--] = 0;
      }
      more = a >= 0;
      return Collections.unmodifiableMap(point);
    }
  }

  /**
   * Returns the outputs of {@code composite} after each change of its inputs, recomputing only
   * the nodes that read, directly or not, an input whose value changed. Each change binds some
   * inputs (the first change must bind all of them); changes are processed one at a time, in
   * order, and each yields one output map. An error ends the flux.
   *
   * @throws IllegalArgumentException if an operation of the composite is not bound
   */
  public Flux<Map<Expr, Object>> react(
      CompositeComputation composite, Publisher<? extends Map<? extends Expr, ?>> changes) {
    requireNonNull(composite, "composite");
    requireNonNull(changes, "changes");
    Plan plan = compile(composite);
    return Flux.defer(() -> {
      Reaction reaction = new Reaction(plan, invokers, (invoker, slots, clean) -> new Execution(
          plan, invoker, slots, clean, policy, scheduler, timer, clock, maxParallelism, activity));
      return Flux.from(changes).concatMap(reaction::apply);
    });
  }

  /**
   * Closes the engine: runs not yet started fail with an {@link IllegalStateException}, runs
   * in progress start no more nodes and end as if cancelled, and this call waits until the op
   * calls already running have returned and been committed to the storage, so closing the
   * storage next loses nothing. Then it disposes the engine's own scheduler (not one given to
   * the builder). It does not wait when called from inside one of the engine's own ops or
   * callbacks on its workers, nor once the calling thread is interrupted. Idempotent.
   */
  @Override
  public void close() {
    activity.close();
    if (ownsScheduler) {
      scheduler.dispose();
    }
  }

  private static void checkArity(Operation operation, Op op) {
    if (op.inputNames().size() != operation.inputNames().size()) {
      throw new IllegalArgumentException(Messages.arity(
          "inputs", op, op.inputNames(), operation, operation.inputNames()));
    }
    if (op.outputNames().size() != operation.outputNames().size()) {
      throw new IllegalArgumentException(Messages.arity(
          "outputs", op, op.outputNames(), operation, operation.outputNames()));
    }
  }

  private Plan compile(CompositeComputation composite) {
    return new Plan(composite, binder);
  }

  private Execution execution(Plan plan, Map<? extends Expr, ?> inputs, RunPolicy policy) {
    return execution(plan, inputs, policy, maxParallelism);
  }

  private Execution execution(
      Plan plan, Map<? extends Expr, ?> inputs, RunPolicy policy, int workers) {
    return execution(plan, inputs, policy, workers, invokers.open(plan));
  }

  private Execution execution(Plan plan, Map<? extends Expr, ?> inputs, RunPolicy policy,
      int workers, NodeInvoker invoker) {
    Object[] slots;
    try {
      slots = plan.bindInputs(inputs, invoker);
    } catch (RuntimeException e) {
      invoker.close();
      throw e;
    }
    return new Execution(plan, invoker, slots, null, policy, scheduler, timer, clock, workers,
        activity);
  }

  /** Collects an engine's settings. Not thread-safe. */
  public static final class Builder {
    private Storage storage;
    private SessionMode sessionMode = SessionMode.NORMAL;
    private final Map<Operation, Op> byOperation = new java.util.HashMap<>();
    private final Map<String, Op> byName = new java.util.HashMap<>();
    private int maxParallelism = Math.max(1, Runtime.getRuntime().availableProcessors());
    private RunPolicy policy = RunPolicy.defaults();
    private Scheduler scheduler;
    private Scheduler timer;

    private Builder() {}

    /**
     * Sets the most nodes the engine runs at once, over all its runs (default: the number of
     * processors).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxParallelism(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxParallelism is " + n + "; it must be at least 1.");
      }
      this.maxParallelism = n;
      return this;
    }

    /** Sets the policy runs use unless given another (default {@link RunPolicy#defaults()}). */
    public Builder policy(RunPolicy policy) {
      this.policy = requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Runs nodes on {@code scheduler} instead of the engine's own bounded elastic scheduler of
     * {@link #maxParallelism} threads; the engine does not dispose it.
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Uses {@code timer} for retry backoff, timeouts and event times (default: {@code
     * Schedulers.parallel()} for delays, {@code System.nanoTime()} for times). Give a {@code
     * VirtualTimeScheduler} to test time-dependent behaviour in virtual time.
     */
    public Builder timer(Scheduler timer) {
      this.timer = requireNonNull(timer, "timer");
      return this;
    }

    /**
     * Sets where calls are looked up and stored (required). The engine does not close it.
     */
    public Builder storage(Storage storage) {
      this.storage = requireNonNull(storage, "storage");
      return this;
    }

    /**
     * Sets how nodes use the storage: {@link SessionMode#NORMAL} (the default) looks calls up
     * and stores new ones; {@link SessionMode#NO_NEW_CALLS} only retraces stored calls (a node
     * that is not stored fails); {@link SessionMode#NO_OP} runs every op without looking up or
     * storing anything.
     */
    public Builder sessionMode(SessionMode mode) {
      this.sessionMode = requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Runs {@code op} for every computation of {@code operation}: input {@code k} of the
     * operation is passed as input {@code k} of the op, output {@code k} of the op becomes
     * output {@code k} of the operation.
     *
     * @throws IllegalArgumentException if the op's number of inputs or outputs differs from the
     *     operation's
     */
    public Builder bind(Operation operation, Op op) {
      requireNonNull(operation, "operation");
      requireNonNull(op, "op");
      checkArity(operation, op);
      byOperation.put(operation, op);
      return this;
    }

    /**
     * Runs {@code op} for every operation named like it ({@link Op#name()}) that is not bound
     * with {@link #bind(Operation, Op)}; arities are checked when a composite is run.
     */
    public Builder bind(Op op) {
      requireNonNull(op, "op");
      byName.put(op.name(), op);
      return this;
    }

    /** Returns the engine. */
    public Engine build() {
      if (storage == null) {
        throw new IllegalStateException(Messages.noStorage());
      }
      return new Engine(this);
    }
  }
}
