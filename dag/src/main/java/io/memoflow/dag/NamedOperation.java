package io.memoflow.dag;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** The operation built by {@link Operation#of}; equal by name, input names and output names. */
final class NamedOperation implements Operation {
  private final String name;
  private final List<String> inputNames;
  private final List<String> outputNames;
  private final Function<List<Expr>, List<Expr>> outputExprs;

  NamedOperation(
      String name,
      List<String> inputNames,
      List<String> outputNames,
      Function<List<Expr>, List<Expr>> outputExprs) {
    requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("An operation needs a non-blank name.");
    }
    this.name = name;
    this.inputNames = List.copyOf(inputNames);
    this.outputNames = List.copyOf(outputNames);
    this.outputExprs = outputExprs;
    if (this.outputNames.isEmpty()) {
      throw new IllegalArgumentException(
          "Operation '" + name + "' has no outputs. Give it at least one output name.");
    }
    checkNames("input", this.inputNames);
    checkNames("output", this.outputNames);
  }

  private void checkNames(String kind, List<String> names) {
    var seen = new HashSet<String>();
    for (String n : names) {
      if (n.isBlank() || !seen.add(n)) {
        throw new IllegalArgumentException(
            "Operation '" + name + "': " + kind + " name '" + n + "' is "
                + (n.isBlank() ? "blank" : "repeated") + " in " + names
                + ". Give every " + kind + " a distinct non-blank name.");
      }
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> inputNames() {
    return inputNames;
  }

  @Override
  public List<String> outputNames() {
    return outputNames;
  }

  @Override
  public List<Expr> outputExprs(List<? extends Expr> inputs) {
    if (outputExprs == null) {
      return Operation.super.outputExprs(inputs);
    }
    Computation.checkArity(this, "inputs", inputNames, inputs);
    List<Expr> out = List.copyOf(outputExprs.apply(List.copyOf(inputs)));
    Computation.checkArity(this, "outputs", outputNames, out);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamedOperation n
        && n.name.equals(name)
        && n.inputNames.equals(inputNames)
        && n.outputNames.equals(outputNames);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, inputNames, outputNames);
  }

  @Override
  public String toString() {
    return name;
  }
}
