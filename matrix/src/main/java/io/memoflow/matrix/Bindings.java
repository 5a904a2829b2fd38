package io.memoflow.matrix;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link ExprPattern} match binds: wildcard names to matrix expressions and scalar names to
 * numbers. Immutable and thread-safe; maps iterate in binding order.
 */
public final class Bindings {
  /** No bindings. */
  public static final Bindings EMPTY = new Bindings(Map.of(), Map.of());

  private final Map<String, MatrixExpr> matrices;
  private final Map<String, Double> scalars;

  private Bindings(Map<String, MatrixExpr> matrices, Map<String, Double> scalars) {
    this.matrices = matrices;
    this.scalars = scalars;
  }

  /** Returns the matrix bindings; an unmodifiable map. */
  public Map<String, MatrixExpr> matrices() {
    return matrices;
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
    MatrixExpr e = matrices.get(name);
    if (e == null) {
      throw new IllegalArgumentException(
          "No wildcard '" + name + "' was bound; bound are " + matrices.keySet()
              + ". Use a name from the rule's source pattern.");
    }
    return e;
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
    MatrixExpr prior = matrices.get(name);
    if (prior != null) {
      return prior.equals(e) ? this : null;
    }
    Map<String, MatrixExpr> m = new LinkedHashMap<>(matrices);
    m.put(name, e);
    return new Bindings(Collections.unmodifiableMap(m), scalars);
  }

  /** Returns these bindings plus {@code name -> x}, or null if {@code name} is bound elsewhere. */
  Bindings withScalar(String name, double x) {
    Double prior = scalars.get(name);
    if (prior != null) {
      return Double.compare(prior, x) == 0 ? this : null;
    }
    Map<String, Double> m = new LinkedHashMap<>(scalars);
    m.put(name, x);
    return new Bindings(matrices, Collections.unmodifiableMap(m));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bindings b && b.matrices.equals(matrices) && b.scalars.equals(scalars);
  }

  @Override
  public int hashCode() {
    return matrices.hashCode() * 31 + scalars.hashCode();
  }

  @Override
  public String toString() {
    return scalars.isEmpty() ? matrices.toString() : matrices + " " + scalars;
  }
}
