package io.memoflow.matrix;

import io.memoflow.dag.Computation;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Expr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cover of matrix expressions by library calls: the chosen {@link Step}s, their total cost and
 * the {@link CompositeComputation} they form. Variables are named by {@link MatrixExpr#toExpr()},
 * so a sub-expression used twice is one variable computed once, and the requested outputs are
 * the expressions compiled.
 *
 * <p>Immutable and thread-safe.
 */
public final class Cover {
  private final List<MatrixExpr> outputs;
  private final List<Step> steps;
  private final double cost;
  private final CompositeComputation composite;
  private final Map<Expr, MatrixExpr> meaning;

  Cover(List<MatrixExpr> outputs, List<Step> chosen, double cost) {
    this.outputs = List.copyOf(outputs);
    this.cost = cost;
    Map<Computation, Step> byComputation = new HashMap<>();
    Map<Expr, MatrixExpr> m = new HashMap<>();
    List<Computation> cs = new ArrayList<>();
    for (Step s : chosen) {
      Computation c = s.computation();
      byComputation.put(c, s);
      cs.add(c);
      for (MatrixExpr e : s.inputs()) {
        m.put(e.toExpr(), e);
      }
      for (MatrixExpr e : s.outputs()) {
        m.put(e.toExpr(), e);
      }
    }
    List<Expr> requested = new ArrayList<>();
    for (MatrixExpr o : outputs) {
      requested.add(o.toExpr());
    }
    this.composite = CompositeComputation.of(cs, requested);
    List<Step> ordered = new ArrayList<>();
    for (Computation c : composite.order()) {
      ordered.add(byComputation.get(c));
    }
    this.steps = Collections.unmodifiableList(ordered);
    this.meaning = Collections.unmodifiableMap(m);
  }

  /** Returns the compiled expressions, in the order given. */
  public List<MatrixExpr> outputs() {
    return outputs;
  }

  /** Returns the chosen steps in the composite's topological order. */
  public List<Step> steps() {
    return steps;
  }

  /** Returns the total cost: the sum of the steps' {@link LibraryOp#cost() costs}. */
  public double cost() {
    return cost;
  }

  /** Returns the composite of the steps' computations, with the outputs requested. */
  public CompositeComputation composite() {
    return composite;
  }

  /** Returns the matrix expression of every variable of the composite, by its {@code Expr}. */
  public Map<Expr, MatrixExpr> meaning() {
    return meaning;
  }

  /** Returns the names of the routines used, in order, e.g. {@code [SYRK, GEMM, POSV]}. */
  public List<String> routines() {
    List<String> out = new ArrayList<>();
    for (Step s : steps) {
      out.add(s.op().name());
    }
    return out;
  }

  /** Returns one line per step and the total cost. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Step s : steps) {
      sb.append(s).append('\n');
    }
    return sb.append("cost ").append(String.format("%.0f", cost)).append('\n').toString();
  }
}
