package io.memoflow.dag;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * One application of an {@link Operation}: ordered input variables and ordered output
 * variables, such as {@code (Min(x, y), Max(x, y)) = MinMax(x, y)}.
 *
 * <p>Immutable and thread-safe; equal when operation, inputs and outputs are equal.
 *
 * @param operation what is computed
 * @param inputs the variables read, one per {@link Operation#inputNames() input name}
 * @param outputs the variables produced, one per {@link Operation#outputNames() output name},
 *     all distinct
 */
public record Computation(Operation operation, List<Expr> inputs, List<Expr> outputs) {

  /**
   * @throws IllegalArgumentException if the number of inputs or outputs differs from the
   *     operation's, or an output is repeated
   */
  public Computation {
    requireNonNull(operation, "operation");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    checkArity(operation, "inputs", operation.inputNames(), inputs);
    checkArity(operation, "outputs", operation.outputNames(), outputs);
    if (outputs.size() > 1 && hasRepeat(outputs)) {
      throw new IllegalArgumentException(
          "Operation '" + operation.name() + "' produces " + outputs
              + ": an output is repeated. Give every output its own variable.");
    }
  }

  private static boolean hasRepeat(List<Expr> xs) {
    if (xs.size() > 8) {
      return new HashSet<>(xs).size() != xs.size();
    }
    for (int j = 1; j < xs.size(); j++) {
      for (int i = 0; i < j; i++) {
        if (xs.get(i).equals(xs.get(j))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Returns {@code operation(inputs...)} with the outputs the operation denotes for them. */
  public static Computation of(Operation operation, Expr... inputs) {
    List<Expr> in = Arrays.asList(inputs);
    return new Computation(operation, in, operation.outputExprs(in));
  }

  /** Returns {@code operation(inputs)} with the outputs the operation denotes for them. */
  public static Computation of(Operation operation, List<? extends Expr> inputs) {
    return new Computation(operation, List.copyOf(inputs), operation.outputExprs(inputs));
  }

  /** Returns the computation with explicit output variables. */
  public static Computation of(
      Operation operation, List<? extends Expr> inputs, List<? extends Expr> outputs) {
    return new Computation(operation, List.copyOf(inputs), List.copyOf(outputs));
  }

  /** Returns the input bound to the input named {@code name}. */
  public Expr input(String name) {
    return inputs.get(indexOf("input", operation.inputNames(), name));
  }

  /** Returns the output bound to the output named {@code name}. */
  public Expr output(String name) {
    return outputs.get(indexOf("output", operation.outputNames(), name));
  }

  private int indexOf(String kind, List<String> names, String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(
          "Operation '" + operation.name() + "' has no " + kind + " named '" + name
              + "'. Its " + kind + "s are " + names + ".");
    }
    return i;
  }

  /** Returns {@code (lo, hi) = MinMax(x, y)}; one output is written without parentheses. */
  @Override
  public String toString() {
    String outs = outputs.size() == 1 ? outputs.get(0).toString() : join(outputs);
    return outs + " = " + operation.name() + join(inputs);
  }

  private static String join(List<Expr> xs) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < xs.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(xs.get(i));
    }
    return sb.append(')').toString();
  }

  static void checkArity(Operation op, String kind, List<String> names, List<?> given) {
    if (names.size() != given.size()) {
      throw new IllegalArgumentException(
          "Operation '" + op.name() + (kind.equals("inputs") ? "' takes " : "' has ") + names.size() + " " + kind + " " + names
              + " but was given " + given.size() + ": " + given
              + ". Pass exactly one per name.");
    }
  }
}
