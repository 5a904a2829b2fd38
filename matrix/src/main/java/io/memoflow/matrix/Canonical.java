package io.memoflow.matrix;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.Expr;
import io.memoflow.matrix.MatrixExpr.Factor;
import io.memoflow.matrix.MatrixExpr.Identity;
import io.memoflow.matrix.MatrixExpr.Inverse;
import io.memoflow.matrix.MatrixExpr.Product;
import io.memoflow.matrix.MatrixExpr.Scaled;
import io.memoflow.matrix.MatrixExpr.Sum;
import io.memoflow.matrix.MatrixExpr.Symbol;
import io.memoflow.matrix.MatrixExpr.Transpose;
import io.memoflow.matrix.MatrixExpr.Zero;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The canonicalizing constructors behind {@link MatrixExpr}'s factories. */
final class Canonical {
  /*
   * Overview: every factory returns a canonical expression, assuming its operands are canonical
   * (they are, since nothing else builds nodes). Invariants of the canonical form:
   *  - Product: >= 2 factors, none Product, Scaled, Identity or Zero; no adjacent A, A^-1.
   *  - Sum: >= 2 terms, none Sum or Zero; a term is Scaled(c, t) or t; bases distinct; positive
   *    coefficients first, then by text.
   *  - Scaled: factor not 0 or 1, inner not Sum, Scaled or Zero.
   *  - Transpose: inner is a non-symmetric Symbol or a Factor.
   *  - Inverse: inner is square, not Inverse, Scaled, Identity or Zero.
   * Equality is then structural.
   */
  private Canonical() {}

  private static final Comparator<MatrixExpr> TERM_ORDER =
      Comparator.comparing((MatrixExpr e) -> e.toString())
          .thenComparing(e -> e.toExpr().digest());

  static MatrixExpr product(List<? extends MatrixExpr> factors) {
    if (factors.isEmpty()) {
      throw new IllegalArgumentException("A product needs at least one factor.");
    }
    MatrixExpr prev = null;
    for (MatrixExpr f : factors) {
      requireNonNull(f, "factor");
      if (prev != null && prev.shape().cols() != f.shape().rows()) {
        throw new IllegalArgumentException(MatrixMessages.innerDimensions(prev, f));
      }
      prev = f;
    }
    Shape shape = Shape.of(factors.get(0).shape().rows(), prev.shape().cols());
    double[] coef = {1};
    boolean[] zero = {false};
    List<MatrixExpr> out = new ArrayList<>();
    for (MatrixExpr f : factors) {
      appendFactor(f, out, coef, zero);
    }
    if (zero[0]) {
      return new Zero(shape);
    }
    MatrixExpr body =
        out.isEmpty()
            ? new Identity(shape.rows())
            : out.size() == 1 ? out.get(0) : new Product(List.copyOf(out), shape);
    return scaled(coef[0], body);
  }

  private static void appendFactor(
      MatrixExpr f, List<MatrixExpr> out, double[] coef, boolean[] zero) {
    if (f instanceof Product p) {
      for (MatrixExpr g : p.factors()) {
        appendFactor(g, out, coef, zero);
      }
    } else if (f instanceof Scaled s) {
      coef[0] *= s.factor();
      appendFactor(s.expr(), out, coef, zero);
    } else if (f instanceof Zero) {
      zero[0] = true;
    } else if (!(f instanceof Identity)) {
      MatrixExpr joined = out.isEmpty() ? null : cholesky(out.get(out.size() - 1), f);
      if (joined != null) {
        out.remove(out.size() - 1);
        appendFactor(joined, out, coef, zero);
      } else if (!out.isEmpty() && cancels(out.get(out.size() - 1), f)) {
        out.remove(out.size() - 1);
      } else {
        out.add(f);
      }
    }
  }

  /**
   * Returns {@code A} for {@code U^T U} and {@code A^-1} for {@code U^-1 U^-T} where {@code U} is
   * the Cholesky factor of {@code A}, else null: how a solve by a factor means a solve by A.
   */
  private static MatrixExpr cholesky(MatrixExpr a, MatrixExpr b) {
    if (a instanceof Transpose t && t.expr() instanceof Factor u
        && u.kind() == Factor.Kind.CHOLESKY && u.equals(b)) {
      return u.of();
    }
    if (a instanceof Inverse ia && ia.expr() instanceof Factor u
        && u.kind() == Factor.Kind.CHOLESKY && b instanceof Inverse ib
        && ib.expr() instanceof Transpose t && u.equals(t.expr())) {
      return inverse(u.of());
    }
    return null;
  }

  private static boolean cancels(MatrixExpr a, MatrixExpr b) {
    return (a instanceof Inverse ia && ia.expr().equals(b))
        || (b instanceof Inverse ib && ib.expr().equals(a));
  }

