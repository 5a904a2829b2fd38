package io.memoflow.bench;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Issue 2: build, validate and order a random DAG with {@link DagBenchmark}'s generator, at
 * 10,000, 100,000 and 1,000,000 computations (target: under 1 s at a million on one core,
 * per-computation cost at a million within 2x of that at 10,000). The 100,000 figure has no
 * target of its own; it shows where between the two sizes the cost per computation grows.
 *
 * <p>Four ways to build: {@code dag.build} (the fluent builder, each step validated as it is
 * added), {@code dag.build.batched} (the same builder with names checked in batches of a few
 * hundred steps, {@code Dag.builder().checkInBatches()}), {@code dag.bulk} ({@code CompositeComputation.of(list)} and {@code order()}, the list
 * of computations made beforehand) and {@code dag.bulk.construct} (the same, making the symbols
 * and computations in the measured time).
 */
final class DagFigures implements FigureGroup {
  static final int SMALL = 10_000;
  static final int MEDIUM = 100_000;
  static final int LARGE = 1_000_000;

  @Override
  public String prefix() {
    return "dag.";
  }

  @Override
  public void measure(ReportOptions o, Consumer<Figure> out) {
    List<String> shapes = o.full() ? List.of("uniform", "local") : List.of("uniform");
    for (String shape : shapes) {
      String suffix = shape.equals("uniform") ? "" : "." + shape;
      measure(o, out, "dag.build" + suffix, shape, b -> () -> Measure.keep(b.build()));
      measure(o, out, "dag.build.batched" + suffix, shape, b -> () -> Measure.keep(b.buildBatched()));
      measure(o, out, "dag.bulk" + suffix, shape, b -> () -> Measure.keep(b.bulk()));
      measure(o, out, "dag.bulk.construct" + suffix, shape, b -> () -> Measure.keep(b.bulkConstruct()));
    }
  }

  private static void measure(
      ReportOptions o,
      Consumer<Figure> out,
      String name,
      String shape,
      Function<DagBenchmark, Runnable> work) {
    if (!o.wants(name) && !o.wants(name + ".growth")) {
      return; // e.g. --only dag.bulk measures no builder figure
    }
    Runnable small = work.apply(bench(SMALL, shape));
    warmUp(small, o.pick(2_000, 5_000));
    Measure.Sample s = Measure.best(o.pick(40, 100), o.pick(10, 30), small::run);
    double smallNs = (double) s.costNanos() / SMALL;
    out.accept(Figure.of(name, smallNs, "ns/computation", SMALL)
        .target("reference for " + name + ".growth", null)
        .with("shape", shape).with("totalMs", s.costNanos() / 1e6).with("wallMs", s.wallNanos() / 1e6));
    Measure.Sample m = sample(work.apply(bench(MEDIUM, shape)), o.pick(5, 10), o.pick(5, 10));
    out.accept(Figure.of(name, (double) m.costNanos() / MEDIUM, "ns/computation", MEDIUM)
        .target("none: shows the growth between " + SMALL + " and " + LARGE, null)
        .with("shape", shape).with("totalMs", m.costNanos() / 1e6).with("wallMs", m.wallNanos() / 1e6));
    Runnable large = work.apply(bench(LARGE, shape));
    Measure.Sample l = Measure.best(o.pick(1, 2), o.pick(2, 5), large::run);
    double largeNs = (double) l.costNanos() / LARGE;
    double totalMs = l.costNanos() / 1e6;
    out.accept(Figure.of(name, largeNs, "ns/computation", LARGE)
        .target("< 1000 ms total", totalMs < 1000)
        .with("shape", shape).with("totalMs", totalMs).with("gcMs", l.gcNanos() / 1e6).with("wallMs", l.wallNanos() / 1e6));
    double growth = largeNs / smallNs;
    out.accept(Figure.of(name + ".growth", growth, "x", LARGE)
        .target("< 2x the per-computation cost at " + SMALL, growth < 2).with("shape", shape));
  }

  /**
   * Builds for at least {@code millis} of wall time. A count of warm-up rounds is not enough on
   * a shared machine: while other processes hold the cores, the JIT's compiler threads may not
   * have finished compiling the builder after a hundred rounds, and a 10,000 figure taken from
   * interpreted or half-compiled code would make the growth look smaller than it is.
   */
  private static void warmUp(Runnable work, long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    do {
      work.run();
    } while (System.nanoTime() < end);
  }

  /** Measures {@code work}; its generated graph is garbage once this returns. */
  private static Measure.Sample sample(Runnable work, int warmups, int reps) {
    return Measure.best(warmups, reps, work::run);
  }

  private static DagBenchmark bench(int size, String shape) {
    DagBenchmark b = new DagBenchmark();
    b.size = size;
    b.shape = shape;
    b.setUp();
    return b;
  }
}
