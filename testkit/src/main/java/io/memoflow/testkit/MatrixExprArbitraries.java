package io.memoflow.testkit;

import io.memoflow.matrix.Matrix;
import io.memoflow.matrix.MatrixExpr;
import io.memoflow.matrix.MatrixExpr.Symbol;
import io.memoflow.matrix.MatrixProperty;
import io.memoflow.matrix.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of well-shaped matrix expressions whose symbols carry assumptions, and of
 * values that honour them ({@link Matrix#random}: positive definite as {@code B^T B + n I}, ...).
 * Inverses are only taken of expressions known invertible and well conditioned (positive
 * definite or triangular or full-rank symbols, Gram matrices {@code Z^T Z} of tall full-rank
 * {@code Z}, sums with a positive definite term, products of those), so results match the
 * reference to about 1e-12. Symbols are reused so expressions share sub-expressions.
 *
 * <p>Part of {@code memoflow-testkit}: add it with test scope to property-test code that
 * compiles or evaluates matrix expressions.
 */
public final class MatrixExprArbitraries {
  private MatrixExprArbitraries() {}

  /**
   * A generated problem: expressions to compile and a value for every symbol.
   *
   * @param outputs the expressions (one or two, none a leaf)
   * @param values values by symbol name
   */
  public record Problem(List<MatrixExpr> outputs, Map<String, Matrix> values) {
    @Override
    public String toString() {
      return outputs.toString();
    }
  }

  /** Returns problems of up to two expressions of depth up to 3 with dimensions 1..4. */
  public static Arbitrary<Problem> problems() {
    return problems(3, 2);
  }

  /** Returns small problems (depth up to 2, one expression) for exhaustive comparisons. */
  public static Arbitrary<Problem> smallProblems() {
    return problems(2, 1);
  }

  /**
   * Returns problems of up to {@code outputs} expressions of depth up to {@code maxDepth}. The
   * depth bound, the number of expressions and the largest dimension are drawn apart from the
   * rest, so shrinking lands on shallow expressions of few, small matrices.
   *
   * @throws IllegalArgumentException if {@code maxDepth < 1} or {@code outputs < 1}
   */
  public static Arbitrary<Problem> problems(int maxDepth, int outputs) {
    if (maxDepth < 1 || outputs < 1) {
      throw new IllegalArgumentException("A problem needs maxDepth >= 1 and outputs >= 1, not "
          + maxDepth + " and " + outputs + ".");
    }
    return Combinators.combine(
            Arbitraries.integers().between(1, maxDepth),
            Arbitraries.integers().between(1, outputs),
            Arbitraries.integers().between(1, MAX_DIM),
            Arbitraries.longs())
        .as((depth, count, dim, seed) -> new Gen(seed, dim).problem(depth, count));
  }

  private static final int MAX_DIM = 4;

  /** Returns single well-shaped expressions (symbols carry assumptions). */
  public static Arbitrary<MatrixExpr> expressions() {
    return problems(3, 1).map(p -> p.outputs().get(0));
  }

  /** A seeded generator; deterministic for a seed. */
  static final class Gen {
    private final Random rnd;
    private final int maxDim;
    private final Map<String, Symbol> symbols = new LinkedHashMap<>();

    Gen(long seed, int maxDim) {
      this.rnd = new Random(seed);
      this.maxDim = maxDim;
    }

    /** Returns {@code count} expressions of depth up to {@code depth}, with values. */
    Problem problem(int depth, int count) {
      List<MatrixExpr> outs = new ArrayList<>();
      int tries = 0;
      while (outs.size() < count) {
        MatrixExpr e = expr(Shape.of(dim(), dim()), depth);
        if (!e.isLeaf() && !outs.contains(e)) {
          outs.add(e);
        } else if (++tries > 50) {
          outs.add(symbolOf(Shape.of(2, 2), EnumSet.noneOf(MatrixProperty.class)).times(
              symbolOf(Shape.of(2, 2), EnumSet.noneOf(MatrixProperty.class))));
        }
      }
      Random values = new Random(rnd.nextLong());
      Map<String, Matrix> vs = new LinkedHashMap<>();
      for (MatrixExpr o : outs) {
        for (Symbol s : o.symbols()) {
          vs.computeIfAbsent(s.name(), n -> Matrix.random(s, values));
        }
      }
      return new Problem(List.copyOf(outs), Collections.unmodifiableMap(vs));
    }

    private int dim() {
      return 1 + rnd.nextInt(maxDim);
    }

    MatrixExpr expr(Shape s, int depth) {
      if (depth <= 0 || rnd.nextInt(5) == 0) {
        return leaf(s);
      }
      switch (rnd.nextInt(s.isSquare() ? 7 : 5)) {
        case 0:
        case 1: {
          int k = dim();
          return expr(Shape.of(s.rows(), k), depth - 1).times(expr(Shape.of(k, s.cols()), depth - 1));
        }
        case 2:
          return rnd.nextBoolean()
              ? expr(s, depth - 1).plus(expr(s, depth - 1))
              : expr(s, depth - 1).minus(expr(s, depth - 1));
        case 3:
          return expr(s, depth - 1).scale(new double[] {2, -1, 0.5, 3}[rnd.nextInt(4)]);
        case 4:
          return expr(s.transposed(), depth - 1).t();
        default:
          return invertible(s.rows(), depth - 1).inv();
      }
    }

    /** Returns a well-conditioned invertible n x n expression. */
    MatrixExpr invertible(int n, int depth) {
      int choice = rnd.nextInt(depth <= 0 ? 4 : 7);
      switch (choice) {
        case 0:
          return symbolOf(Shape.of(n, n), EnumSet.of(MatrixProperty.POSITIVE_DEFINITE));
        case 1:
          return symbolOf(Shape.of(n, n), EnumSet.of(
              rnd.nextBoolean() ? MatrixProperty.LOWER_TRIANGULAR : MatrixProperty.UPPER_TRIANGULAR));
        case 2:
          return symbolOf(Shape.of(n, n), EnumSet.of(MatrixProperty.FULL_RANK));
        case 3: {
          Symbol z = symbolOf(Shape.of(n + rnd.nextInt(3), n), EnumSet.of(MatrixProperty.FULL_RANK));
          return z.t().times(z);
        }
        case 4:
          return invertible(n, depth - 1).times(invertible(n, depth - 1));
        case 5: {
          Symbol z = symbolOf(Shape.of(dim(), n), EnumSet.noneOf(MatrixProperty.class));
          return symbolOf(Shape.of(n, n), EnumSet.of(MatrixProperty.POSITIVE_DEFINITE))
              .plus(z.t().times(z));
        }
        default:
          return invertible(n, depth - 1).t();
      }
    }

    MatrixExpr leaf(Shape s) {
      EnumSet<MatrixProperty> props = EnumSet.noneOf(MatrixProperty.class);
      int r = rnd.nextInt(s.isSquare() ? 7 : 3);
      switch (r) {
        case 0:
          props.add(MatrixProperty.FULL_RANK);
          break;
        case 3:
          props.add(MatrixProperty.SYMMETRIC);
          break;
        case 4:
          props.add(MatrixProperty.POSITIVE_DEFINITE);
          break;
        case 5:
          props.add(MatrixProperty.LOWER_TRIANGULAR);
          break;
        case 6:
          props.add(MatrixProperty.UPPER_TRIANGULAR);
          break;
        default:
          break;
      }
      Symbol sym = symbolOf(s, props);
      return rnd.nextInt(4) == 0 ? sym.t().t() : sym;
    }

    /** Returns an existing symbol of this shape and assumptions (often) or a new one. */
    Symbol symbolOf(Shape s, Set<MatrixProperty> props) {
      List<Symbol> same = new ArrayList<>();
      for (Symbol x : symbols.values()) {
        if (x.shape().equals(s) && x.assumptions().equals(props)) {
          same.add(x);
        }
      }
      if (!same.isEmpty() && rnd.nextInt(3) > 0) {
        return same.get(rnd.nextInt(same.size()));
      }
      String name = "M" + symbols.size();
      Symbol sym = MatrixExpr.symbol(name, s, props);
      symbols.put(name, sym);
      return sym;
    }
  }
}
