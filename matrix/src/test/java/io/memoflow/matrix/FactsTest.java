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
  void bindings_listEveryMatrixWildcard() {
    ExprPattern p = ExprPattern.product(ExprPattern.any("L"), ExprPattern.any("R"));
    List<Bindings> matches = p.match(a.times(plain));
    assertEquals(1, matches.size(), matches.toString());
    assertEquals(Map.of("L", a, "R", plain), matches.get(0).matrices());
    assertTrue(matches.get(0).scalars().isEmpty());
  }
}
