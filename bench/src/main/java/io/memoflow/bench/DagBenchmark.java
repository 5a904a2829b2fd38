package io.memoflow.bench;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import java.util.ArrayList;
import java.util.List;
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

/**
 * Headline figure of the dag module: build (with {@link Dag#builder()}), validate and order a
 * random DAG of {@code size} computations, on one thread.
 *
 * <p>The random DAG mixes {@code MinMax} (two inputs, two outputs), {@code Add} (two inputs)
 * and {@code Square} (one input) steps over 16 graph inputs. With {@code shape = uniform} every
 * input is drawn uniformly from all variables defined so far (the worst case for caches: at a
 * million steps nearly every lookup misses); with {@code shape = local} three inputs in four
 * come from the 1,000 most recent variables and the rest uniformly, as in programs that mostly
 * consume what they just computed. Names and the graph's shape are generated in {@link
 * #setUp()}; the measured work is the builder steps plus {@code build()}: that is the issue's
 * "build, validate and order", since each step is validated as it is added (its inputs resolved
 * to known variables, its output names checked to be new, so no cycle and no second producer
 * can arise) and {@code build()} returns the composite with its {@code order()}, the step order,
 * which is topological. {@link #buildAndQuery}
 * also pays for the lookup structures a composite builds on first use (its variable index and
 * its predecessor/successor rows).
 *
 * <p>The fork runs with a fixed 4 GB heap and the throughput (parallel) collector: a build at
 * a million steps keeps about 150 MB of new objects alive, which G1's young collections copy
 * several times more slowly on a small machine. Run with (ns per computation = reported time /
 * size):
 *
 * <pre>{@code
 * mvn -B -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar DagBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * }</pre>
 *
 * <p>Add {@code -prof gc} for bytes allocated per build and collector time. {@link DagCpuTime}
 * measures the same {@link #build()} as CPU time of the building thread, which a shared machine
 * disturbs less than wall time.
 *
 * <p>{@link #bulk()} measures the bulk path on the same graph: {@code
 * CompositeComputation.of(list)} plus {@code order()}, where the list of {@link Computation}s
 * (over {@link Expr.Symbol}s named as above) is built in {@link #setUp()} and not measured.
 * {@link #bulkConstruct()} also measures constructing that list: a symbol per output, a {@link
 * Computation} per step (inputs are the symbols made for earlier outputs), then the same call.
 *
 * <p>What the benchmark itself costs: each step passes its names as varargs, so the measured
 * work includes two small {@code String[]}s per step (about 48 of the roughly 310 bytes
 * allocated per computation); the names are made in {@link #setUp()} and reused, so their hash
 * codes are cached and a name read is matched by identity, not by comparing characters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
public class DagBenchmark {
  private static final Operation ADD = Operation.of("Add", List.of("a", "b"), List.of("sum"));
  private static final Operation SQUARE = Operation.of("Square", List.of("x"), List.of("sq"));
  private static final int GRAPH_INPUTS = 16;
  private static final int WINDOW = 1_000;

  /** Number of computations. */
  @Param({"10000", "100000", "1000000"})
  public int size;

  /** How inputs are drawn: {@code uniform} or {@code local}; see the class documentation. */
  @Param({"uniform", "local"})
  public String shape;

  private String[] inputNames;
  private byte[] kind; // 0 MinMax, 1 Add, 2 Square
  private String[] reads; // two per step (the second unused by Square)
  private String[] writes; // two per step (the second unused unless MinMax)
  private String last;
  private int[] readVar; // two per step: index into the variables, inputs first
  private List<Computation> computations; // for bulk(), built in setUp()

  /** Generates names and the random graph's shape; not measured. */
  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(42);
    String[] vars = new String[GRAPH_INPUTS + 2 * size];
    int defined = 0;
    inputNames = new String[GRAPH_INPUTS];
    for (int i = 0; i < GRAPH_INPUTS; i++) {
      inputNames[i] = "in" + i;
      vars[defined++] = inputNames[i];
    }
    kind = new byte[size];
    readVar = new int[2 * size];
    reads = new String[2 * size];
    writes = new String[2 * size];
    for (int s = 0; s < size; s++) {
      kind[s] = (byte) rnd.nextInt(3);
      for (int k = 0; k < 2; k++) {
        readVar[2 * s + k] = pick(rnd, defined);
        reads[2 * s + k] = vars[readVar[2 * s + k]];
      }
      int outs = kind[s] == 0 ? 2 : 1;
      for (int k = 0; k < outs; k++) {
        writes[2 * s + k] = "v" + s + "_" + k;
        vars[defined++] = writes[2 * s + k];
      }
    }
    last = writes[2 * (size - 1)];
    computations = computations();
  }

  private int pick(SplittableRandom rnd, int defined) {
    if (shape.equals("local") && defined > WINDOW && rnd.nextInt(4) != 0) {
      return defined - 1 - rnd.nextInt(WINDOW);
    }
    return rnd.nextInt(defined);
  }

  /** Builder steps plus {@code build()}: a validated, ordered composite. */
  @Benchmark
  public CompositeComputation build() {
    return steps(Dag.builder());
  }

  /**
   * {@link #build()} with names {@linkplain Dag.Builder#checkInBatches() checked in batches}:
   * the same steps, the same composite.
   */
  @Benchmark
  public CompositeComputation buildBatched() {
    return steps(Dag.builder().checkInBatches());
  }

  /** Adds the inputs and every step to {@code b} and builds. */
  private CompositeComputation steps(Dag.Builder b) {
    b.input(inputNames);
    for (int s = 0; s < size; s++) {
      switch (kind[s]) {
        case 0 -> b.step(Operation.MIN_MAX, reads[2 * s], reads[2 * s + 1])
            .as(writes[2 * s], writes[2 * s + 1]);
        case 1 -> b.step(ADD, reads[2 * s], reads[2 * s + 1]).as(writes[2 * s]);
        default -> b.step(SQUARE, reads[2 * s]).as(writes[2 * s]);
      }
    }
    return b.build();
  }

  /** The bulk path: one composite from all computations at once, and its order. */
  @Benchmark
  public List<Computation> bulk() {
    return CompositeComputation.of(computations).order();
  }

  /** {@link #bulk()} plus constructing the symbols and computations it is given. */
  @Benchmark
  public List<Computation> bulkConstruct() {
    return CompositeComputation.of(computations()).order();
  }

  /** The steps as computations over symbols, in step order (which is topological). */
  private List<Computation> computations() {
    Expr[] vars = new Expr[GRAPH_INPUTS + 2 * size];
    int defined = 0;
    for (String in : inputNames) {
      vars[defined++] = Expr.symbol(in);
    }
    List<Computation> out = new ArrayList<>(size);
    for (int s = 0; s < size; s++) {
      Expr a = vars[readVar[2 * s]];
      Expr b = vars[readVar[2 * s + 1]];
      Computation c;
      switch (kind[s]) {
        case 0 -> {
          Expr lo = Expr.symbol(writes[2 * s]);
          Expr hi = Expr.symbol(writes[2 * s + 1]);
          c = Computation.of(Operation.MIN_MAX, List.of(a, b), List.of(lo, hi));
          vars[defined++] = lo;
          vars[defined++] = hi;
        }
        case 1 -> {
          Expr sum = Expr.symbol(writes[2 * s]);
          c = Computation.of(ADD, List.of(a, b), List.of(sum));
          vars[defined++] = sum;
        }
        default -> {
          Expr sq = Expr.symbol(writes[2 * s]);
          c = Computation.of(SQUARE, List.of(a), List.of(sq));
          vars[defined++] = sq;
        }
      }
      out.add(c);
    }
    return out;
  }

  /** {@link #build()} plus the first variable lookup and the first edge query. */
  @Benchmark
  public int buildAndQuery() {
    CompositeComputation g = build();
    return g.producerOf(Expr.symbol(last)).isPresent()
        ? g.predecessorIndices(g.size() - 1).length
        : -1;
  }
}
