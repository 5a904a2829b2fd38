package io.memoflow.matrix;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.Expr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable matrix expression with a {@link #shape() shape}: symbols, identity, zero,
 * products, sums, scalar multiples, transposes, inverses, and the factors LAPACK leaves behind
 * ({@link Factor}).
 *
 * <p>Expressions are built only through the factories here ({@link #symbol}, {@link #times},
 * {@link #plus}, {@link #t}, {@link #inv}, ...), which keep them in a <b>canonical form</b>, so
 * that equal expressions are {@code equals}:
 *
 * <ul>
 *   <li>products and sums are flattened; identities leave products, zeros leave sums, a zero
 *       factor makes the product zero, {@code A * A^-1} cancels;
 *   <li>scalars move out of products and into sums ({@code 2 (A + B) = 2 A + 2 B}); equal
 *       terms of a sum are collected ({@code A + A = 2 A}) and terms are ordered (sums
 *       commute);
 *   <li>transposes are pushed down to symbols ({@code (A B)^T = B^T A^T}) and vanish on
 *       symmetric symbols, so {@code (X^T X)^T} is {@code X^T X};
 *   <li>{@code (A^-1)^-1 = A}, {@code (c A)^-1 = (1/c) A^-1}, {@code I^-1 = I}.
 * </ul>
 *
 * <p>Every factory checks shapes and reports a mismatch with both operands, e.g. {@code
 * X (3x4) * Y (5x2): inner dimensions differ}. {@link #toExpr()} maps an expression to the
 * {@link Expr} that names it as a variable of a composite ({@code Mul(Transpose(X), X)}).
 *
 * <p>Thread-safe; no method accepts or returns null.
 */
public sealed interface MatrixExpr
    permits MatrixExpr.Symbol,
        MatrixExpr.Identity,
        MatrixExpr.Zero,
        MatrixExpr.Product,
        MatrixExpr.Sum,
        MatrixExpr.Scaled,
        MatrixExpr.Transpose,
        MatrixExpr.Inverse,
        MatrixExpr.Factor {

  /** Returns the shape. */
  Shape shape();

  /**
   * Returns the symbolic {@link Expr} naming this expression as a variable: {@code X}, {@code
   * Mul(Transpose(X), X)}, {@code Add(R, Mul(H, Sigma, Transpose(H)))}, {@code Scale(-1.0, d)},
   * {@code Inverse(S)}, {@code Identity(3)}, {@code Zero(3, 4)}, {@code Cholesky(S)}. Equal
   * expressions give equal (and equally hashed) {@code Expr}s.
   */
  Expr toExpr();

  // ------------------------------------------------------------------ factories

  /**
   * Returns a symbol with a shape and assumptions.
   *
   * @throws IllegalArgumentException if an assumption needs a square matrix and the shape is
   *     not square, or the name is blank
   */
  static Symbol symbol(String name, int rows, int cols, MatrixProperty... assumptions) {
    return new Symbol(name, Shape.of(rows, cols), Set.of(assumptions));
  }

  /** Returns a symbol; see {@link #symbol(String, int, int, MatrixProperty...)}. */
  static Symbol symbol(String name, Shape shape, Set<MatrixProperty> assumptions) {
    return new Symbol(name, shape, assumptions);
  }

  /** Returns the {@code n x n} identity. */
  static Identity identity(int n) {
    return new Identity(n);
  }

  /** Returns the {@code rows x cols} zero matrix. */
  static Zero zero(int rows, int cols) {
    return new Zero(Shape.of(rows, cols));
  }

  /**
   * Returns the canonical product of the factors, left to right.
   *
   * @throws IllegalArgumentException if neighbouring inner dimensions differ, or no factor is
   *     given
   */
  static MatrixExpr product(MatrixExpr... factors) {
    return Canonical.product(Arrays.asList(factors));
  }

  /** Returns the canonical product of the factors; see {@link #product(MatrixExpr...)}. */
  static MatrixExpr product(List<? extends MatrixExpr> factors) {
    return Canonical.product(factors);
  }

  /**
   * Returns the canonical sum of the terms.
   *
   * @throws IllegalArgumentException if two shapes differ, or no term is given
   */
  static MatrixExpr sum(MatrixExpr... terms) {
    return Canonical.sum(Arrays.asList(terms));
  }

  /** Returns the canonical sum of the terms; see {@link #sum(MatrixExpr...)}. */
  static MatrixExpr sum(List<? extends MatrixExpr> terms) {
    return Canonical.sum(terms);
  }

  /**
   * Returns the Cholesky factor LAPACK's {@code POSV} leaves behind: the upper
   * triangular {@code U} with {@code U^T U = a} (zero below the diagonal).
   *
   * @throws IllegalArgumentException if {@code a} is not square
   */
  static Factor cholesky(MatrixExpr a) {
    return new Factor(Factor.Kind.CHOLESKY, a);
  }

  /**
   * Returns the LU factorization of {@code a} with partial pivoting as {@code GETRF} leaves it,
   * packed in one {@code (n+1) x n} buffer: {@code L} (unit diagonal, below) and {@code U} in
   * rows 1..n (leading dimension n+1), the 1-based pivots in row n+1.
   *
   * @throws IllegalArgumentException if {@code a} is not square
   */
  static Factor lu(MatrixExpr a) {
    return new Factor(Factor.Kind.LU, a);
  }

  /** Returns the pivot indices ({@code n x 1}, 1-based) of the LU factorization of {@code a}. */
  static Factor pivots(MatrixExpr a) {
    return new Factor(Factor.Kind.PIVOTS, a);
  }

  /** Returns LAPACK's {@code info} code ({@code 1 x 1}) of factorizing {@code a}. */
  static Factor info(MatrixExpr a) {
    return new Factor(Factor.Kind.INFO, a);
  }

  /**
   * Returns the row interchanges {@code Q} of the LU factorization with partial pivoting of
   * {@code a} ({@code Q a = L U}), as {@code LASWP} applies them.
   */
  static Factor rowInterchanges(MatrixExpr a) {
    return new Factor(Factor.Kind.ROW_INTERCHANGES, a);
  }

  // ------------------------------------------------------------------ operators

  /**
   * Returns {@code this * other}.
   *
   * @throws IllegalArgumentException if the inner dimensions differ
   */
  default MatrixExpr times(MatrixExpr other) {
    return Canonical.product(List.of(this, other));
  }

  /**
   * Returns {@code this + other}.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  default MatrixExpr plus(MatrixExpr other) {
    return Canonical.sum(List.of(this, other));
  }

  /**
   * Returns {@code this - other}.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  default MatrixExpr minus(MatrixExpr other) {
    return Canonical.sum(List.of(this, Canonical.scaled(-1, other)));
  }

  /** Returns {@code factor * this}. */
  default MatrixExpr scale(double factor) {
    return Canonical.scaled(factor, this);
  }

  /** Returns the transpose {@code this^T}. */
  default MatrixExpr t() {
    return Canonical.transpose(this);
  }

  /**
   * Returns the inverse {@code this^-1}.
   *
   * @throws IllegalArgumentException if this is not square, or is zero
   */
  default MatrixExpr inv() {
    return Canonical.inverse(this);
  }

  /** Returns the direct sub-expressions, in order. */
  List<MatrixExpr> children();

  /** Returns whether this is a value the caller supplies: a symbol, an identity or a zero. */
  default boolean isLeaf() {
    return this instanceof Symbol || this instanceof Identity || this instanceof Zero;
  }

  /** Returns the symbols in this expression, in first-occurrence order. */
  default List<Symbol> symbols() {
    List<Symbol> out = new ArrayList<>();
    Canonical.collectSymbols(this, out);
    return Collections.unmodifiableList(out);
  }

  // ------------------------------------------------------------------ node types

  /** A named matrix with a shape and assumptions; equal when name, shape and assumptions are. */
  final class Symbol implements MatrixExpr {
    private final String name;
    private final Shape shape;
    private final Set<MatrixProperty> assumptions;
    private final Expr expr;

    Symbol(String name, Shape shape, Set<MatrixProperty> assumptions) {
      requireNonNull(name, "name");
      requireNonNull(shape, "shape");
      this.expr = Expr.symbol(name); // rejects a blank name
      this.name = name;
      this.shape = shape;
      EnumSet<MatrixProperty> props = EnumSet.noneOf(MatrixProperty.class);
      props.addAll(assumptions);
      for (MatrixProperty p : props) {
        if (p.needsSquare() && !shape.isSquare()) {
          throw new IllegalArgumentException(MatrixMessages.notSquareAssumption(name, shape, p));
        }
      }
      this.assumptions = Collections.unmodifiableSet(props);
    }

    /** Returns the name. */
    public String name() {
      return name;
    }

    /** Returns the assumptions, in declaration order of {@link MatrixProperty}. */
    public Set<MatrixProperty> assumptions() {
      return assumptions;
    }

    /** Returns whether this symbol carries assumption {@code p}. */
    public boolean has(MatrixProperty p) {
      return assumptions.contains(p);
    }

    @Override
    public Shape shape() {
      return shape;
    }

    @Override
    public Expr toExpr() {
      return expr;
    }

    @Override
    public List<MatrixExpr> children() {
      return List.of();
    }

    /** Returns the symbol with its shape and assumptions, e.g. {@code S (3x3) [POSITIVE_DEFINITE]}. */
    public String describe() {
      return name + " (" + shape + ")" + (assumptions.isEmpty() ? "" : " " + assumptions);
    }

    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Symbol s
          && s.name.equals(name)
          && s.shape.equals(shape)
          && s.assumptions.equals(assumptions);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + shape.hashCode();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** The {@code n x n} identity; variable name {@code Identity(n)}. */
  record Identity(int n) implements MatrixExpr {
    /** @throws IllegalArgumentException if {@code n < 1} */
    public Identity {
      Shape.of(n, n);
    }

    @Override
    public Shape shape() {
      return Shape.of(n, n);
    }

    @Override
    public Expr toExpr() {
      return Expr.apply("Identity", Expr.constant(n));
    }

    @Override
    public List<MatrixExpr> children() {
      return List.of();
    }

    @Override
    public String toString() {
      return "I" + n;
    }
  }

  /** The zero matrix of a shape; variable name {@code Zero(rows, cols)}. */
  record Zero(Shape shape) implements MatrixExpr {
    /** @throws NullPointerException if {@code shape} is null */
    public Zero {
      requireNonNull(shape, "shape");
    }

    @Override
    public Expr toExpr() {
      return Expr.apply("Zero", Expr.constant(shape.rows()), Expr.constant(shape.cols()));
    }

    @Override
    public List<MatrixExpr> children() {
      return List.of();
    }

    @Override
    public String toString() {
      return "0(" + shape + ")";
    }
  }

  /** A canonical product of at least two factors, none a product, scaled, identity or zero. */
  final class Product extends Canonical.Node implements MatrixExpr {
    Product(List<MatrixExpr> factors, Shape shape) {
      super("Mul", factors, shape);
    }

    /** Returns the factors, left to right. */
    public List<MatrixExpr> factors() {
      return children();
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (MatrixExpr f : children()) {
        if (sb.length() > 0) {
          sb.append(" * ");
        }
        sb.append(f instanceof Sum ? "(" + f + ")" : f.toString());
      }
      return sb.toString();
    }
  }

  /**
   * A canonical sum of at least two terms, ordered; each term is a non-sum expression,
   * possibly {@link Scaled}.
   */
  final class Sum extends Canonical.Node implements MatrixExpr {
    Sum(List<MatrixExpr> terms, Shape shape) {
      super("Add", terms, shape);
    }

    /** Returns the terms in canonical order. */
    public List<MatrixExpr> terms() {
      return children();
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (MatrixExpr t : children()) {
        String s = t.toString();
        if (sb.length() == 0) {
          sb.append(s);
        } else if (s.startsWith("-")) {
          sb.append(" - ").append(s.substring(1));
        } else {
          sb.append(" + ").append(s);
        }
      }
      return sb.toString();
    }
  }

  /** {@code factor * expr}, with {@code factor} not 0 or 1 and {@code expr} not a sum or scaled. */
  final class Scaled extends Canonical.Node implements MatrixExpr {
    private final double factor;

    Scaled(double factor, MatrixExpr expr) {
      super("Scale", List.of(expr), expr.shape(), Expr.constant(factor));
      this.factor = factor;
    }

    /** Returns the scalar factor. */
    public double factor() {
      return factor;
    }

    /** Returns the scaled expression. */
    public MatrixExpr expr() {
      return children().get(0);
    }

    @Override
    boolean sameExtra(Canonical.Node o) {
      return Double.compare(((Scaled) o).factor, factor) == 0;
    }

    @Override
    public String toString() {
      String inner = expr() instanceof Product ? expr().toString() : Canonical.wrap(expr());
      return factor == -1 ? "-" + inner : Canonical.number(factor) + " * " + inner;
    }
  }

  /** The transpose of a non-symmetric symbol or a factor (transposes are pushed down). */
  final class Transpose extends Canonical.Node implements MatrixExpr {
    Transpose(MatrixExpr expr) {
      super("Transpose", List.of(expr), expr.shape().transposed());
    }

    /** Returns the transposed expression. */
    public MatrixExpr expr() {
      return children().get(0);
    }

    @Override
    public String toString() {
      return Canonical.wrap(expr()) + "^T";
    }
  }

  /** The inverse of a square expression. */
  final class Inverse extends Canonical.Node implements MatrixExpr {
    Inverse(MatrixExpr expr) {
      super("Inverse", List.of(expr), expr.shape());
    }

    /** Returns the inverted expression. */
    public MatrixExpr expr() {
      return children().get(0);
    }

    @Override
    public String toString() {
      return Canonical.wrap(expr()) + "^-1";
    }
  }

  /**
   * A factorization of a square matrix, or a by-product of one: its Cholesky factor, its packed
   * LU factors, its LU pivots or its {@code info} code. Only library computations produce
   * factors; {@code POTRF} and {@code GETRF} compute them as values that several solves read.
   */
  final class Factor extends Canonical.Node implements MatrixExpr {
    /** Which by-product. */
    public enum Kind {
      /** Upper triangular {@code U} with {@code U^T U = A}, zero below the diagonal. */
      CHOLESKY,
      /** The {@code n x 1} pivot indices of {@code A = P L U}, 1-based, as doubles. */
      PIVOTS,
      /** {@code L}, {@code U} and the pivots of {@code A = P L U} in one {@code (n+1) x n} buffer. */
      LU,
      /** The {@code 1 x 1} LAPACK {@code info} code, 0 on success. */
      INFO,
      /** The permutation {@code Q} with {@code Q A = L U}; never materialized. */
      ROW_INTERCHANGES
    }

    private final Kind kind;

    Factor(Kind kind, MatrixExpr of) {
      super(
          switch (kind) {
            case CHOLESKY -> "Cholesky";
            case PIVOTS -> "Pivots";
            case LU -> "LU";
            case INFO -> "Info";
            case ROW_INTERCHANGES -> "RowInterchanges";
          },
          List.of(of),
          Canonical.factorShape(kind, of));
      this.kind = kind;
    }

    /** Returns which by-product this is. */
    public Kind kind() {
      return kind;
    }

    /** Returns the factorized matrix. */
    public MatrixExpr of() {
      return children().get(0);
    }

    @Override
    boolean sameExtra(Canonical.Node o) {
      return ((Factor) o).kind == kind;
    }

    @Override
    public String toString() {
      return toExpr().toString();
    }
  }
}