  static MatrixExpr sum(List<? extends MatrixExpr> terms) {
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("A sum needs at least one term.");
    }
    MatrixExpr first = requireNonNull(terms.get(0), "term");
    for (MatrixExpr t : terms) {
      requireNonNull(t, "term");
      if (!t.shape().equals(first.shape())) {
        throw new IllegalArgumentException(MatrixMessages.shapesDiffer(first, t));
      }
    }
    Map<MatrixExpr, Double> coef = new LinkedHashMap<>();
    for (MatrixExpr t : terms) {
      addTerm(t, 1, coef);
    }
    List<MatrixExpr> bases = new ArrayList<>();
    for (var e : coef.entrySet()) {
      if (e.getValue() != 0) {
        bases.add(e.getKey());
      }
    }
    if (bases.isEmpty()) {
      return new Zero(first.shape());
    }
    bases.sort(Comparator.comparing((MatrixExpr e) -> coef.get(e) < 0).thenComparing(TERM_ORDER));
    if (bases.size() == 1) {
      return scaled(coef.get(bases.get(0)), bases.get(0));
    }
    List<MatrixExpr> out = new ArrayList<>(bases.size());
    for (MatrixExpr b : bases) {
      out.add(scaled(coef.get(b), b));
    }
    return new Sum(List.copyOf(out), first.shape());
  }

  private static void addTerm(MatrixExpr t, double c, Map<MatrixExpr, Double> coef) {
    if (t instanceof Sum s) {
      for (MatrixExpr u : s.terms()) {
        addTerm(u, c, coef);
      }
    } else if (t instanceof Scaled s) {
      addTerm(s.expr(), c * s.factor(), coef);
    } else if (!(t instanceof Zero)) {
      coef.merge(t, c, Double::sum);
    }
  }

  static MatrixExpr scaled(double c, MatrixExpr x) {
    requireNonNull(x, "expr");
    if (!Double.isFinite(c)) {
      throw new IllegalArgumentException(
          "Cannot scale " + x + " by " + c + ": a scalar factor must be finite.");
    }
    if (c == 1) {
      return x;
    }
    if (c == 0 || x instanceof Zero) {
      return new Zero(x.shape());
    }
    if (x instanceof Scaled s) {
      return scaled(c * s.factor(), s.expr());
    }
    if (x instanceof Sum s) {
      List<MatrixExpr> ts = new ArrayList<>();
      for (MatrixExpr t : s.terms()) {
        ts.add(scaled(c, t));
      }
      return sum(ts);
    }
    return new Scaled(c, x);
  }

  static MatrixExpr transpose(MatrixExpr x) {
    requireNonNull(x, "expr");
    if (x instanceof Node n) {
      MatrixExpr t = n.transposed;
      if (t == null) {
        n.transposed = t = transposeUncached(x);
      }
      return t;
    }
    return transposeUncached(x);
  }

  private static MatrixExpr transposeUncached(MatrixExpr x) {
    if (x instanceof Symbol s) {
      return isSymmetricSymbol(s) ? s : new Transpose(s);
    }
    if (x instanceof Identity) {
      return x;
    }
    if (x instanceof Zero z) {
      return new Zero(z.shape().transposed());
    }
    if (x instanceof Transpose t) {
      return t.expr();
    }
    if (x instanceof Product p) {
      List<MatrixExpr> fs = p.factors();
      List<MatrixExpr> out = new ArrayList<>(fs.size());
      for (int i = fs.size() - 1; i >= 0; i--) {
        out.add(transpose(fs.get(i)));
      }
      return product(out);
    }
    if (x instanceof Sum s) {
      List<MatrixExpr> out = new ArrayList<>();
      for (MatrixExpr t : s.terms()) {
        out.add(transpose(t));
      }
      return sum(out);
    }
    if (x instanceof Scaled s) {
      return scaled(s.factor(), transpose(s.expr()));
    }
    if (x instanceof Inverse i) {
      return inverse(transpose(i.expr()));
    }
    if (x instanceof Factor) {
      return new Transpose(x);
    }
    throw new AssertionError(x);
  }

  static boolean isSymmetricSymbol(Symbol s) {
    return s.has(MatrixProperty.SYMMETRIC)
        || s.has(MatrixProperty.POSITIVE_DEFINITE)
        || (s.has(MatrixProperty.LOWER_TRIANGULAR) && s.has(MatrixProperty.UPPER_TRIANGULAR));
  }

  static MatrixExpr inverse(MatrixExpr x) {
    requireNonNull(x, "expr");
    if (!x.shape().isSquare()) {
      throw new IllegalArgumentException(MatrixMessages.notSquareInverse(x));
    }
    if (x instanceof Zero) {
      throw new IllegalArgumentException(MatrixMessages.zeroInverse(x));
    }
    if (x instanceof Identity) {
      return x;
    }
    if (x instanceof Inverse i) {
      return i.expr();
    }
    if (x instanceof Scaled s) {
      return scaled(1 / s.factor(), inverse(s.expr()));
    }
    return new Inverse(x);
  }

  static Shape factorShape(Factor.Kind kind, MatrixExpr of) {
    requireNonNull(of, "of");
    if (!of.shape().isSquare()) {
      throw new IllegalArgumentException(
          "Cannot factorize " + operand(of) + ": LAPACK's LU and Cholesky factor square matrices.");
    }
    int n = of.shape().rows();
    return switch (kind) {
      case CHOLESKY, ROW_INTERCHANGES -> Shape.of(n, n);
      case PIVOTS -> Shape.of(n, 1);
      case LU -> Shape.of(n + 1, n);
      case INFO -> Shape.of(1, 1);
    };
  }

  static void collectSymbols(MatrixExpr e, List<Symbol> out) {
    Set<Symbol> seen = new LinkedHashSet<>();
    collect(e, seen);
    out.addAll(seen);
  }

  private static void collect(MatrixExpr e, Set<Symbol> seen) {
    if (e instanceof Symbol s) {
      seen.add(s);
    }
    for (MatrixExpr c : e.children()) {
      collect(c, seen);
    }
  }

  /** Returns {@code e} with parentheses unless it prints as one token. */
  static String wrap(MatrixExpr e) {
    return e instanceof Symbol || e instanceof Identity || e instanceof Zero
            || e instanceof Transpose || e instanceof Factor || e instanceof Inverse
        ? e.toString()
        : "(" + e + ")";
  }

  /** Returns {@code X (3x4)} or {@code (A * B) (3x4)}, for messages. */
  static String operand(MatrixExpr e) {
    return wrap(e) + " (" + e.shape() + ")";
  }

  static String number(double c) {
    return c == Math.rint(c) && Math.abs(c) < 1e15 ? Long.toString((long) c) : Double.toString(c);
  }

  /**
   * The shared implementation of the compound node types: children, shape, cached hash and
   * cached {@link Expr}.
   */
  abstract static class Node {
    private final String op;
    private final List<MatrixExpr> children;
    private final Shape shape;
    private final Expr extra;
    private final int hash;
    private volatile Expr expr;
    /** Caches (benign races: every thread computes the same canonical value). */
    volatile MatrixExpr transposed;
    volatile List<MatrixExpr[]> splits;
    volatile Boolean positiveDefinite;

    Node(String op, List<MatrixExpr> children, Shape shape) {
      this(op, children, shape, null);
    }

    Node(String op, List<MatrixExpr> children, Shape shape, Expr extra) {
      this.op = op;
      this.children = List.copyOf(children);
      this.shape = shape;
      this.extra = extra;
      this.hash = (getClass().hashCode() * 31 + this.children.hashCode()) * 31
          + (extra == null ? 0 : extra.hashCode());
    }

    /** Returns the shape. */
    public Shape shape() {
      return shape;
    }

    /** Returns the direct sub-expressions, in order. */
    public List<MatrixExpr> children() {
      return children;
    }

    /** Returns the symbolic form; see {@link MatrixExpr#toExpr()}. */
    public Expr toExpr() {
      Expr e = expr;
      if (e == null) {
        List<Expr> args = new ArrayList<>(children.size() + 1);
        if (extra != null) {
          args.add(extra);
        }
        for (MatrixExpr c : children) {
          args.add(c.toExpr());
        }
        expr = e = Expr.apply(op, args);
      }
      return e;
    }

    /**
     * Returns, for a product or a sum, each way to cut it in two: {@code [left, right]} for
     * every split point of a product, {@code [term, sum of the others]} for every term of a sum.
     */
    List<MatrixExpr[]> splits() {
      List<MatrixExpr[]> s = splits;
      if (s == null) {
        List<MatrixExpr[]> out = new ArrayList<>();
        int n = children.size();
        if (this instanceof Product) {
          for (int k = 1; k < n; k++) {
            out.add(new MatrixExpr[] {product(children.subList(0, k)), product(children.subList(k, n))});
          }
        } else if (this instanceof Sum) {
          for (int i = 0; i < n; i++) {
            List<MatrixExpr> others = new ArrayList<>(children);
            others.remove(i);
            out.add(new MatrixExpr[] {children.get(i), sum(others)});
          }
        }
        splits = s = List.copyOf(out);
      }
      return s;
    }

    boolean sameExtra(Node o) {
      return true;
    }

    @Override
    public final boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      return o instanceof Node n
          && n.getClass() == getClass()
          && n.hash == hash
          && sameChildren(n.children)
          && sameExtra(n);
    }

    /** Equal children; the search compares equal values built apart a lot, so no iterators. */
    private boolean sameChildren(List<MatrixExpr> other) {
      int n = children.size();
      if (other.size() != n) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        MatrixExpr a = children.get(i);
        MatrixExpr b = other.get(i);
        if (a != b && !a.equals(b)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public final int hashCode() {
      return hash;
    }
  }
}
