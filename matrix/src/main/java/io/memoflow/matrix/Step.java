package io.memoflow.matrix;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.Computation;
import io.memoflow.dag.Expr;
import java.util.ArrayList;
import java.util.List;

/**
 * One library call chosen to compute a value: the rule that proposed it, the bindings of its
 * match, the routine, and its input and output expressions (the first output is the value).
 *
 * <p>Immutable and thread-safe.
 *
 * @param rule the proposing rule's name
 * @param bindings what the rule's pattern bound
 * @param op the routine
 * @param inputs the input expressions
 * @param outputs the output expressions, as {@link LibraryOp#outputs} gives them
 */
public record Step(
    String rule, Bindings bindings, LibraryOp op, List<MatrixExpr> inputs, List<MatrixExpr> outputs) {

  /** @throws NullPointerException if a part is null */
  public Step {
    requireNonNull(rule, "rule");
    requireNonNull(bindings, "bindings");
    requireNonNull(op, "op");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** Returns the routine's {@link LibraryOp#cost() cost}. */
  public double cost() {
    return op.cost();
  }

  /** Returns the value this step is for: its first output. */
  public MatrixExpr value() {
    return outputs.get(0);
  }

  /** Returns the computation with variables named by {@link MatrixExpr#toExpr()}. */
  public Computation computation() {
    List<Expr> in = new ArrayList<>(inputs.size());
    for (MatrixExpr e : inputs) {
      in.add(e.toExpr());
    }
    List<Expr> out = new ArrayList<>(outputs.size());
    for (MatrixExpr e : outputs) {
      out.add(e.toExpr());
    }
    return Computation.of(op, in, out);
  }

  @Override
  public String toString() {
    return (outputs.size() == 1 ? outputs.get(0).toString() : outputs.toString())
        + " = " + op.describe() + inputs + "  [" + rule + "]";
  }
}
