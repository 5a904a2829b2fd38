package io.memoflow.dag;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

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
   * builder per thread. A builder stays usable after {@link #build()}: later steps extend it,
   * and each build returns a composite of every step so far.
   */
  public static final class Builder {
    /*
     * Overview: every name maps, in one open-addressing table (NameIndex), to its expression and
     * its "ref": the slot of the step output that produced it (slots are numbered by step,
     * outputs in order), or ~d for declared input d. A step resolves its inputs to refs as it is added and
     * appends them to flat arrays (compressed rows), so build() hands a topologically ordered
     * graph to CompositeComputation without hashing a single expression: a step can only read
     * what earlier steps produced, so there is no cycle and no variable is produced twice.
     */
    private final NameIndex names = new NameIndex(512); // name -> ref and variable
    private final List<Expr> declared = new ArrayList<>();
    private final LinkedHashSet<Expr> outputs = new LinkedHashSet<>();
    private int[] outputRefs = new int[4];
    private int[] probes = new int[4]; // find() results for the pending step's output names
    private Computation[] computations = new Computation[16];
    private int[] outStart = new int[17];
    private int[] inStart = new int[17];
    private int[] inRef = new int[32];
    private int size;
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
        Expr x = Expr.symbol(requireNonNull(name, "input name"));
        int p = this.names.find(name);
        if (p >= 0) {
          throw new IllegalArgumentException(
              "Variable '" + name + "' is already " + describe(this.names.ref(p))
                  + ". Choose another name.");
        }
        this.names.add(p, name, x, ~declared.size());
        declared.add(x);
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
      int arity = operation.inputNames().size();
      if (inputs.length != arity) {
        throw new IllegalArgumentException(
            where(operation) + " takes " + arity + " inputs " + operation.inputNames()
                + " but was given " + inputs.length + ": " + Arrays.toString(inputs)
                + ". Pass one variable per input.");
      }
      int base = inStart[size];
      ensureInputs(base + arity);
      List<Expr> in;
      if (arity == 1) {
        in = List.of(resolve(operation, inputs[0], base));
      } else if (arity == 2) {
        Expr a = resolve(operation, inputs[0], base);
        in = List.of(a, resolve(operation, inputs[1], base + 1));
      } else {
        Expr[] xs = new Expr[arity];
        for (int k = 0; k < arity; k++) {
          xs[k] = resolve(operation, inputs[k], base + k);
        }
        in = List.of(xs);
      }
      pending = new Step(this, operation, in);
      return pending;
    }

    /** Returns the expression named {@code name} and writes its ref at {@code inRef[at]}. */
    private Expr resolve(Operation operation, String name, int at) {
      int p = names.find(requireNonNull(name, "input name"));
      if (p < 0) {
        throw new IllegalArgumentException(
            Messages.unknownVariable(where(operation), name, knownNames()));
      }
      inRef[at] = names.ref(p);
      return names.variable(p);
    }

    /**
     * Adds a computation built from expressions; its outputs become known by their text (e.g.
     * {@code "Min(x, y)"}). Its inputs must be known already, by their text, except constants,
     * which become graph inputs without being declared.
     *
     * @throws IllegalArgumentException if an input is unknown or an output already produced
     */
    public Builder add(Computation computation) {
      requireNonNull(computation, "computation");
      requireNoPending("add(...)");
      Operation op = computation.operation();
      List<Expr> ins = computation.inputs();
      int base = inStart[size];
      ensureInputs(base + ins.size());
      for (int k = 0; k < ins.size(); k++) {
        Expr in = ins.get(k);
        String name = in.toString();
        int p = names.find(name);
        if (p < 0 && in instanceof Expr.Constant) {
          names.add(p, name, in, ~declared.size());
          declared.add(in);
          p = names.find(name);
        }
        if (p < 0 || !names.variable(p).equals(in)) {
          throw new IllegalArgumentException(
              Messages.unknownVariable(where(op), name, knownNames()));
        }
        inRef[base + k] = names.ref(p);
      }
      List<Expr> outs = computation.outputs();
      String[] outNames = new String[outs.size()];
      for (int k = 0; k < outNames.length; k++) {
        outNames[k] = outs.get(k).toString();
        for (int j = 0; j < k; j++) {
          if (outNames[j].equals(outNames[k])) {
            throw new IllegalArgumentException(
                where(op) + ": outputs " + outs.get(j) + " and " + outs.get(k) + " are both"
                    + " written '" + outNames[k] + "', so the builder cannot name them apart."
                    + " Give them expressions that print differently.");
          }
        }
      }
      probe(outNames);
      commit(computation, outNames);
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
        int p = this.names.find(requireNonNull(name, "output name"));
        if (p < 0) {
          throw new IllegalArgumentException(
              Messages.unknownVariable("output(...)", name, knownNames()));
        }
        if (outputs.add(this.names.variable(p))) {
          if (outputs.size() > outputRefs.length) {
            outputRefs = Arrays.copyOf(outputRefs, 2 * outputRefs.length);
          }
          outputRefs[outputs.size() - 1] = this.names.ref(p);
        }
      }
      return this;
    }

    /**
     * Returns the variable known by {@code name}, for use with {@link #add}.
     *
     * @throws IllegalArgumentException if no input or step output has that name
     */
    public Expr variable(String name) {
      int p = names.find(requireNonNull(name, "name"));
      if (p < 0) {
        throw new IllegalArgumentException(
            Messages.unknownVariable("variable(...)", name, knownNames()));
      }
      return names.variable(p);
    }

    /**
     * Returns the validated composite of every step, in step order (which is topological: a
     * step reads only inputs and earlier steps' outputs).
     *
     * @throws IllegalStateException if the last step was not given output names
     * @throws IllegalArgumentException if a requested output is an input that no step reads
     */
    public CompositeComputation build() {
      requireNoPending("build()");
      return CompositeComputation.fromBuilder(
          Arrays.copyOf(computations, size),
          Arrays.copyOf(outStart, size + 1),
          Arrays.copyOf(inStart, size + 1),
          Arrays.copyOf(inRef, inStart[size]),
          List.copyOf(declared),
          Arrays.copyOf(outputRefs, outputs.size()),
          outputs);
    }

    /**
     * Probes the index for each output name into {@code probes}. Issued before the step's
     * expressions are built, so that at a million names the probes' memory accesses overlap
     * that work instead of following it.
     */
    private void probe(String[] outNames) {
      if (outNames.length > probes.length) {
        probes = new int[Math.max(outNames.length, 2 * probes.length)];
      }
      for (int j = 0; j < outNames.length; j++) {
        probes[j] = names.find(requireNonNull(outNames[j], "output name"));
      }
    }

    /**
     * Checks that the output names are new (their {@link #probe}s found nothing), then records
     * the computation. Nothing changes if a check fails.
     */
    private void commit(Computation c, String[] outNames) {
      int slot = outStart[size];
      int k = outNames.length;
      for (int j = 0; j < k; j++) {
        if (probes[j] >= 0) {
          throw alreadyKnown(c.operation(), outNames[j], names.ref(probes[j]));
        }
      }
      append(c);
      List<Expr> outs = c.outputs();
      names.add(probes[0], outNames[0], outs.get(0), slot);
      for (int j = 1; j < k; j++) {
        // Found again rather than remembered: an earlier add may have taken the free cell or
        // grown the table, and the probe's cache lines were just read.
        names.add(names.find(outNames[j]), outNames[j], outs.get(j), slot + j);
      }
    }

    private void append(Computation c) {
      if (size + 1 == computations.length) {
        int cap = 2 * computations.length;
        computations = Arrays.copyOf(computations, cap);
        outStart = Arrays.copyOf(outStart, cap + 1);
        inStart = Arrays.copyOf(inStart, cap + 1);
      }
      computations[size] = c;
      outStart[size + 1] = outStart[size] + c.outputs().size();
      inStart[size + 1] = inStart[size] + c.inputs().size();
      size++;
    }

    private void ensureInputs(int needed) {
      if (needed > inRef.length) {
        inRef = Arrays.copyOf(inRef, Math.max(needed, 2 * inRef.length));
      }
    }

    private IllegalArgumentException alreadyKnown(Operation op, String name, int ref) {
      return new IllegalArgumentException(
          where(op) + ": variable '" + name + "' is already " + describe(ref)
              + ". Choose another name.");
    }

    /** Returns "an input" or "produced by Step n (Op)" for a ref. */
    private String describe(int ref) {
      if (ref < 0) {
        return "an input";
      }
      int lo = 0, hi = size - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (outStart[mid] <= ref) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return "produced by Step " + (lo + 1) + " (" + computations[lo].operation().name() + ")";
    }

    private String where(Operation op) {
      return "Step " + (size + 1) + " (" + op.name() + ")";
    }

    private List<String> knownNames() {
      return names.names();
    }

    private void requireNoPending(String call) {
      if (pending != null) {
        String where = where(pending.operation);
        pending = null;
        throw new IllegalStateException(
            where + " has no output names: call .as(...) after step(...) before " + call + ".");
      }
    }
  }

  /**
   * A step waiting for its output names: call {@link #as} once. Not thread-safe; valid until
   * the next call on its builder.
   */
  public static final class Step {
    private final Builder builder;
    private final Operation operation;
    private final List<Expr> inputs;
    private final int number;

    private Step(Builder builder, Operation operation, List<Expr> inputs) {
      this.builder = builder;
      this.operation = operation;
      this.inputs = inputs;
      this.number = builder.size + 1;
    }

    /**
     * Names the step's outputs, one name per {@link Operation#outputNames() output}, and returns
     * the builder.
     *
     * @throws IllegalArgumentException if the count differs, a name is blank, repeated or
     *     already taken
     * @throws IllegalStateException if {@code as} was already called for this step
     */
    public Builder as(String... outputs) {
      if (builder.pending != this) {
        throw new IllegalStateException(
            "Step " + number + " (" + operation.name()
                + "): as(...) was already called for this step. Call it once per step.");
      }
      builder.pending = null;
      int k = operation.outputNames().size();
      if (outputs.length != k) {
        throw new IllegalArgumentException(
            builder.where(operation) + " has " + k + " outputs " + operation.outputNames() + " but as(...) named "
                + outputs.length + ": " + Arrays.toString(outputs) + ". Name every output.");
      }
      builder.probe(outputs);
      List<Expr> outs;
      if (k == 1) {
        outs = List.of(Expr.symbol(requireNonNull(outputs[0], "output name")));
      } else if (k == 2) {
        Expr a = Expr.symbol(requireNonNull(outputs[0], "output name"));
        Expr b = Expr.symbol(requireNonNull(outputs[1], "output name"));
        if (outputs[0].equals(outputs[1])) {
          throw new IllegalArgumentException(
              builder.where(operation) + ": output name '" + outputs[1] + "' is given twice in "
                  + Arrays.toString(outputs) + ". Give every output its own name.");
        }
        outs = List.of(a, b);
      } else {
        Expr[] xs = new Expr[k];
        for (int j = 0; j < k; j++) {
          xs[j] = Expr.symbol(requireNonNull(outputs[j], "output name"));
          for (int i = 0; i < j; i++) {
            if (outputs[i].equals(outputs[j])) {
              throw new IllegalArgumentException(
                  builder.where(operation) + ": output name '" + outputs[j] + "' is given twice in "
                      + Arrays.toString(outputs) + ". Give every output its own name.");
            }
          }
        }
        outs = List.of(xs);
      }
      builder.commit(new Computation(operation, inputs, outs), outputs);
      return builder;
    }
  }
}
