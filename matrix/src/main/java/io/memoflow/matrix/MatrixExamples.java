package io.memoflow.matrix;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Expr;
import io.memoflow.matrix.MatrixExpr.Symbol;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Ready-made matrix programs compiled with {@link MatrixCompiler#standard()}: least-squares
 * linear regression and the Kalman filter update. The demo program and the in-place planner's
 * figures reuse them. Stateless and thread-safe.
 */
public final class MatrixExamples {
  private MatrixExamples() {}

  /**
   * A compiled example: its expressions, symbols and cover, and random inputs that honour the
   * symbols' assumptions.
   *
   * @param name a short name
   * @param outputs the compiled expressions
   * @param symbols the input symbols, in first-occurrence order
   * @param cover the cheapest cover
   */
  public record Example(String name, List<MatrixExpr> outputs, List<Symbol> symbols, Cover cover) {
    /** Copies the lists. */
    public Example {
      outputs = List.copyOf(outputs);
      symbols = List.copyOf(symbols);
    }

    /** Returns the compiled DAG of library calls. */
    public CompositeComputation composite() {
      return cover.composite();
    }

    /** Returns random values for the symbols, by name, honouring their assumptions. */
    public Map<String, Matrix> randomValues(long seed) {
      Random r = new Random(seed);
      Map<String, Matrix> out = new LinkedHashMap<>();
      for (Symbol s : symbols) {
        out.put(s.name(), Matrix.random(s, r));
      }
      return Collections.unmodifiableMap(out);
    }

    /** Returns {@link #randomValues} as buffers keyed by the composite's input variables. */
    public Map<Expr, double[]> randomInputs(long seed) {
      Map<Expr, double[]> out = new LinkedHashMap<>();
      for (Map.Entry<String, Matrix> e : randomValues(seed).entrySet()) {
        out.put(Expr.symbol(e.getKey()), e.getValue().toArray());
      }
      return Collections.unmodifiableMap(out);
    }
  }

  /**
   * Returns least squares {@code beta = (X^T X)^-1 X^T y} for {@code X} ({@code n x p}, full
   * column rank) and {@code y} ({@code n x 1}); it compiles to SYRK, GEMM and POSV.
   *
   * @throws IllegalArgumentException if {@code n < p} or a size is below 1
   */
  public static Example linearRegression(int n, int p) {
    if (n < p) {
      throw new IllegalArgumentException(
          "Linear regression needs at least as many rows as columns, not " + n + "x" + p + ".");
    }
    Symbol x = MatrixExpr.symbol("X", n, p, MatrixProperty.FULL_RANK);
    Symbol y = MatrixExpr.symbol("y", n, 1);
    MatrixExpr beta = x.t().times(x).inv().times(x.t()).times(y);
    return new Example("linear-regression", List.of(beta), List.of(x, y),
        MatrixCompiler.standard().compile(beta));
  }

  /**
   * Returns the Kalman filter update for state size {@code n} and {@code k} observations:
   *
   * <pre>
   * mu'    = mu + Sigma H^T (R + H Sigma H^T)^-1 (H mu - data)
   * Sigma' = Sigma - Sigma H^T (R + H Sigma H^T)^-1 H Sigma
   * </pre>
   *
   * with {@code Sigma} ({@code n x n}) and {@code R} ({@code k x k}) symmetric positive
   * definite, {@code H} ({@code k x n}), {@code mu} ({@code n x 1}), {@code data} ({@code k x
   * 1}). Both outputs are one DAG in which {@code (R + H Sigma H^T)} is factorized once.
   *
   * @throws IllegalArgumentException if a size is below 1
   */
  public static Example kalman(int n, int k) {
    Symbol mu = MatrixExpr.symbol("mu", n, 1);
    Symbol sigma = MatrixExpr.symbol("Sigma", n, n, MatrixProperty.POSITIVE_DEFINITE);
    Symbol h = MatrixExpr.symbol("H", k, n);
    Symbol r = MatrixExpr.symbol("R", k, k, MatrixProperty.POSITIVE_DEFINITE);
    Symbol data = MatrixExpr.symbol("data", k, 1);
    List<MatrixExpr> outs = kalmanExpressions(mu, sigma, h, r, data);
    return new Example("kalman", outs, List.of(mu, sigma, h, r, data),
        MatrixCompiler.standard().compile(outs));
  }

  /** Returns {@code [mu', Sigma']} of the Kalman update for these symbols; see {@link #kalman}. */
  public static List<MatrixExpr> kalmanExpressions(
      MatrixExpr mu, MatrixExpr sigma, MatrixExpr h, MatrixExpr r, MatrixExpr data) {
    MatrixExpr s = r.plus(h.times(sigma).times(h.t()));
    MatrixExpr gain = sigma.times(h.t()).times(s.inv());
    MatrixExpr muNew = mu.plus(gain.times(h.times(mu).minus(data)));
    MatrixExpr sigmaNew = sigma.minus(gain.times(h).times(sigma));
    return List.of(muNew, sigmaNew);
  }
}
