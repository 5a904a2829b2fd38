package io.memoflow.bench;

import io.memoflow.cache.SessionMode;
import io.memoflow.cache.Storage;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Expr;
import io.memoflow.reactive.Engine;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;

/**
 * Issue 9, with {@link EngineCpuTime}'s graphs and engine (every node on the calling thread, so
 * its CPU time is the engine's whole cost): overhead per node of a fresh run of a random DAG of
 * trivial ops at 10,000 and 100,000 nodes (target: at most 5 us at 100,000, linear), and a sweep
 * of 10,000 points over a 5-node DAG, fresh (under 1 s) and all hits (under 0.2 s).
 */
final class EngineFigures implements FigureGroup {
  static final int SMALL = 10_000;
  static final int LARGE = 100_000;

  @Override
  public String prefix() {
    return "engine.";
  }

  @Override
  public void measure(ReportOptions o, Consumer<Figure> out) throws Exception {
    double smallUs = 0;
    for (int nodes : o.wantsAny("engine.overheadPerNode", "engine.growth") ? new int[] {SMALL, LARGE} : new int[0]) {
      CompositeComputation dag = EngineCpuTime.randomDag(nodes);
      Map<Expr, Object> inputs = EngineCpuTime.inputsOf(dag);
      Storage[] kept = new Storage[1];
      // Quick mode warms up as long as full mode: under-compiled engine and cache paths doubled
      // the per-node figure, which measured the JIT rather than the engine.
      int warm = nodes == SMALL ? 10 : 0;
      int reps = nodes == SMALL ? o.pick(10, 15) : o.pick(3, 5);
      Measure.Sample fresh = Measure.bestTrial(warm, reps, () -> {
        if (kept[0] != null) {
          kept[0].close();
        }
        Storage s = Storage.inMemory();
        kept[0] = s;
        try (Engine e = EngineCpuTime.engine(s, SessionMode.NORMAL)) {
          return Measure.timed(() -> Measure.keep(e.run(dag, inputs).outputs().block()));
        }
      });
      Measure.Sample hits;
      try (Storage s = kept[0]; Engine e = EngineCpuTime.engine(s, SessionMode.NORMAL)) {
        hits = Measure.timed(() -> Measure.keep(e.run(dag, inputs).outputs().block()));
      }
      double us = fresh.costNanos() / 1e3 / nodes;
      Figure f = Figure.of("engine.overheadPerNode", us, "us/node", nodes)
          .with("allHitsUsPerNode", hits.costNanos() / 1e3 / nodes)
          .with("gcUsPerNode", fresh.gcNanos() / 1e3 / nodes)
          .with("wallUsPerNode", fresh.wallNanos() / 1e3 / nodes);
      if (nodes == SMALL) {
        smallUs = us;
        out.accept(f.target("reference for engine.growth", null));
      } else {
        out.accept(f.target("<= 5 us", us <= 5));
        out.accept(Figure.of("engine.growth", us / smallUs, "x", nodes)
            .target("< 2x the per-node cost at " + SMALL + " (linear)", us / smallUs < 2));
      }
    }

    if (!o.wantsAny("engine.sweep.")) {
      return;
    }
    CompositeComputation five = EngineCpuTime.fiveNodeDag();
    List<Map<Expr, Object>> grid = EngineCpuTime.grid(100);
    Storage[] kept = new Storage[1];
    Measure.Sample fresh = Measure.bestTrial(o.pick(3, 5), o.pick(3, 10), () -> {
      if (kept[0] != null) {
        kept[0].close();
      }
      Storage s = Storage.inMemory();
      kept[0] = s;
      try (Engine e = EngineCpuTime.engine(s, SessionMode.NORMAL)) {
        return Measure.timed(() -> e.sweep(five, Flux.fromIterable(grid), 1).blockLast());
      }
    });
    Measure.Sample hits;
    try (Storage s = kept[0]; Engine e = EngineCpuTime.engine(s, SessionMode.NORMAL)) {
      hits = Measure.best(1, o.pick(3, 10), () -> e.sweep(five, Flux.fromIterable(grid), 1).blockLast());
    }
    double freshMs = fresh.costNanos() / 1e6;
    out.accept(Figure.of("engine.sweep.fresh", freshMs, "ms", grid.size())
        .target("< 1000 ms", freshMs < 1000).with("nodesPerPoint", five.size())
        .with("wallMs", fresh.wallNanos() / 1e6));
    double hitsMs = hits.costNanos() / 1e6;
    out.accept(Figure.of("engine.sweep.hits", hitsMs, "ms", grid.size())
        .target("< 200 ms", hitsMs < 200).with("nodesPerPoint", five.size())
        .with("wallMs", hits.wallNanos() / 1e6));
  }
}
