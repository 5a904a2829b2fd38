package io.memoflow.matrix;

import io.memoflow.matrix.MatrixExpr.Factor;
import io.memoflow.matrix.MatrixExpr.Identity;
import io.memoflow.matrix.MatrixExpr.Inverse;
import io.memoflow.matrix.MatrixExpr.Product;
import io.memoflow.matrix.MatrixExpr.Scaled;
import io.memoflow.matrix.MatrixExpr.Sum;
import io.memoflow.matrix.MatrixExpr.Symbol;
import io.memoflow.matrix.MatrixExpr.Transpose;
import io.memoflow.matrix.MatrixExpr.Zero;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Derives properties of matrix expressions from the {@link MatrixProperty assumptions} on their
 * symbols. The rule set is small and sound (never claims a property that may not hold), not
 * complete:
 *
 * <ul>
 *   <li><b>symmetric</b>: {@code e^T} has the same canonical form as {@code e} (so {@code X^T
 *       X}, {@code H S H^T} with {@code S} symmetric, sums and inverses of symmetric matrices);
 *   <li><b>positive definite</b>: assumed; {@code I}; {@code c A} with {@code c > 0}; {@code
 *       A^-1}; a sum of positive semidefinite terms with one positive definite; a Gram product
 *       {@code R^T M R} ({@code M} absent or positive definite) when {@code R} has full column
 *       rank. {@code R^T R} alone is positive semidefinite; a Schur complement {@code A - X^T
 *       M^-1 X} with {@code A} and {@code M - X A^-1 X^T} positive definite (the Kalman
 *       update's covariance);
 *   <li><b>full column rank</b>: assumed {@code FULL_RANK} on a tall or square symbol; positive
 *       definite; an inverse; a product of full-column-rank factors; the transpose of a
 *       full-row-rank matrix;
 *   <li><b>lower / upper triangular</b>: assumed; identity; transposes swap them; closed under
 *       products, sums, scaling and inversion; a Cholesky factor is upper triangular.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class Facts {
  private Facts() {}

  /** Returns every property that the rules derive for {@code e}. */
  public static Set<MatrixProperty> derive(MatrixExpr e) {
    EnumSet<MatrixProperty> out = EnumSet.noneOf(MatrixProperty.class);
    if (isSymmetric(e)) {
      out.add(MatrixProperty.SYMMETRIC);
    }
    if (isPositiveDefinite(e)) {
      out.add(MatrixProperty.POSITIVE_DEFINITE);
    }
    if (hasFullColumnRank(e) || hasFullRowRank(e)) {
      out.add(MatrixProperty.FULL_RANK);
    }
    if (isLowerTriangular(e)) {
      out.add(MatrixProperty.LOWER_TRIANGULAR);
    }
    if (isUpperTriangular(e)) {
      out.add(MatrixProperty.UPPER_TRIANGULAR);
    }
    return out;
  }

  /** Returns whether {@code e} is provably symmetric. */
  public static boolean isSymmetric(MatrixExpr e) {
    if (!e.shape().isSquare()) {
      return false;
    }
    if (e instanceof Symbol s) {
      return Canonical.isSymmetricSymbol(s);
    }
    return e.t().equals(e);
  }

  /** Returns whether {@code e} is provably symmetric positive definite. */
  public static boolean isPositiveDefinite(MatrixExpr e) {
    if (e instanceof Canonical.Node n) {
      Boolean pd = n.positiveDefinite;
      if (pd == null) {
        n.positiveDefinite = pd = positiveDefinite(e);
      }
      return pd;
    }
    return positiveDefinite(e);
  }

  private static boolean positiveDefinite(MatrixExpr e) {
    if (!e.shape().isSquare()) {
      return false;
    }
    if (e instanceof Symbol s) {
      return s.has(MatrixProperty.POSITIVE_DEFINITE);
    }
    if (e instanceof Identity) {
      return true;
    }
    if (e instanceof Scaled s) {
      return s.factor() > 0 && isPositiveDefinite(s.expr());
    }
    if (e instanceof Inverse i) {
      return isPositiveDefinite(i.expr());
    }
    if (e instanceof Sum s) {
      boolean semidefinite = true;
      boolean definite = false;
      for (MatrixExpr t : s.terms()) {
        if (!isPositiveSemidefinite(t)) {
          semidefinite = false;
          break;
        }
        definite |= isPositiveDefinite(t);
      }
      return (semidefinite && definite) || isSchurComplement(s);
    }
    if (e instanceof Product p) {
      Gram g = gram(p);
      return g != null
          && (g.middle == null || isPositiveDefinite(g.middle))
          && hasFullColumnRank(g.right);
    }
    return false;
  }

  /** How deep Schur-complement checks nest on this thread (each may ask for another). */
  private static final ThreadLocal<int[]> SCHUR_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  /**
   * Whether {@code s} is {@code A - c X^T M^-1 X} ({@code c > 0}; {@code A} the sum of the other
   * terms) with {@code A} positive definite and {@code M/c - X A^-1 X^T} positive definite: the
   * Schur complement of a positive definite block matrix {@code [[A, X^T], [X, M/c]]}. The
   * Kalman update's {@code Sigma - Sigma H^T (R + H Sigma H^T)^-1 H Sigma} is one, with {@code
   * M/c - X A^-1 X^T = R}, and so is each later step's covariance.
   */
  private static boolean isSchurComplement(Sum s) {
    int[] depth = SCHUR_DEPTH.get();
    if (depth[0] >= 4) {
      return false; // unproven is sound; a deeper chain of complements is not worth the time
    }
    depth[0]++;
    try {
      List<MatrixExpr> terms = s.terms();
      for (int i = 0; i < terms.size(); i++) {
        if (!(terms.get(i) instanceof Scaled t && t.factor() < 0
            && t.expr() instanceof Product p)) {
          continue;
        }
        Gram g = gram(p);
        if (g == null || !(g.middle instanceof Inverse m)) {
          continue;
        }
        List<MatrixExpr> others = new java.util.ArrayList<>(terms);
        others.remove(i);
        MatrixExpr a = MatrixExpr.sum(others);
        if (!isPositiveDefinite(a)) {
          continue;
        }
        MatrixExpr x = g.right;
        MatrixExpr rest = m.expr().scale(-1 / t.factor()).minus(x.times(a.inv()).times(x.t()));
        if (isPositiveDefinite(rest)) {
          return true;
        }
      }
      return false;
    } finally {
      depth[0]--;
    }
  }

  /** Returns whether {@code e} is provably symmetric positive semidefinite. */
  public static boolean isPositiveSemidefinite(MatrixExpr e) {
    if (isPositiveDefinite(e) || (e instanceof Zero z && z.shape().isSquare())) {
      return true;
    }
    if (e instanceof Scaled s) {
      return s.factor() > 0 && isPositiveSemidefinite(s.expr());
    }
    if (e instanceof Sum s) {
      for (MatrixExpr t : s.terms()) {
        if (!isPositiveSemidefinite(t)) {
          return false;
        }
      }
      return true;
    }
    if (e instanceof Product p) {
      Gram g = gram(p);
      return g != null && (g.middle == null || isPositiveSemidefinite(g.middle));
    }
    return false;
  }

  /** Returns whether {@code e} provably has full column rank (independent columns). */
  public static boolean hasFullColumnRank(MatrixExpr e) {
    Shape s = e.shape();
    if (s.rows() < s.cols()) {
      return false;
    }
    if (e instanceof Symbol sym) {
      return sym.has(MatrixProperty.FULL_RANK) || sym.has(MatrixProperty.POSITIVE_DEFINITE);
    }
    if (e instanceof Identity || e instanceof Inverse) {
      return true;
    }
    if (e instanceof Transpose t) {
      return hasFullRowRank(t.expr());
    }
    if (e instanceof Scaled sc) {
      return hasFullColumnRank(sc.expr());
    }
    if (e instanceof Product p) {
      for (MatrixExpr f : p.factors()) {
        if (!hasFullColumnRank(f)) {
          return false;
        }
      }
      return true;
    }
    if (e instanceof Factor f) {
      return f.kind() == Factor.Kind.CHOLESKY && isPositiveDefinite(f.of());
    }
    return isPositiveDefinite(e);
  }

  /** Returns whether {@code e} provably has full row rank (independent rows). */
  public static boolean hasFullRowRank(MatrixExpr e) {
    if (e instanceof Symbol sym) {
      return e.shape().rows() <= e.shape().cols()
          && (sym.has(MatrixProperty.FULL_RANK) || sym.has(MatrixProperty.POSITIVE_DEFINITE));
    }
    return hasFullColumnRank(e.t());
  }

  /** Returns whether {@code e} is square with full rank. */
  public static boolean isInvertible(MatrixExpr e) {
    return e.shape().isSquare() && hasFullColumnRank(e);
  }

  /** Returns whether {@code e} is provably lower triangular. */
  public static boolean isLowerTriangular(MatrixExpr e) {
    return triangular(e, true);
  }

  /** Returns whether {@code e} is provably upper triangular. */
  public static boolean isUpperTriangular(MatrixExpr e) {
    return triangular(e, false);
  }

  private static boolean triangular(MatrixExpr e, boolean lower) {
    if (!e.shape().isSquare()) {
      return false;
    }
    if (e instanceof Symbol s) {
      return s.has(lower ? MatrixProperty.LOWER_TRIANGULAR : MatrixProperty.UPPER_TRIANGULAR);
    }
    if (e instanceof Identity || e instanceof Zero) {
      return true;
    }
    if (e instanceof Transpose t) {
      return triangular(t.expr(), !lower);
    }
    if (e instanceof Scaled s) {
      return triangular(s.expr(), lower);
    }
    if (e instanceof Inverse i) {
      return triangular(i.expr(), lower);
    }
    if (e instanceof Factor f) {
      return !lower && f.kind() == Factor.Kind.CHOLESKY;
    }
    for (MatrixExpr c : e.children()) { // Product, Sum
      if (!triangular(c, lower)) {
        return false;
      }
    }
    return true;
  }

  /** {@code left * middle * right} with {@code left = right^T}; {@code middle} may be null. */
  private record Gram(MatrixExpr middle, MatrixExpr right) {}

  private static Gram gram(Product p) {
    List<MatrixExpr> f = p.factors();
    int n = f.size();
    int half = n / 2;
    MatrixExpr left = MatrixExpr.product(f.subList(0, half));
    MatrixExpr right = MatrixExpr.product(f.subList(n - half, n));
    if (!left.equals(right.t())) {
      return null;
    }
    return new Gram(n % 2 == 1 ? f.get(half) : null, right);
  }
}
