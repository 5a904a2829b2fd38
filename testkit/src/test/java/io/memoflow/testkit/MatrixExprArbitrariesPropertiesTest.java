package io.memoflow.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.matrix.Matrix;
import io.memoflow.matrix.MatrixExpr;
import io.memoflow.matrix.MatrixProperty;
import io.memoflow.testkit.MatrixExprArbitraries.Problem;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/** Matrix problems cover the expression kinds, honour their assumptions and follow the seed. */
class MatrixExprArbitrariesPropertiesTest {

  private static Problem draw(long seed) {
    return MatrixExprArbitraries.problems().generator(1000).next(new Random(seed)).value();
  }

  @Property(tries = 1000)
  void problems_coverProductsSumsTransposesAndInverses(@ForAll long seed) {
    Problem p = draw(seed);
    Statistics.label("product").collect(has(p, e -> e instanceof MatrixExpr.Product));
    Statistics.label("sum").collect(has(p, e -> e instanceof MatrixExpr.Sum));
    Statistics.label("transpose").collect(has(p, e -> e instanceof MatrixExpr.Transpose));
    Statistics.label("inverse").collect(has(p, e -> e instanceof MatrixExpr.Inverse));
    Statistics.label("two outputs").collect(p.outputs().size() == 2);
    Statistics.label("product").coverage(c -> c.check(true).percentage(x -> x > 40));
    Statistics.label("sum").coverage(c -> c.check(true).percentage(x -> x > 20));
    Statistics.label("transpose").coverage(c -> c.check(true).percentage(x -> x > 15));
    Statistics.label("inverse").coverage(c -> c.check(true).percentage(x -> x > 15));
    Statistics.label("two outputs").coverage(c -> c.check(true).percentage(x -> x > 25));
  }

  @Property(tries = 300)
  void values_honourTheirSymbolsAssumptions(@ForAll long seed) {
    Problem p = draw(seed);
    for (MatrixExpr o : p.outputs()) {
      for (MatrixExpr.Symbol s : o.symbols()) {
        Matrix m = p.values().get(s.name());
        assertEquals(s.shape(), m.shape(), s::toString);
        Set<MatrixProperty> a = s.assumptions();
        if (a.contains(MatrixProperty.SYMMETRIC) || a.contains(MatrixProperty.POSITIVE_DEFINITE)) {
          assertTrue(m.relativeError(m.transpose()) == 0, () -> s + " is not symmetric: " + m);
        }
        if (a.contains(MatrixProperty.POSITIVE_DEFINITE)) {
          m.cholesky();   // throws if not positive definite
        }
        if (a.contains(MatrixProperty.LOWER_TRIANGULAR)) {
          for (int i = 0; i < m.rows(); i++) {
            for (int j = i + 1; j < m.cols(); j++) {
              assertEquals(0.0, m.get(i, j), () -> s + " is not lower triangular: " + m);
            }
          }
        }
      }
    }
  }

  @Property(tries = 100)
  void sameSeed_sameProblem(@ForAll long seed) {
    Problem a = draw(seed);
    Problem b = draw(seed);
    assertEquals(a.outputs(), b.outputs());
    assertEquals(a.values(), b.values());
  }

  @Test
  void badBounds_areRefusedSayingWhatToPass() {
    var e = assertThrows(IllegalArgumentException.class, () -> MatrixExprArbitraries.problems(0, 1));
    assertTrue(e.getMessage().contains("maxDepth >= 1"), e.getMessage());
  }

  private static boolean has(Problem p, Predicate<MatrixExpr> kind) {
    ArrayDeque<MatrixExpr> todo = new ArrayDeque<>(p.outputs());
    while (!todo.isEmpty()) {
      MatrixExpr e = todo.pop();
      if (kind.test(e)) {
        return true;
      }
      todo.addAll(e.children());
    }
    return false;
  }
}
