package io.memoflow.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The cover search on matrix chains against the classic O(n^3) matrix-chain recurrence. */
class ChainSearchTest {

  /** The chain A1 (d0 x d1) * A2 (d1 x d2) * ... of distinct symbols. */
  static MatrixExpr chain(List<Integer> dims) {
    MatrixExpr e = null;
    for (int i = 0; i + 1 < dims.size(); i++) {
      MatrixExpr a = MatrixExpr.symbol("A" + (i + 1), dims.get(i), dims.get(i + 1));
      e = e == null ? a : e.times(a);
    }
    return e;
  }

  /**
   * The cheapest parenthesization by GEMM calls, computed apart from the compiler: m[i][j] =
   * min over k of m[i][k] + m[k+1][j] + GEMM's cost for a d(i-1) x d(k) times d(k) x d(j).
   */
  static double chainOptimum(List<Integer> d) {
    int n = d.size() - 1;
    double[][] m = new double[n + 1][n + 1];
    for (int len = 2; len <= n; len++) {
      for (int i = 1; i + len - 1 <= n; i++) {
        int j = i + len - 1;
        m[i][j] = Double.POSITIVE_INFINITY;
        for (int k = i; k < j; k++) {
          double gemm = 2.0 * d.get(i - 1) * d.get(k) * d.get(j) + LibraryOp.CALL_OVERHEAD;
          m[i][j] = Math.min(m[i][j], m[i][k] + m[k + 1][j] + gemm);
        }
      }
    }
    return m[1][n];
  }

  static List<Integer> randomDims(int matrices, long seed) {
    Random r = new Random(seed);
    List<Integer> dims = new ArrayList<>();
    for (int i = 0; i <= matrices; i++) {
      dims.add(1 + r.nextInt(500));
    }
    return dims;
  }

  @Test
  void twentyMatrixChain_isTheChainOptimum_inFewStates() {
    for (long seed = 1; seed <= 3; seed++) {
      List<Integer> dims = randomDims(20, seed);
      // A budget of 20,000 states: without dynamic programming the search needed millions.
      Cover c = MatrixCompiler.standard().maxStates(20_000).compile(chain(dims));
      double best = chainOptimum(dims);
      assertEquals(best, c.cost(), best * 1e-12, () -> dims + "\n" + c);
      assertEquals(19, c.steps().size(), c::toString);
    }
  }

  @Property(tries = 60)
  void chainCover_isTheChainOptimum(
      @ForAll @Size(min = 3, max = 13) List<@IntRange(min = 1, max = 60) Integer> dims) {
    Cover c = MatrixCompiler.standard().compile(chain(dims));
    double best = chainOptimum(dims);
    assertEquals(best, c.cost(), best * 1e-12, () -> dims + "\n" + c);
  }

  @Property(tries = 40)
  void chainCover_evaluatesAsTheNaiveProduct(
      @ForAll @Size(min = 3, max = 9) List<@IntRange(min = 1, max = 12) Integer> dims,
      @ForAll long seed) {
    MatrixExpr e = chain(dims);
    Cover c = MatrixCompiler.standard().compile(e);
    Random r = new Random(seed);
    Map<String, Matrix> values = new HashMap<>();
    for (MatrixExpr.Symbol s : e.symbols()) {
      values.put(s.name(), Matrix.random(s, r));
    }
    double err = MatrixExecutor.run(c, values).get(e).relativeError(MatrixEvaluator.evaluate(e, values));
    assertTrue(err <= 1e-8, () -> "relative error " + err + "\n" + c);
  }

  @Test
  void aSearchOverItsBudget_saysHowFarItGot() {
    MatrixExamples.Example k = MatrixExamples.kalman(6, 3);
    SearchLimitException e = assertThrows(SearchLimitException.class,
        () -> MatrixCompiler.standard().maxStates(5).compile(k.outputs()));
    assertEquals(5, e.states());
    assertTrue(e.lowerBound() > 0 && e.lowerBound() <= k.cover().cost(), e::getMessage);
    assertTrue(e.openStates() > 0, e::getMessage);
    assertTrue(e.getMessage().contains("budget of 5 states")
        && e.getMessage().contains("maxStates"), e.getMessage());
  }
}
