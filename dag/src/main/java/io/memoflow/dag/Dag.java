package io.memoflow.dag;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The entry point of the fluent builder that names variables with strings:
 *
 * <pre>{@code
 * CompositeComputation g = Dag.builder()
 *     .input("x", "y")
 *     .step(Operation.MIN_MAX, "x", "y").as("lo", "hi")
 *     .step(square, "hi").as("sq")
 *     .output("lo")
 *     .build();
 * }</pre>
 *
 * Each name becomes an {@link Expr.Symbol}. A step may only read declared inputs and variables
 * produced by earlier steps; a mistake is reported at once, with the closest known names.
 */
public final class Dag {
  private Dag() {}

  /** Returns a new, empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Collects steps and builds a validated {@link CompositeComputation}. Not thread-safe; use one
   * builder per thread.
   */
  public static final class Builder {
    private final Map<String, Expr> known = new HashMap<>();
    private final Map<Expr, String> producedBy = new HashMap<>();
    private final List<Computation> computations = new ArrayList<>();
    private final LinkedHashSet<Expr> outputs = new LinkedHashSet<>();
    private Step pending;

    private Builder() {}

    /**
     * Declares graph inputs.
     *
     * @throws IllegalArgumentException if a name is already an input or produced by a step
     */
    public Builder input(String... names) {
      requireNoPending("input(...)");
      for (String name : names) {
        Expr x = Expr.symbol(name);
        if (known.putIfAbsent(name, x) != null) {
          throw new IllegalArgumentException(
              "Variable '" + name + "' is already "
                  + (producedBy.containsKey(x) ? "produced by " + producedBy.get(x) : "an input")
                  + ". Choose another name.");
        }
      }
      return this;
    }

    /**
     * Starts a step applying {@code operation} to the named variables; name its outputs with
     * {@link Step#as}.
     *
     * @throws IllegalArgumentException if a name is unknown (the message suggests close ones)
     *     or the number of inputs differs from the operation's
     */
    public Step step(Operation operation, String... inputs) {
      requireNonNull(operation, "operation");
      requireNoPending("step(...)");
      String where = "Step " + (computations.size() + 1) + " (" + operation.name() + ")";
      List<Expr> in = new ArrayList<>(inputs.length);
      for (String name : inputs) {
        Expr x = known.get(requireNonNull(name, "input name"));
        if (x == null) {
          throw new IllegalArgumentException(Messages.unknownVariable(where, name, known.keySet()));
        }
        in.add(x);
      }
      if (in.size() != operation.inputNames().size()) {
        throw new IllegalArgumentException(
            where + " takes " + operation.inputNames().size() + " inputs "
                + operation.inputNames() + " but was given " + in.size() + ": "
                + List.of(inputs) + ". Pass one variable per input.");
      }
      pending = new Step(this, operation, in, where);
      return pending;
    }

    /**
     * Adds a computation built from expressions; its outputs become known by their text (e.g.
     * {@code "Min(x, y)"}), and its inputs must be known already.
     *
     * @throws IllegalArgumentException if an input is unknown or an output already produced
     */
    public Builder add(Computation computation) {
      requireNonNull(computation, "computation");
      requireNoPending("add(...)");
      String where =
          "Step " + (computations.size() + 1) + " (" + computation.operation().name() + ")";
      for (Expr in : computation.inputs()) {
        if (!known.containsKey(in.toString())) {
          throw new IllegalArgumentException(
              Messages.unknownVariable(where, in.toString(), known.keySet()));
        }
      }
      register(computation, where);
      return this;
    }

    /**
     * Requests named variables as outputs even if later steps read them.
     *
     * @throws IllegalArgumentException if a name is unknown
     */
    public Builder output(String... names) {
      requireNoPending("output(...)");
      for (String name : names) {
        Expr x = known.get(requireNonNull(name, "output name"));
        if (x == null) {
          throw new IllegalArgumentException(
              Messages.unknownVariable("output(...)", name, known.keySet()));
        }
        outputs.add(x);
      }
      return this;
    }

    /** Returns the variable known by {@code name}, for use with {@link #add}. */
    public Expr variable(String name) {
      Expr x = known.get(name);
      if (x == null) {
        throw new IllegalArgumentException(
            Messages.unknownVariable("variable(...)", name, known.keySet()));
      }
      return x;
    }

    /**
     * Returns the validated composite of every step.
     *
     * @throws IllegalStateException if the last step was not given output names
     */
    public CompositeComputation build() {
      requireNoPending("build()");
      return CompositeComputation.of(computations, outputs);
    }

    private void register(Computation c, String where) {
      for (Expr out : c.outputs()) {
        String name = out.toString();
        if (known.containsKey(name)) {
          Expr prior = known.get(name);
          String by = producedBy.get(prior);
          throw new IllegalArgumentException(
              where + ": variable '" + name + "' is already "
                  + (by == null ? "an input" : "produced by " + by)
                  + ". Choose another name.");
        }
      }
      for (Expr out : c.outputs()) {
        known.put(out.toString(), out);
        producedBy.put(out, where);
      }
      computations.add(c);
    }

    private void requireNoPending(String call) {
      if (pending != null) {
        String where = pending.where;
        pending = null;
        throw new IllegalStateException(
            where + " has no output names: call .as(...) after step(...) before " + call + ".");
      }
    }
  }

  /** A step waiting for its output names. */
  public static final class Step {
    private final Builder builder;
    private final Operation operation;
    private final List<Expr> inputs;
    private final String where;

    private Step(Builder builder, Operation operation, List<Expr> inputs, String where) {
      this.builder = builder;
      this.operation = operation;
      this.inputs = inputs;
      this.where = where;
    }

    /**
     * Names the step's outputs, one name per {@link Operation#outputNames() output}, and returns
     * the builder.
     *
     * @throws IllegalArgumentException if the count differs or a name is already taken
     */
    public Builder as(String... outputs) {
      if (builder.pending != this) {
        throw new IllegalStateException(where + ": as(...) was already called for this step.");
      }
      builder.pending = null;
      if (outputs.length != operation.outputNames().size()) {
        throw new IllegalArgumentException(
            where + " has " + operation.outputNames().size() + " outputs "
                + operation.outputNames() + " but as(...) named " + outputs.length + ": "
                + List.of(outputs) + ". Name every output.");
      }
      List<Expr> outs = new ArrayList<>(outputs.length);
      for (String o : outputs) {
        outs.add(Expr.symbol(o));
      }
      builder.register(new Computation(operation, inputs, outs), where);
      return builder;
    }
  }
}
