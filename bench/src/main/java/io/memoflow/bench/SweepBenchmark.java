package io.memoflow.bench;

import io.memoflow.cache.Op;
import io.memoflow.cache.SessionMode;
import io.memoflow.cache.Storage;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import io.memoflow.reactive.Engine;
import io.memoflow.reactive.SweepResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.publisher.Flux;

/**
 * Sweeps over a 5-node DAG ({@code a = Add(x, y); b = Mul(a, x); c = Sub(b, y); d = Add(c, a);
 * e = Neg(d)}) on in-memory storage, one whole sweep per measured call:
 *
 * <ul>
 *   <li>{@code sweepFresh}: {@code points} points (a grid), every call executed and stored
 *       (target at 10,000 points: under 1 s).
 *   <li>{@code sweepAllHits}: the same sweep re-run on a storage that holds it (target at
 *       10,000 points: under 0.2 s).
 *   <li>{@code sweepUnstored}: the same sweep in {@code SessionMode.NO_OP}: the engine's share.
 * </ul>
 *
 * <p>Run with {@code mvn -B -q -pl bench -am package -DskipTests && java -jar
 * bench/target/benchmarks.jar SweepBenchmark -f 1 -wi 5 -i 10}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class SweepBenchmark {
  private static final Operation ADD = Operation.of("Add", List.of("a", "b"), List.of("sum"));
  private static final Operation MUL = Operation.of("Mul", List.of("a", "b"), List.of("prod"));
  private static final Operation SUB = Operation.of("Sub", List.of("a", "b"), List.of("diff"));
  private static final Operation NEG = Operation.of("Neg", List.of("a"), List.of("neg"));
  private static final Duration LIMIT = Duration.ofMinutes(5);

  /** Points in the sweep: a square grid of about this many. */
  @Param({"1000", "10000"})
  public int points;

  /** Most nodes running at once. */
  @Param({"2"})
  public int parallelism;

  /** Most points in progress at once. */
  @Param({"8"})
  public int concurrency;

  private CompositeComputation five;
  private List<Map<Expr, Object>> grid;
  private Storage storage;
  private Engine engine;
  private Storage warmStorage;
  private Engine warmEngine;
  private Storage unstoredStorage;
  private Engine unstored;

  @Setup(Level.Trial)
  public void build() {
    five = Dag.builder().input("x", "y")
        .step(ADD, "x", "y").as("a")
        .step(MUL, "a", "x").as("b")
        .step(SUB, "b", "y").as("c")
        .step(ADD, "c", "a").as("d")
        .step(NEG, "d").as("e")
        .build();
    int side = (int) Math.round(Math.sqrt(points));
    grid = new ArrayList<>();
    for (long x = 0; x < side; x++) {
      for (long y = 0; y < side; y++) {
        grid.add(Map.of(Expr.symbol("x"), x, Expr.symbol("y"), y));
      }
    }
    warmStorage = Storage.inMemory();
    warmEngine = engine(warmStorage, SessionMode.NORMAL);
    sweep(warmEngine);
    unstoredStorage = Storage.inMemory();
    unstored = engine(unstoredStorage, SessionMode.NO_OP);
  }

  private Engine engine(Storage s, SessionMode mode) {
    return Engine.builder().storage(s).sessionMode(mode).maxParallelism(parallelism)
        .bind(ADD, Op.of("Add", (Long a, Long b) -> a + b))
        .bind(MUL, Op.of("Mul", (Long a, Long b) -> a * b))
        .bind(SUB, Op.of("Sub", (Long a, Long b) -> a - b))
        .bind(NEG, Op.of("Neg", (Long a) -> -a))
        .build();
  }

  private SweepResult sweep(Engine e) {
    return e.sweep(five, Flux.fromIterable(grid), concurrency).blockLast(LIMIT);
  }

  @Setup(Level.Invocation)
  public void freshStorage() {
    storage = Storage.inMemory();
    engine = engine(storage, SessionMode.NORMAL);
  }

  @TearDown(Level.Invocation)
  public void closeStorage() {
    engine.close();
    storage.close();
  }

  @TearDown(Level.Trial)
  public void closeWarm() {
    warmEngine.close();
    warmStorage.close();
    unstored.close();
    unstoredStorage.close();
  }

  /** Every call of every point executed and stored. */
  @Benchmark
  public SweepResult sweepFresh() {
    return sweep(engine);
  }

  /** Every node of every point a hit. */
  @Benchmark
  public SweepResult sweepAllHits() {
    return sweep(warmEngine);
  }

  /** Ops run, nothing hashed, looked up or stored. */
  @Benchmark
  public SweepResult sweepUnstored() {
    return sweep(unstored);
  }
}
