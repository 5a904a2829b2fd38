package io.memoflow.bench;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Expr;
import io.memoflow.matrix.Cover;
import io.memoflow.matrix.MatrixCompiler;
import io.memoflow.matrix.MatrixExamples;
import io.memoflow.matrix.MatrixExecutor;
import io.memoflow.matrix.MatrixExpr;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.netlib.util.intW;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Headline figures of the matrix compiler:
 *
 * <ul>
 *   <li>{@code compileKalman}: compiling the Kalman filter update (both outputs) to a DAG of
 *       library calls, for state sizes 10 and 1000 (target: under 50 ms after warm-up);
 *   <li>{@code regressionCompiled} vs {@code regressionByHand}: running the compiled linear
 *       regression {@code (X^T X)^-1 X^T y} (SYRK, GEMM, POSV, out of place) against calling
 *       {@code dsyrk}, {@code dgemm} and {@code dposv} by hand, for X of 500x50 and 2000x200
 *       (target: within 1.5x).
 * </ul>
 *
 * <p>Run: {@code mvn -B -q -pl bench -am package -DskipTests && java -jar
 * bench/target/benchmarks.jar MatrixBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MatrixBenchmark {

  /** The Kalman expressions of a given state size (observations: a quarter of it). */
  @State(Scope.Benchmark)
  public static class Kalman {
    /** State size. */
    @Param({"10", "1000"})
    public int n;

    List<MatrixExpr> outputs;

    /** Builds the expressions. */
    @Setup
    public void setup() {
      outputs = MatrixExamples.kalman(n, Math.max(1, n / 4)).outputs();
    }
  }

  /** Compiles the Kalman update to a DAG. */
  @Benchmark
  public Cover compileKalman(Kalman k) {
    return MatrixCompiler.standard().compile(k.outputs);
  }

  /** A chain of matrices A1 * A2 * ... of random dimensions 1..500 (seeded). */
  @State(Scope.Benchmark)
  public static class Chain {
    /** Matrices in the chain. */
    @Param({"20"})
    public int length;

    MatrixExpr product;

    /** Builds the chain. */
    @Setup
    public void setup() {
      java.util.Random r = new java.util.Random(length);
      int rows = 1 + r.nextInt(500);
      for (int i = 1; i <= length; i++) {
        int cols = 1 + r.nextInt(500);
        MatrixExpr a = MatrixExpr.symbol("A" + i, rows, cols);
        product = product == null ? a : product.times(a);
        rows = cols;
      }
    }
  }

  /** Compiles a matrix chain (the search's dynamic programming over sub-chains). */
  @Benchmark
  public Cover compileChain(Chain c) {
    return MatrixCompiler.standard().compile(c.product);
  }

  /** A compiled regression and its inputs. */
  @State(Scope.Benchmark)
  public static class Regression {
    /** Rows x columns of X. */
    @Param({"500x50", "2000x200"})
    public String size;

    int n;
    int p;
    CompositeComputation composite;
    Map<Expr, double[]> inputs;
    Expr beta;
    double[] x;
    double[] y;

    /** Compiles the regression and draws inputs. */
    @Setup
    public void setup() {
      String[] d = size.split("x");
      n = Integer.parseInt(d[0]);
      p = Integer.parseInt(d[1]);
      MatrixExamples.Example ex = MatrixExamples.linearRegression(n, p);
      composite = ex.composite();
      inputs = ex.randomInputs(1);
      beta = ex.outputs().get(0).toExpr();
      x = inputs.get(Expr.symbol("X"));
      y = inputs.get(Expr.symbol("y"));
    }
  }

  /** Runs the compiled DAG out of place. */
  @Benchmark
  public double[] regressionCompiled(Regression r) {
    return MatrixExecutor.run(r.composite, r.inputs).get(r.beta);
  }

  /** Calls the same routines by hand: dsyrk, dgemm, dposv. */
  @Benchmark
  public double[] regressionByHand(Regression r) {
    int n = r.n;
    int p = r.p;
    double[] g = new double[p * p];
    BLAS.getInstance().dsyrk("U", "T", p, n, 1, r.x, n, 0, g, p);
    double[] b = new double[p];
    BLAS.getInstance().dgemm("T", "N", p, 1, n, 1, r.x, n, r.y, n, 0, b, p);
    intW info = new intW(0);
    LAPACK.getInstance().dposv("U", p, 1, g, p, b, p, info);
    if (info.val != 0) {
      throw new ArithmeticException("dposv info " + info.val);
    }
    return b;
  }
}
