package io.memoflow.bench;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.inplace.BufferPlan;
import io.memoflow.inplace.BufferPlanner;
import io.memoflow.inplace.InplaceComposites;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Headline figure of the in-place planner: the time to plan a random composite of {@code
 * computations} operations (1-3 inputs, 1-3 outputs, BLAS-like overwrites, matrix-shaped sizes,
 * shared readers, requested outputs also read inside, half the inputs donated) into a checked-
 * ready {@link BufferPlan}: copy selection, copies, four schedules, buffer assignment. Target:
 * under 100 ms at 10,000 computations.
 *
 * <p>The memory figures (peak against the max-live bound, copies against the sole-reader rule,
 * the Kalman and regression examples) are not timings; they are printed as JSON lines by {@code
 * java -cp bench/target/benchmarks.jar io.memoflow.inplace.InplaceFigures 1000}.
 *
 * <p>Run: {@code mvn -B -q -pl bench -am package -DskipTests && java -jar
 * bench/target/benchmarks.jar InplaceBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class InplaceBenchmark {

  /** Number of computations in the composite. */
  @Param({"1000", "10000", "100000"})
  public int computations;

  private CompositeComputation composite;
  private BufferPlanner planner;

  /** Builds the composite and the planner. */
  @Setup
  public void setUp() {
    InplaceComposites.Scenario s = InplaceComposites.symbolic(
        42, computations, InplaceComposites.Sizes.MIXED, InplaceComposites.Overwrites.BLAS);
    composite = s.composite();
    planner = s.planner();
  }

  /** Plans the composite. */
  @Benchmark
  public BufferPlan plan() {
    return planner.plan(composite);
  }
}
