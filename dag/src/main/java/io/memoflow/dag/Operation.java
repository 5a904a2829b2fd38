package io.memoflow.dag;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An operation of a computation DAG: a name, ordered input names, ordered output names, and
 * the symbolic expressions its outputs denote for given inputs.
 *
 * <p>An operation may have several outputs: {@link #MIN_MAX} takes {@code (x, y)} and produces
 * {@code Min(x, y)} and {@code Max(x, y)}. Operations that write results over their inputs
 * (BLAS {@code GEMM} overwrites {@code C}) say so through {@link #overwrites()}, which the
 * in-place planner reads.
 *
 * <p>Implementations must be immutable and thread-safe, and equal when they denote the same
 * operation. Those built by {@link #of} are equal when name, input names and output names are.
 */
public interface Operation {

  /**
   * {@code MinMax(x, y) -> (Min(x, y), Max(x, y))}: the canonical operation with several
   * outputs.
   */
  Operation MIN_MAX =
      of(
          "MinMax",
          List.of("x", "y"),
          List.of("min", "max"),
          in -> List.of(Expr.apply("Min", in), Expr.apply("Max", in)));

  /** Returns the operation's name, e.g. {@code "MinMax"}. */
  String name();

  /** Returns the names of the inputs, in order; an immutable list. */
  List<String> inputNames();

  /** Returns the names of the outputs, in order; an immutable list with at least one name. */
  List<String> outputNames();

  /**
   * Returns the expressions this operation's outputs denote when applied to {@code inputs}.
   * The default is {@code name(inputs)} for one output and {@code outputName(inputs)} for each
   * of several outputs.
   *
   * @throws IllegalArgumentException if {@code inputs} has the wrong size
   */
  default List<Expr> outputExprs(List<? extends Expr> inputs) {
    Computation.checkArity(this, "inputs", inputNames(), inputs);
    if (outputNames().size() == 1) {
      return List.of(Expr.apply(name(), inputs));
    }
    return outputNames().stream().<Expr>map(o -> Expr.apply(o, inputs)).toList();
  }

  /**
   * Returns which outputs may be written over which inputs, as output index to input index
   * (GEMM: {@code {0: 2}}, its result over {@code C}). Empty by default: nothing in place.
   */
  default Map<Integer, Integer> overwrites() {
    return Map.of();
  }

  /**
   * Returns an operation whose outputs denote {@code name(inputs)} (one output) or {@code
   * outputName(inputs)} (several outputs).
   *
   * @throws IllegalArgumentException if a name is blank or repeated, or there are no outputs
   */
  static Operation of(String name, List<String> inputNames, List<String> outputNames) {
    return new NamedOperation(name, inputNames, outputNames, null);
  }

  /**
   * Returns an operation whose output expressions are computed by {@code outputExprs} from the
   * input expressions; it must return one expression per output name.
   *
   * @throws IllegalArgumentException if a name is blank or repeated, or there are no outputs
   */
  static Operation of(
      String name,
      List<String> inputNames,
      List<String> outputNames,
      Function<List<Expr>, List<Expr>> outputExprs) {
    return new NamedOperation(name, inputNames, outputNames, outputExprs);
  }
}
