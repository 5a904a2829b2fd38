package io.memoflow.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The facts a rule's condition asks about, and the bindings a pattern gives it. */
class FactsTest {
  private final MatrixExpr a = MatrixExpr.symbol("A", 4, 4, MatrixProperty.FULL_RANK);
  private final MatrixExpr tall = MatrixExpr.symbol("X", 6, 4, MatrixProperty.FULL_RANK);
  private final MatrixExpr plain = MatrixExpr.symbol("B", 4, 4);

  @Test
  void isInvertible_needsSquareAndFullRank() {
    assertTrue(Facts.isInvertible(a));
    assertFalse(Facts.isInvertible(tall), "full column rank but not square");
    assertFalse(Facts.isInvertible(plain), "square but nothing says it has full rank");
  }

  @Test
  void kalmanCovariances_arePositiveDefinite_stepAfterStep() {
    MatrixExpr mu = MatrixExpr.symbol("mu", 5, 1);
    MatrixExpr sigma = MatrixExpr.symbol("Sigma", 5, 5, MatrixProperty.POSITIVE_DEFINITE);
    MatrixExpr h = MatrixExpr.symbol("H", 2, 5);
    MatrixExpr r = MatrixExpr.symbol("R", 2, 2, MatrixProperty.POSITIVE_DEFINITE);
    List<MatrixExpr> state = List.of(mu, sigma);
    java.util.Random rnd = new java.util.Random(3);
    Map<String, Matrix> values = new java.util.HashMap<>();
    for (MatrixExpr.Symbol s : List.of((MatrixExpr.Symbol) mu, (MatrixExpr.Symbol) sigma,
        (MatrixExpr.Symbol) h, (MatrixExpr.Symbol) r)) {
      values.put(s.name(), Matrix.random(s, rnd));
    }
    for (int step = 1; step <= 3; step++) {
      MatrixExpr.Symbol d = MatrixExpr.symbol("d" + step, 2, 1);
      values.put(d.name(), Matrix.random(d, rnd));
      state = MatrixExamples.kalmanExpressions(state.get(0), state.get(1), h, r, d);
      MatrixExpr cov = state.get(1);
      assertTrue(Facts.isPositiveDefinite(cov), "step " + step + ": " + cov);
      MatrixEvaluator.evaluate(cov, values).cholesky(); // and numerically so: no exception
      assertTrue(Facts.isPositiveDefinite(r.plus(h.times(cov).times(h.t()))), "its innovation covariance");
    }
  }

  @Test
  void aDifferenceThatIsNoSchurComplement_isNotClaimedDefinite() {
    MatrixExpr sigma = MatrixExpr.symbol("Sigma", 5, 5, MatrixProperty.POSITIVE_DEFINITE);
    MatrixExpr h = MatrixExpr.symbol("H", 2, 5);
    MatrixExpr r = MatrixExpr.symbol("R", 2, 2, MatrixProperty.POSITIVE_DEFINITE);
    // Sigma - Sigma H^T R^-1 H Sigma: R - H Sigma H^T need not be positive definite.
    assertFalse(Facts.isPositiveDefinite(sigma.minus(sigma.times(h.t()).times(r.inv()).times(h).times(sigma))));
  }

  @Test
  void bindings_listEveryMatrixWildcard() {
    ExprPattern p = ExprPattern.product(ExprPattern.any("L"), ExprPattern.any("R"));
    List<Bindings> matches = p.match(a.times(plain));
    assertEquals(1, matches.size(), matches.toString());
    assertEquals(Map.of("L", a, "R", plain), matches.get(0).matrices());
    assertTrue(matches.get(0).scalars().isEmpty());
  }
}
