package io.memoflow.reactive;

import io.memoflow.dag.Computation;
import io.memoflow.dag.Expr;
import java.time.Duration;
import java.util.List;

/** The module's user-facing message templates, kept together so tests can assert on them. */
final class Messages {
  private Messages() {}

  static String unknownInput(Expr given, List<Expr> inputs) {
    return "Input " + given + " is not an input of this composite; its inputs are " + inputs
        + ". Bind exactly those variables.";
  }

  static String nullInput(Expr input) {
    return "Input " + input + " is bound to null. Bind a value.";
  }

  static String missingInputs(List<Expr> missing, List<Expr> inputs) {
    return "Inputs " + missing + " are not bound; the composite reads " + inputs
        + ". Bind every input.";
  }

  static String firstChangeIncomplete(List<Expr> missing) {
    return "The first change must bind every input, but " + missing
        + " are missing. Start the stream with a complete binding.";
  }

  static String nodeFailed(
      String op, Computation c, List<String> inputIds, int attempt, int attempts, Throwable cause) {
    StringBuilder sb = new StringBuilder("Op '").append(op).append("' failed computing ").append(c);
    if (attempts > 1) {
      sb.append(" (attempt ").append(attempt + 1).append(" of ").append(attempts).append(')');
    }
    List<Expr> ins = c.inputs();
    sb.append(" with inputs ");
    if (ins.isEmpty()) {
      sb.append("(none)");
    }
    for (int k = 0; k < ins.size(); k++) {
      sb.append(k > 0 ? ", " : "").append(ins.get(k)).append('=').append(inputIds.get(k));
    }
    return sb.append(": ").append(cause).append(". Fix the op or its inputs; failed calls are not stored.")
        .toString();
  }

  static String timedOut(String op, Computation c, Duration timeout) {
    return "Op '" + op + "' computing " + c + " ran longer than its timeout of " + timeout
        + ". Raise RunPolicy.timeout or make the op faster.";
  }

  static String runFailed(int failed, int dependents, int total, Throwable first) {
    return "Run failed: " + failed + " of " + total + " nodes failed"
        + (dependents > 0 ? " and " + dependents + " dependents could not run" : "")
        + ". First failure: " + first.getMessage();
  }

  static String engineClosed() {
    return "The engine is closed, so this run did not start. Build a new Engine to run it.";
  }

  static String disposed() {
    return "The run was disposed before it finished. Nodes that finished are stored;"
        + " run again to continue from them.";
  }

  static String unbound(Computation c, java.util.Collection<String> bound) {
    return "Operation '" + c.operation().name() + "' of " + c + " is not bound to an Op."
        + " Bind one with Engine.builder().bind(operation, op), or bind(op) to match by name;"
        + " bound operations: " + bound + ".";
  }

  static String arity(
      String kind, io.memoflow.cache.Op op, List<String> opNames, io.memoflow.dag.Operation operation,
      List<String> operationNames) {
    return "Op '" + op.name() + "' v" + op.version() + " has " + opNames.size() + " " + kind
        + " " + opNames + " but operation '" + operation.name() + "' has "
        + operationNames.size() + " " + operationNames + ". They are matched by position:"
        + " bind an op with as many " + kind + ".";
  }

  static String noStorage() {
    return "The engine has no storage. Call storage(Storage.inMemory()) or"
        + " storage(Storage.open(dir)) on the builder.";
  }
}
