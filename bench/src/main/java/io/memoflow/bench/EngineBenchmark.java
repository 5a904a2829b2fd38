package io.memoflow.bench;

import io.memoflow.cache.Op;
import io.memoflow.cache.SessionMode;
import io.memoflow.cache.Storage;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import io.memoflow.reactive.Engine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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

/**
 * The reactive engine's headline figures, on in-memory storage with trivial ops:
 *
 * <ul>
 *   <li>{@code runFresh}: one run of a random DAG of {@code nodes} {@code Add} nodes (each reads
 *       two of the 64 variables made just before it), every node executed and stored; divide
 *       by {@code nodes} for the overhead per node (target: at most 5 us at 100,000 nodes,
 *       linear in nodes).
 *   <li>{@code runAllHits}: the same run again on a storage that holds it (every node a hit).
 *   <li>{@code runUnstored}: the same run in {@code SessionMode.NO_OP} (ops run, nothing is
 *       hashed, looked up or stored): the scheduler's own share of the cost.
 * </ul>
 *
 * <p>The sweep figures are in {@link SweepBenchmark}.
 *
 * <p>Run with {@code mvn -B -q -pl bench -am package -DskipTests && java -jar
 * bench/target/benchmarks.jar EngineBenchmark -f 1 -wi 5 -i 10}. Each measured call is one whole
 * run or sweep (single-shot time, milliseconds).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class EngineBenchmark {
  private static final Operation ADD = Operation.of("Add", List.of("a", "b"), List.of("sum"));
  private static final Op ADD_OP = Op.of("Add", (Long a, Long b) -> a + b);
  private static final Duration LIMIT = Duration.ofMinutes(5);

  /** Nodes of the random DAG. */
  @Param({"10000", "100000"})
  public int nodes;

  /** Most nodes running at once. */
  @Param({"2"})
  public int parallelism;

  private CompositeComputation dag;
  private Map<Expr, Object> inputs;
  private Storage storage;
  private Engine engine;
  private Storage warmStorage;
  private Engine warmEngine;
  private Storage unstoredStorage;
  private Engine unstored;

  @Setup(Level.Trial)
  public void buildGraphs() {
    SplittableRandom rnd = new SplittableRandom(42);
    Dag.Builder b = Dag.builder();
    List<String> vars = new ArrayList<>();
    inputs = new LinkedHashMap<>();
    for (int k = 0; k < 8; k++) {
      b.input("x" + k);
      vars.add("x" + k);
    }
    for (int i = 0; i < nodes; i++) {
      int window = Math.min(64, vars.size());
      String a = vars.get(vars.size() - 1 - rnd.nextInt(window));
      String c = vars.get(vars.size() - 1 - rnd.nextInt(window));
      b.step(ADD, a, c).as("v" + i);
      vars.add("v" + i);
    }
    dag = b.build();
    for (Expr in : dag.inputs()) {
      inputs.put(in, (long) inputs.size() + 1);
    }
    warmStorage = Storage.inMemory();
    warmEngine = engine(warmStorage);
    warmEngine.run(dag, inputs).outputs().block(LIMIT);
    unstoredStorage = Storage.inMemory();
    unstored = Engine.builder().storage(unstoredStorage).maxParallelism(parallelism)
        .sessionMode(SessionMode.NO_OP).bind(ADD, ADD_OP).build();
  }

  private Engine engine(Storage s) {
    return Engine.builder().storage(s).maxParallelism(parallelism).bind(ADD, ADD_OP).build();
  }

  @Setup(Level.Invocation)
  public void freshStorage() {
    storage = Storage.inMemory();
    engine = engine(storage);
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

  /** One run of the random DAG, every node executed and stored. */
  @Benchmark
  public Map<Expr, Object> runFresh() {
    return engine.run(dag, inputs).outputs().block(LIMIT);
  }

  /** The same run on a storage that holds it: every node a hit. */
  @Benchmark
  public Map<Expr, Object> runAllHits() {
    return warmEngine.run(dag, inputs).outputs().block(LIMIT);
  }

  /** The same run without the storage: ops run, nothing is hashed or stored. */
  @Benchmark
  public Map<Expr, Object> runUnstored() {
    return unstored.run(dag, inputs).outputs().block(LIMIT);
  }
}
