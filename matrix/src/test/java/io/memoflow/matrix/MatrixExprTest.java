package io.memoflow.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.dag.Expr;
import org.junit.jupiter.api.Test;

class MatrixExprTest {
  final MatrixExpr.Symbol a = MatrixExpr.symbol("A", 3, 3);
  final MatrixExpr.Symbol b = MatrixExpr.symbol("B", 3, 3);
  final MatrixExpr.Symbol x = MatrixExpr.symbol("X", 5, 3, MatrixProperty.FULL_RANK);
  final MatrixExpr.Symbol s = MatrixExpr.symbol("S", 3, 3, MatrixProperty.POSITIVE_DEFINITE);

  @Test
  void times_rejectsInnerDimensionMismatch() {
    MatrixExpr p = MatrixExpr.symbol("X", 3, 4);
    MatrixExpr q = MatrixExpr.symbol("Y", 5, 2);
    var e = assertThrows(IllegalArgumentException.class, () -> p.times(q));
    assertTrue(e.getMessage().startsWith("X (3x4) * Y (5x2): inner dimensions differ"), e.getMessage());
  }

  @Test
  void plus_rejectsShapeMismatch() {
    var e = assertThrows(IllegalArgumentException.class, () -> a.plus(x));
    assertTrue(e.getMessage().startsWith("A (3x3) + X (5x3): shapes differ"), e.getMessage());
  }

  @Test
  void inv_rejectsNonSquareAndZero() {
    var e = assertThrows(IllegalArgumentException.class, () -> x.inv());
    assertTrue(e.getMessage().startsWith("X (5x3)^-1: not square"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MatrixExpr.zero(2, 2).inv());
  }

  @Test
  void symbol_rejectsSquareAssumptionOnRectangle() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> MatrixExpr.symbol("X", 3, 4, MatrixProperty.SYMMETRIC));
    assertTrue(e.getMessage().contains("cannot be SYMMETRIC: it is not square"), e.getMessage());
  }

  @Test
  void canonical_productIsAssociativeAndDropsIdentity() {
    MatrixExpr c = MatrixExpr.symbol("C", 3, 3);
    assertEquals(a.times(b).times(c), a.times(b.times(c)));
    assertEquals(a, MatrixExpr.identity(3).times(a).times(MatrixExpr.identity(3)));
    assertEquals(MatrixExpr.zero(3, 3), a.times(MatrixExpr.zero(3, 3)));
    assertEquals(MatrixExpr.identity(3), a.times(a.inv()));
  }

  @Test
  void canonical_sumCommutesAndCollects() {
    assertEquals(a.plus(b), b.plus(a));
    assertEquals(a.scale(2), a.plus(a));
    assertEquals(MatrixExpr.zero(3, 3), a.minus(a));
    assertEquals(a.scale(2).plus(b.scale(2)), a.plus(b).scale(2));
    assertEquals(a.times(b).scale(6), a.scale(2).times(b.scale(3)));
  }

  @Test
  void canonical_transposePushedToSymbols() {
    assertEquals(b.t().times(a.t()), a.times(b).t());
    assertEquals(a, a.t().t());
    assertEquals(s, s.t());
    assertEquals(x.t().times(x), x.t().times(x).t());
    assertEquals(a.t().inv(), a.inv().t());
    assertEquals(a.inv().scale(0.5), a.scale(2).inv());
  }

  @Test
  void toExpr_isGemmFreeSymbolicForm() {
    assertEquals(Expr.apply("Mul", Expr.apply("Transpose", Expr.symbol("X")), Expr.symbol("X")),
        x.t().times(x).toExpr());
    assertEquals("Add(Mul(A, B), Scale(-1.0, A))", a.times(b).minus(a).toExpr().toString());
    assertEquals(x.t().times(x).toExpr().digest(), x.t().times(x).t().toExpr().digest());
  }

  @Test
  void toString_isReadable() {
    assertEquals("(X^T * X)^-1 * X^T", x.t().times(x).inv().times(x.t()).toString());
    assertEquals("A * B - A", a.times(b).minus(a).toString());
  }

  @Test
  void facts_gramOfFullColumnRankIsPositiveDefinite() {
    MatrixExpr g = x.t().times(x);
    assertTrue(Facts.isSymmetric(g));
    assertTrue(Facts.isPositiveDefinite(g));
    MatrixExpr wide = MatrixExpr.symbol("W", 3, 5, MatrixProperty.FULL_RANK);
    assertTrue(Facts.isPositiveSemidefinite(wide.t().times(wide)));
    assertFalse(Facts.isPositiveDefinite(wide.t().times(wide)));
    assertFalse(Facts.isPositiveDefinite(MatrixExpr.symbol("Z", 5, 3).t().times(MatrixExpr.symbol("Z", 5, 3))));
  }

  @Test
  void facts_kalmanInnovationIsPositiveDefinite() {
    MatrixExpr h = MatrixExpr.symbol("H", 2, 3);
    MatrixExpr r = MatrixExpr.symbol("R", 2, 2, MatrixProperty.POSITIVE_DEFINITE);
    MatrixExpr inn = r.plus(h.times(s).times(h.t()));
    assertTrue(Facts.isSymmetric(inn));
    assertTrue(Facts.isPositiveDefinite(inn));
    assertTrue(Facts.isPositiveDefinite(inn.inv()));
    assertTrue(Facts.derive(inn).contains(MatrixProperty.FULL_RANK));
  }

  @Test
  void facts_triangularClosedUnderProductTransposeInverse() {
    MatrixExpr l = MatrixExpr.symbol("L", 3, 3, MatrixProperty.LOWER_TRIANGULAR);
    MatrixExpr m = MatrixExpr.symbol("M", 3, 3, MatrixProperty.LOWER_TRIANGULAR);
    assertTrue(Facts.isLowerTriangular(l.times(m).inv()));
    assertTrue(Facts.isUpperTriangular(l.t()));
    assertFalse(Facts.isUpperTriangular(l));
    assertFalse(Facts.isLowerTriangular(l.plus(a)));
    assertTrue(Facts.isUpperTriangular(MatrixExpr.cholesky(s)));
  }
}
