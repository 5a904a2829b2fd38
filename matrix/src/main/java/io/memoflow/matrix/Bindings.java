package io.memoflow.matrix;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ExprPattern} match binds: wildcard names to matrix expressions and scalar names to
 * numbers. Immutable and thread-safe; maps iterate in binding order.
 */
public final class Bindings {
  /** No bindings. */
  public static final Bindings EMPTY = new Bindings(null, null, null, Map.of());

  // Matrix bindings as a list from the newest back: a pattern tries every split of a product, so
  // binding must not copy a map each time (the map is built when asked for).
  private final String name; // the newest matrix binding; null at the root
  private final MatrixExpr expr;
  private final Bindings older;
  private final Map<String, Double> scalars;
  private volatile Map<String, MatrixExpr> matrices;

  private Bindings(String name, MatrixExpr expr, Bindings older, Map<String, Double> scalars) {
    this.name = name;
    this.expr = expr;
    this.older = older;
    this.scalars = scalars;
  }

  /** Returns the matrix bindings; an unmodifiable map. */
  public Map<String, MatrixExpr> matrices() {
    Map<String, MatrixExpr> m = matrices;
    if (m == null) {
      List<Bindings> chain = new ArrayList<>();
      for (Bindings b = this; b.name != null; b = b.older) {
        chain.add(b);
      }
      Map<String, MatrixExpr> built = new LinkedHashMap<>();
      for (int i = chain.size() - 1; i >= 0; i--) {
        built.put(chain.get(i).name, chain.get(i).expr);
      }
      matrices = m = Collections.unmodifiableMap(built);
    }
    return m;
  }

  /** Returns the scalar bindings; an unmodifiable map. */
  public Map<String, Double> scalars() {
    return scalars;
  }

  /**
   * Returns the expression bound to wildcard {@code name}.
   *
   * @throws IllegalArgumentException if the pattern has no such wildcard
   */
  public MatrixExpr matrix(String name) {
    MatrixExpr e = lookup(name);
    if (e == null) {
      throw new IllegalArgumentException(
          "No wildcard '" + name + "' was bound; bound are " + matrices().keySet()
              + ". Use a name from the rule's source pattern.");
    }
    return e;
  }

  private MatrixExpr lookup(String wildcard) {
    for (Bindings b = this; b.name != null; b = b.older) {
      if (b.name.equals(wildcard)) {
        return b.expr;
      }
    }
    return null;
  }

  /**
   * Returns the number bound to scalar {@code name}.
   *
   * @throws IllegalArgumentException if the pattern has no such scalar
   */
  public double scalar(String name) {
    Double d = scalars.get(name);
    if (d == null) {
      throw new IllegalArgumentException(
          "No scalar '" + name + "' was bound; bound are " + scalars.keySet()
              + ". Use a name from the rule's source pattern.");
    }
    return d;
  }

  /** Returns these bindings plus {@code name -> e}, or null if {@code name} is bound elsewhere. */
  Bindings with(String name, MatrixExpr e) {
    requireNonNull(e, "e");
    MatrixExpr prior = lookup(name);
    if (prior != null) {
      return prior.equals(e) ? this : null;
    }
    return new Bindings(name, e, this, scalars);
  }

  /** Returns these bindings plus {@code name -> x}, or null if {@code name} is bound elsewhere. */
  Bindings withScalar(String name, double x) {
    Double prior = scalars.get(name);
    if (prior != null) {
      return Double.compare(prior, x) == 0 ? this : null;
    }
    Map<String, Double> m = new LinkedHashMap<>(scalars);
    m.put(name, x);
    return new Bindings(this.name, expr, older, Collections.unmodifiableMap(m));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bindings b && b.matrices().equals(matrices()) && b.scalars.equals(scalars);
  }

  @Override
  public int hashCode() {
    return matrices().hashCode() * 31 + scalars.hashCode();
  }

  @Override
  public String toString() {
    return scalars.isEmpty() ? matrices().toString() : matrices() + " " + scalars;
  }
}
