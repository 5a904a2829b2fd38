package io.memoflow.bench;

import io.memoflow.cache.Op;
import io.memoflow.cache.SessionMode;
import io.memoflow.cache.Storage;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import io.memoflow.reactive.Engine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The figures of {@link EngineBenchmark} and {@link SweepBenchmark} as CPU time of one thread
 * rather than wall time: the engine runs on {@code Schedulers.immediate()}, so all its work is
 * on the calling thread, and a loaded machine (other processes competing for cores) changes
 * the result much less than it changes JMH's wall-clock times. Prints one JSON line per round.
 *
 * <p>Run with {@code java -Xmx4g -cp bench/target/benchmarks.jar io.memoflow.bench.EngineCpuTime}.
 */
public final class EngineCpuTime {
  private EngineCpuTime() {}

  private static final Operation ADD = Operation.of("Add", List.of("a", "b"), List.of("sum"));
  private static final Operation MUL = Operation.of("Mul", List.of("a", "b"), List.of("prod"));
  private static final Operation SUB = Operation.of("Sub", List.of("a", "b"), List.of("diff"));
  private static final Operation NEG = Operation.of("Neg", List.of("a"), List.of("neg"));
  private static long cpu() { return Measure.cpuNanos(); }
  /** An engine with the four ops bound, running everything on the calling thread. */
  static Engine engine(Storage s, SessionMode m) {
    return Engine.builder().storage(s).sessionMode(m).scheduler(Schedulers.immediate())
        .bind(ADD, Op.of("Add", (Long p, Long q) -> p + q)).bind(MUL, Op.of("Mul", (Long p, Long q) -> p * q))
        .bind(SUB, Op.of("Sub", (Long p, Long q) -> p - q)).bind(NEG, Op.of("Neg", (Long p) -> -p)).build();
  }
  /** The 5-node DAG of {@link SweepBenchmark}. */
  static CompositeComputation fiveNodeDag() {
    return Dag.builder().input("x", "y")
        .step(ADD, "x", "y").as("a").step(MUL, "a", "x").as("b").step(SUB, "b", "y").as("c")
        .step(ADD, "c", "a").as("d").step(NEG, "d").as("e").build();
  }
  /** A {@code side} x {@code side} grid of bindings of x and y. */
  static List<Map<Expr, Object>> grid(int side) {
    List<Map<Expr, Object>> grid = new ArrayList<>();
    for (long x = 0; x < side; x++) for (long y = 0; y < side; y++) grid.add(Map.of(Expr.symbol("x"), x, Expr.symbol("y"), y));
    return grid;
  }
  /** The random DAG of {@link EngineBenchmark}: {@code nodes} Add nodes, each reading two of the 64 variables before it. */
  static CompositeComputation randomDag(int nodes) {
    SplittableRandom rnd = new SplittableRandom(42);
    Dag.Builder b = Dag.builder();
    List<String> vars = new ArrayList<>();
    for (int k = 0; k < 8; k++) { b.input("x" + k); vars.add("x" + k); }
    for (int i = 0; i < nodes; i++) {
      int w = Math.min(64, vars.size());
      b.step(ADD, vars.get(vars.size() - 1 - rnd.nextInt(w)), vars.get(vars.size() - 1 - rnd.nextInt(w))).as("v" + i);
      vars.add("v" + i);
    }
    return b.build();
  }
  /** Distinct values for the DAG's inputs. */
  static Map<Expr, Object> inputsOf(CompositeComputation dag) {
    Map<Expr, Object> inputs = new LinkedHashMap<>();
    for (Expr in : dag.inputs()) inputs.put(in, (long) inputs.size() + 1);
    return inputs;
  }
  /** Runs six rounds; the first ones include JIT warm-up. */
  public static void main(String[] args) {
    CompositeComputation five = fiveNodeDag();
    List<Map<Expr, Object>> grid = grid(100);
    int nodes = 100_000;
    CompositeComputation dag = randomDag(nodes);
    Map<Expr, Object> inputs = inputsOf(dag);
    for (int rep = 0; rep < 6; rep++) {
      Storage s = Storage.inMemory();
      Engine normal = engine(s, SessionMode.NORMAL);
      Storage u = Storage.inMemory();
      Engine unstored = engine(u, SessionMode.NO_OP);
      long c0 = cpu();
      unstored.sweep(five, Flux.fromIterable(grid), 1).blockLast();
      long c1 = cpu();
      normal.sweep(five, Flux.fromIterable(grid), 1).blockLast();
      long c2 = cpu();
      normal.sweep(five, Flux.fromIterable(grid), 1).blockLast();
      long c3 = cpu();
      unstored.run(dag, inputs).outputs().block();
      long c4 = cpu();
      normal.run(dag, inputs).outputs().block();
      long c5 = cpu();
      normal.run(dag, inputs).outputs().block();
      long c6 = cpu();
      System.out.printf(java.util.Locale.ROOT, "{\"round\": %d, \"sweep10kUnstoredMs\": %.0f,"
          + " \"sweep10kFreshMs\": %.0f, \"sweep10kHitsMs\": %.0f, \"dag100kUnstoredUsPerNode\": %.2f,"
          + " \"dag100kFreshUsPerNode\": %.2f, \"dag100kHitsUsPerNode\": %.2f}%n", rep,
          (c1 - c0) / 1e6, (c2 - c1) / 1e6, (c3 - c2) / 1e6, (c4 - c3) / 1e3 / nodes, (c5 - c4) / 1e3 / nodes, (c6 - c5) / 1e3 / nodes);
      normal.close(); unstored.close(); s.close(); u.close();
    }
  }
}
