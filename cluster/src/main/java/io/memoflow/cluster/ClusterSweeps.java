package io.memoflow.cluster;

import static java.util.Objects.requireNonNull;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.multimap.MultiMap;
import io.memoflow.cluster.internal.MemberConfig;
import io.memoflow.cluster.internal.PointBatch;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Expr;
import io.memoflow.reactive.Engine;
import io.memoflow.reactive.EngineEvent;
import io.memoflow.reactive.SweepEvent;
import io.memoflow.reactive.SweepResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A sweep whose points run on the members of a cluster: every member that runs the program
 * {@linkplain #register registers} the sweep under one name, with its own engine (bound to its
 * member's {@link ClusterMember#storage() storage}, so what any member computes is stored once
 * for all), and any of them {@linkplain #sweep sweeps}: points go out in batches to the
 * registered members in turn, and results stream back to the sweeping member's subscribers as
 * each batch completes, as {@link Engine#sweep} streams them on one machine.
 *
 * <pre>{@code
 * ClusterSweeps sweeps = ClusterSweeps.register(member, "ridge", engine, study);  // on every member
 * sweeps.sweep(Engine.grid(axes)).subscribe(r -> System.out.println(r.outputs()));  // on one
 * }</pre>
 *
 * <p>A member that leaves during a sweep loses nothing: its unfinished batches go to the others,
 * which retrace what it committed and compute the rest. Points bind symbols to values every
 * member can read back (numbers, strings, lists of them: Java-serializable values); outputs come
 * back the same way. Thread-safe.
 */
public final class ClusterSweeps implements AutoCloseable {
  private static final int BATCH = 32;

  private final HazelcastInstance hz;
  private final String name;
  private final CompositeComputation composite;
  private final MultiMap<String, UUID> runners;
  private final IExecutorService executor;
  private final AtomicInteger turn = new AtomicInteger();

  private ClusterSweeps(ClusterMember member, String name, Engine engine,
      CompositeComputation composite) {
    this.hz = member.hazelcast();
    this.name = name;
    this.composite = composite;
    this.runners = hz.getMultiMap(MemberConfig.PREFIX + "sweeps");
    this.executor = hz.getExecutorService(MemberConfig.PREFIX + "sweeps");
    PointBatch.register(hz, name, points -> run(engine, points));
    runners.put(name, hz.getCluster().getLocalMember().getUuid());
  }

  /**
   * Registers on {@code member} the sweep {@code name} of {@code composite}, whose points this
   * member runs with {@code engine}. Register the same composite under the same name on every
   * member that should run points.
   */
  public static ClusterSweeps register(ClusterMember member, String name, Engine engine,
      CompositeComputation composite) {
    requireNonNull(member, "member");
    requireNonNull(name, "name");
    requireNonNull(engine, "engine");
    requireNonNull(composite, "composite");
    return new ClusterSweeps(member, name, engine, composite);
  }

  /**
   * A point's result, the member that ran it, and what that member computed for it.
   *
   * @param member the member's address, {@code host:port}
   * @param result the point's bindings and outputs, or its error
   * @param computed the operation names of the nodes computed for it; empty if every node was
   *     retraced from the store
   */
  public record Placed(String member, SweepResult result, List<String> computed) {
    /** Copies the list. */
    public Placed {
      computed = List.copyOf(computed);
    }
  }

  /** Runs {@code composite} once per point over the registered members; see the class. */
  public Flux<SweepResult> sweep(Publisher<? extends Map<? extends Expr, ?>> points) {
    return sweepPlaced(points).map(Placed::result);
  }

  /**
   * Like {@link #sweep}, and says which member ran each point ({@code host:port}), in batches
   * of 32 points; see {@link #sweepPlaced(Publisher, int)}.
   */
  public Flux<Placed> sweepPlaced(Publisher<? extends Map<? extends Expr, ?>> points) {
    return sweepPlaced(points, BATCH);
  }

  /**
   * Like {@link #sweep}, and says which member ran each point ({@code host:port}). Points go out
   * in batches of {@code batch} (larger batches cost fewer round trips, smaller ones spread a
   * short sweep of slow points better); results come in completion order, a batch at a time, and
   * at most two batches per member are out at once.
   *
   * @throws IllegalArgumentException if {@code batch} is not positive
   */
  public Flux<Placed> sweepPlaced(Publisher<? extends Map<? extends Expr, ?>> points, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("A batch of " + batch + " points; pass at least 1.");
    }
    int inFlight = Math.max(2, 2 * Math.max(1, runners.get(name).size()));
    return Flux.from(points)
        .map(p -> (Map<Expr, Object>) new LinkedHashMap<Expr, Object>(p))
        .buffer(batch)
        .flatMap(group -> Mono.fromFuture(() -> submit(group, Set.of()))
            .flatMapIterable(rows -> rows), inFlight);
  }

  /** Sends {@code batch} to the next registered member; on a member lost, to another. */
  private CompletableFuture<List<Placed>> submit(List<Map<Expr, Object>> batch, Set<UUID> lost) {
    Member target = nextRunner(lost);
    List<Map<String, Object>> named = new ArrayList<>(batch.size());
    for (Map<Expr, Object> p : batch) {
      Map<String, Object> m = new LinkedHashMap<>();
      p.forEach((k, v) -> m.put(symbol(k), v));
      named.add(m);
    }
    String where = target.getAddress().getHost() + ":" + target.getAddress().getPort();
    CompletableFuture<List<PointBatch.Row>> f = new CompletableFuture<>();
    executor.submitToMember(new PointBatch(name, named), target,
        new com.hazelcast.core.ExecutionCallback<List<PointBatch.Row>>() {
          @Override
          public void onResponse(List<PointBatch.Row> rows) {
            f.complete(rows);
          }

          @Override
          public void onFailure(Throwable t) {
            f.completeExceptionally(t);
          }
        });
    return f.handle((rows, e) -> {
      if (e == null) {
        return CompletableFuture.completedFuture(placed(batch, rows, where));
      }
      if (lostMember(e)) {
        Set<UUID> more = new java.util.HashSet<>(lost);
        more.add(target.getUuid());
        return submit(batch, more);
      }
      return CompletableFuture.<List<Placed>>failedFuture(e);
    }).thenCompose(x -> x);
  }

  private List<Placed> placed(List<Map<Expr, Object>> batch, List<PointBatch.Row> rows,
      String where) {
    List<Placed> out = new ArrayList<>(rows.size());
    List<Expr> outputs = composite.outputs();
    for (int i = 0; i < rows.size(); i++) {
      PointBatch.Row row = rows.get(i);
      Map<Expr, Object> values = new LinkedHashMap<>();
      if (row.outputs() != null) {
        for (int k = 0; k < outputs.size(); k++) {
          values.put(outputs.get(k), row.outputs().get(k));
        }
      }
      Throwable error = row.error() == null ? null
          : new IllegalStateException("Point failed on member " + where + ": " + row.error());
      out.add(new Placed(where, new SweepResult(batch.get(i), values, error), row.computed()));
    }
    return out;
  }

  /**
   * Runs a batch of named points through this member's engine, in order and in one session: its
   * calls are committed (and its claims released) once, before the rows go back.
   */
  private List<PointBatch.Row> run(Engine engine, List<Map<String, Object>> points) {
    List<Map<Expr, Object>> bound = new ArrayList<>(points.size());
    for (Map<String, Object> p : points) {
      Map<Expr, Object> m = new LinkedHashMap<>();
      p.forEach((k, v) -> m.put(Expr.symbol(k), v));
      bound.add(m);
    }
    Map<Map<Expr, Object>, SweepResult> byPoint = new HashMap<>();
    Map<Map<Expr, Object>, List<String>> computed = new HashMap<>();
    for (SweepEvent e : engine.sweepTogether(composite, bound)) {
      if (e instanceof SweepEvent.Done d) {
        byPoint.put(d.result().bindings(), d.result());
      } else if (e instanceof SweepEvent.Node n && n.event() instanceof EngineEvent.Computed c) {
        computed.computeIfAbsent(n.bindings(), p -> new ArrayList<>())
            .add(c.computation().operation().name());
      }
    }
    List<PointBatch.Row> rows = new ArrayList<>(bound.size());
    for (Map<Expr, Object> p : bound) {
      Map<Expr, Object> key = Map.copyOf(p);
      SweepResult r = byPoint.get(key);
      List<String> ran = computed.getOrDefault(key, List.of());
      if (r.succeeded()) {
        List<Object> values = new ArrayList<>();
        composite.outputs().forEach(o -> values.add(r.outputs().get(o)));
        rows.add(new PointBatch.Row(values, null, ran));
      } else {
        rows.add(new PointBatch.Row(null, r.error().getClass().getName() + ": "
            + r.error().getMessage(), ran));
      }
    }
    return rows;
  }

  private Member nextRunner(Set<UUID> lost) {
    List<Member> live = new ArrayList<>();
    Set<UUID> registered = Set.copyOf(runners.get(name));
    for (Member m : hz.getCluster().getMembers()) {
      if (registered.contains(m.getUuid()) && !lost.contains(m.getUuid())) {
        live.add(m);
      }
    }
    if (live.isEmpty()) {
      throw new IllegalStateException("No running member has sweep '" + name + "' registered"
          + (lost.isEmpty() ? "" : " (" + lost.size() + " left during the sweep)")
          + ": register it with ClusterSweeps.register on the members that should run it.");
    }
    return live.get(Math.floorMod(turn.getAndIncrement(), live.size()));
  }

  private static boolean lostMember(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof com.hazelcast.core.MemberLeftException
          || t instanceof com.hazelcast.spi.exception.TargetNotMemberException
          || t instanceof com.hazelcast.core.HazelcastInstanceNotActiveException) {
        return true;
      }
    }
    return false;
  }

  private static String symbol(Expr e) {
    if (e instanceof Expr.Symbol s) {
      return s.name();
    }
    throw new IllegalArgumentException("A cluster sweep binds symbols, not " + e
        + "; bind the composite's graph inputs by their symbols.");
  }

  /** Unregisters the sweep on this member (its running batches finish). */
  @Override
  public void close() {
    runners.remove(name, hz.getCluster().getLocalMember().getUuid());
    PointBatch.unregister(hz, name);
  }
}
