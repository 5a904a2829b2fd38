package io.memoflow.examples;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import io.memoflow.dag.rewrite.GraphRewrite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A user's own graph rewrite, as a sample of property-testing one with {@code memoflow-testkit}
 * ({@code ConstantFoldingTest}): constant folding over integer arithmetic. A computation whose
 * inputs are all constants is evaluated now, and its readers read the results as constants;
 * a computation that makes an output of the composite stays (its inputs folded), so the
 * composite keeps every output it had.
 */
public final class ConstantFolding {
  private ConstantFolding() {}

  /** {@code Add(a, b) -> sum}. */
  public static final Operation ADD = Operation.of("Add", List.of("a", "b"), List.of("sum"));
  /** {@code Sub(a, b) -> diff}: {@code a - b}. */
  public static final Operation SUB = Operation.of("Sub", List.of("a", "b"), List.of("diff"));
  /** {@code Mul(a, b) -> prod}. */
  public static final Operation MUL = Operation.of("Mul", List.of("a", "b"), List.of("prod"));
  /** {@code Neg(x) -> neg}. */
  public static final Operation NEG = Operation.of("Neg", List.of("x"), List.of("neg"));

  /** The four operations of the arithmetic. */
  public static final List<Operation> OPERATIONS = List.of(ADD, SUB, MUL, NEG);

  /**
   * Evaluates one computation of the arithmetic on {@code Long}s (Java's wrapping arithmetic).
   *
   * @throws IllegalArgumentException if its operation is not one of {@link #OPERATIONS}
   */
  public static List<Long> evaluate(Computation c, List<Long> in) {
    Operation op = c.operation();
    long r;
    if (op.equals(ADD)) {
      r = in.get(0) + in.get(1);
    } else if (op.equals(SUB)) {
      r = in.get(0) - in.get(1);
    } else if (op.equals(MUL)) {
      r = in.get(0) * in.get(1);
    } else if (op.equals(NEG)) {
      r = -in.get(0);
    } else {
      throw new IllegalArgumentException("Constant folding knows Add, Sub, Mul and Neg, not "
          + op.name() + " (in " + c + ").");
    }
    return List.of(r);
  }

  /** Returns the rewrite that folds constants with {@link #evaluate}. */
  public static GraphRewrite rewrite() {
    return using(ConstantFolding::evaluate);
  }

  /**
   * Returns the rewrite that folds constants, computing a folded computation's outputs with
   * {@code evaluator} (the tests pass a wrong one to see the laws catch it).
   */
  public static GraphRewrite using(BiFunction<Computation, List<Long>, List<Long>> evaluator) {
    requireNonNull(evaluator, "evaluator");
    return GraphRewrite.of("fold-constants", g -> fold(g, evaluator));
  }

  private static CompositeComputation fold(CompositeComputation g,
      BiFunction<Computation, List<Long>, List<Long>> evaluator) {
    Set<Expr> kept = new HashSet<>(g.outputs());
    Map<Expr, Expr> known = new HashMap<>();
    List<Computation> out = new ArrayList<>();
    boolean changed = false;
    for (Computation c : g.order()) {
      List<Expr> ins = new ArrayList<>();
      List<Long> values = new ArrayList<>();
      for (Expr x : c.inputs()) {
        Expr y = known.getOrDefault(x, x);
        ins.add(y);
        if (y instanceof Expr.Constant k && k.value() instanceof Long v) {
          values.add(v);
        }
      }
      changed |= !ins.equals(c.inputs());
      boolean foldable = values.size() == ins.size() && OPERATIONS.contains(c.operation());
      if (foldable && c.outputs().stream().noneMatch(kept::contains)) {
        List<Long> results = evaluator.apply(c, values);
        for (int k = 0; k < results.size(); k++) {
          known.put(c.outputs().get(k), Expr.constant(results.get(k)));
        }
        changed = true;
        continue;
      }
      out.add(ins.equals(c.inputs()) ? c : Computation.of(c.operation(), ins, c.outputs()));
    }
    return changed ? CompositeComputation.of(out, g.requestedOutputs()) : g;
  }
}
