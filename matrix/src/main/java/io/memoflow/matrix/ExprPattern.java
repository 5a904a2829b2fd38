package io.memoflow.matrix;

import static java.util.Objects.requireNonNull;

import io.memoflow.matrix.MatrixExpr.Inverse;
import io.memoflow.matrix.MatrixExpr.Product;
import io.memoflow.matrix.MatrixExpr.Scaled;
import io.memoflow.matrix.MatrixExpr.Sum;
import java.util.ArrayList;
import java.util.List;

/**
 * A source pattern over canonical {@link MatrixExpr}s with named wildcards, e.g. {@code
 * product(inverse(any("A")), any("B"))} for {@code A^-1 B}. A wildcard used twice must bind
 * equal expressions ({@code product(transpose(any("A")), any("A"))} is {@code A^T A}).
 *
 * <p>Matching is modulo the canonical form: a binary {@link #product} matches every split of an
 * n-ary product (so the search explores every parenthesization), a binary {@link #sum} every
 * choice of one term against the rest, {@link #transpose} matches any {@code v} by matching its
 * canonical transpose, and {@link #scaled} binds a factor of 1 when the value is not scaled.
 * Matches come in a deterministic order. Immutable and thread-safe.
 */
public sealed interface ExprPattern
    permits ExprPattern.Any,
        ExprPattern.ProductOf,
        ExprPattern.SumOf,
        ExprPattern.ScaledBy,
        ExprPattern.TransposeOf,
        ExprPattern.InverseOf {

  /** Returns a wildcard that matches any expression and binds it to {@code name}. */
  static ExprPattern any(String name) {
    return new Any(name);
  }

  /** Returns the pattern of {@code left * right}, matching every split of a product. */
  static ExprPattern product(ExprPattern left, ExprPattern right) {
    return new ProductOf(left, right);
  }

  /** Returns the pattern of {@code term + rest}, matching each term of a sum against the rest. */
  static ExprPattern sum(ExprPattern term, ExprPattern rest) {
    return new SumOf(term, rest);
  }

  /** Returns the pattern of {@code c * p} binding {@code c} to scalar {@code name} (1 if unscaled). */
  static ExprPattern scaled(String name, ExprPattern p) {
    return new ScaledBy(name, p);
  }

  /** Returns the pattern of {@code p^T}: matches {@code v} when {@code p} matches {@code v^T}. */
  static ExprPattern transpose(ExprPattern p) {
    return new TransposeOf(p);
  }

  /** Returns the pattern of {@code p^-1}. */
  static ExprPattern inverse(ExprPattern p) {
    return new InverseOf(p);
  }

  /** Returns every way this pattern matches {@code value}, in a deterministic order. */
  default List<Bindings> match(MatrixExpr value) {
    List<Bindings> out = new ArrayList<>();
    match(value, Bindings.EMPTY, out);
    return out;
  }

  /** Adds to {@code out} every extension of {@code b} under which this matches {@code value}. */
  void match(MatrixExpr value, Bindings b, List<Bindings> out);

  /**
   * Adds to {@code out} every extension of {@code b} under which {@code first} matches the first
   * part and {@code second} the second part of a split, for each split in order: the matching of
   * a binary {@link #product} or {@link #sum} against an n-ary canonical one.
   */
  private static void matchEverySplit(List<MatrixExpr[]> splits, ExprPattern first, ExprPattern second,
      Bindings b, List<Bindings> out) {
    for (MatrixExpr[] split : splits) {
      List<Bindings> firstMatches = new ArrayList<>();
      first.match(split[0], b, firstMatches);
      for (Bindings withFirst : firstMatches) {
        second.match(split[1], withFirst, out);
      }
    }
  }

  /** A wildcard; see {@link ExprPattern#any}. @param name the wildcard's name */
  record Any(String name) implements ExprPattern {
    /** @throws NullPointerException if name is null */
    public Any {
      requireNonNull(name, "name");
    }

    @Override
    public void match(MatrixExpr value, Bindings b, List<Bindings> out) {
      Bindings r = b.with(name, value);
      if (r != null) {
        out.add(r);
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** See {@link ExprPattern#product}. @param left left factor @param right right factor */
  record ProductOf(ExprPattern left, ExprPattern right) implements ExprPattern {
    /** @throws NullPointerException if a part is null */
    public ProductOf {
      requireNonNull(left, "left");
      requireNonNull(right, "right");
    }

    @Override
    public void match(MatrixExpr value, Bindings b, List<Bindings> out) {
      if (value instanceof Product p) {
        matchEverySplit(p.splits(), left, right, b, out);
      }
    }

    @Override
    public String toString() {
      return "(" + left + " * " + right + ")";
    }
  }

  /** See {@link ExprPattern#sum}. @param term one term @param rest the sum of the others */
  record SumOf(ExprPattern term, ExprPattern rest) implements ExprPattern {
    /** @throws NullPointerException if a part is null */
    public SumOf {
      requireNonNull(term, "term");
      requireNonNull(rest, "rest");
    }

    @Override
    public void match(MatrixExpr value, Bindings b, List<Bindings> out) {
      if (value instanceof Sum s) {
        matchEverySplit(s.splits(), term, rest, b, out);
      }
    }

    @Override
    public String toString() {
      return "(" + term + " + " + rest + ")";
    }
  }

  /** See {@link ExprPattern#scaled}. @param name the scalar's name @param expr the scaled pattern */
  record ScaledBy(String name, ExprPattern expr) implements ExprPattern {
    /** @throws NullPointerException if a part is null */
    public ScaledBy {
      requireNonNull(name, "name");
      requireNonNull(expr, "expr");
    }

    @Override
    public void match(MatrixExpr value, Bindings b, List<Bindings> out) {
      Bindings r = value instanceof Scaled s ? b.withScalar(name, s.factor()) : b.withScalar(name, 1);
      if (r != null) {
        expr.match(value instanceof Scaled s ? s.expr() : value, r, out);
      }
    }

    @Override
    public String toString() {
      return name + " " + expr;
    }
  }

  /** See {@link ExprPattern#transpose}. @param expr the transposed pattern */
  record TransposeOf(ExprPattern expr) implements ExprPattern {
    /** @throws NullPointerException if expr is null */
    public TransposeOf {
      requireNonNull(expr, "expr");
    }

    @Override
    public void match(MatrixExpr value, Bindings b, List<Bindings> out) {
      expr.match(value.t(), b, out);
    }

    @Override
    public String toString() {
      return expr + "^T";
    }
  }

  /** See {@link ExprPattern#inverse}. @param expr the inverted pattern */
  record InverseOf(ExprPattern expr) implements ExprPattern {
    /** @throws NullPointerException if expr is null */
    public InverseOf {
      requireNonNull(expr, "expr");
    }

    @Override
    public void match(MatrixExpr value, Bindings b, List<Bindings> out) {
      if (value instanceof Inverse i) {
        expr.match(i.expr(), b, out);
      }
    }

    @Override
    public String toString() {
      return expr + "^-1";
    }
  }
}
