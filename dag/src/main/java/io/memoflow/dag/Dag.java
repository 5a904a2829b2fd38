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

  /** Returns "Step n (Op)", how messages name a step. */
  private static String where(Operation op, int number) {
    return "Step " + number + " (" + op.name() + ")";
  }

  /** Returns a new, empty builder that checks each step as it is added. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Collects steps and builds a validated {@link CompositeComputation}. Not thread-safe; use one
   * builder per thread. A builder stays usable after {@link #build()}: later steps extend it,
   * and each build returns a composite of every step so far.
   *
   * <p>By default each step is checked as it is added: an unknown input name throws from {@code
   * step(...)}, a taken output name from {@code as(...)}, and a failed step leaves the builder
   * as it was. {@link #checkInBatches()} defers the name checks of 64 steps at a time, which
   * is faster for large generated graphs; see there for when errors are reported and what
   * the builder keeps.
   */
  public static final class Builder {
    /*
     * Overview: every name maps, in one open-addressing table (NameIndex), to its expression and
     * its "ref": the slot of the step output that produced it (slots are numbered by step,
     * outputs in order), or ~d for declared input d. A step resolves its inputs to refs and
     * appends them to flat arrays (compressed rows), so build() hands a topologically ordered
     * graph to CompositeComputation without hashing a single expression: a step can only read
     * what earlier steps produced, so there is no cycle and no variable is produced twice.
     *
     * Steps whose names are not yet looked up wait in a batch (bOp, bStart, bName, bOut): step j
     * of the batch has names bName[bStart[j] .. bStart[j + 1]), its inputs first, then its
     * outputs, whose symbols are in bOut at the same positions. Names are looked up in three
     * passes over the batch (NameIndex.touch reads every name's hash, then every name's cell;
     * then flush resolves and commits the steps in order), so that at a million names the cache
     * misses of the first two passes overlap instead of following one another. The eager
     * builder is the same machinery with a batch of one step, whose inputs are touched and
     * resolved by step(...) and whose outputs are touched and committed by as(...).
     */
    /**
     * Steps per batch in batched mode. Measured at a million steps, batches of 16 to 64 steps
     * were fastest; at a few hundred, the batch's scattered reads no longer stay in the
     * processor's caches and address translation buffers until the batch is committed.
     */
    static final int BATCH_STEPS = 64;

    private final NameIndex names = new NameIndex(512); // name -> ref and variable
    private final List<Expr> declared = new ArrayList<>();
    private final LinkedHashSet<Expr> outputs = new LinkedHashSet<>();
    private int[] outputRefs = new int[4];
    private Computation[] computations = new Computation[16];
    private int[] outStart = new int[17];
    private int[] inStart = new int[17];
    private int[] inRef = new int[32];
    private int size;
    private Step pending;

    private int batchSteps; // steps checked together; 0 = eager: each step as it is added
    private Operation[] bOp = new Operation[1];
    private int[] bStart = new int[2];
    private String[] bName = new String[8];
    private Expr[] bOut = new Expr[8];
    private int[] bHash = new int[8];
    private int bSteps; // complete steps waiting in the batch
    private List<Expr> eagerInputs; // the pending step's resolved inputs, in eager mode

    private Builder() {}

    /**
     * Checks names in batches from now on: each step's arity, output count and repeated output
     * names are still checked at once, but whether its input names are known and its output
     * names new is checked for 64 steps together, which at a million variables is faster (the
     * memory reads of a batch overlap instead of waiting one after another).
     * Use it for large generated graphs; keep the default, eager checking, for graphs written by
     * hand, where an error should point at the line that made it.
     *
     * <p>A bad name is reported by the call that checks its batch: the {@code as(...)} that
     * fills the batch, or at the latest {@link #build()}; {@link #input}, {@link #add}, {@link
     * #output} and {@link #variable} check the waiting steps first, so they see every step. The
     * message is the eager builder's (step number, operation, bad name, closest names) plus
     * which steps the builder kept. After such an error the builder holds every step before the
     * bad one, checked and committed; the bad step and the later steps of its batch are
     * dropped (the message names them), and the call that reported the error did nothing else.
     * The builder stays usable: add the dropped steps again, corrected.
     *
     * @return this builder
     */
    public Builder checkInBatches() {
      return checkInBatches(BATCH_STEPS);
    }

    /**
     * Checks names in batches of {@code steps} steps (with 1, each step is checked by its own
     * {@code as(...)}); for tests.
     */
    Builder checkInBatches(int steps) {
      if (steps < 1) {
        throw new IllegalArgumentException("A batch needs at least one step, not " + steps + ".");
      }
      requireNoPending("checkInBatches()");
      flush();
      batchSteps = steps;
      return this;
    }

    /**
     * Declares graph inputs.
     *
     * @throws IllegalArgumentException if a name is already an input or produced by a step
     */
    public Builder input(String... names) {
      requireNoPending("input(...)");
      flush();
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
     * @throws IllegalArgumentException if the number of inputs differs from the operation's, or,
     *     unless names are {@linkplain #checkInBatches() checked in batches}, if a name is
     *     unknown (the message suggests close ones)
     */
    public Step step(Operation operation, String... inputs) {
      requireNonNull(operation, "operation");
      requireNoPending("step(...)");
      int arity = operation.inputNames().size();
      int number = size + bSteps + 1;
      if (inputs.length != arity) {
        throw new IllegalArgumentException(
            where(operation, number) + " takes " + arity + " inputs " + operation.inputNames()
                + " but was given " + inputs.length + ": " + Arrays.toString(inputs)
                + ". Pass one variable per input.");
      }
      int from = bStart[bSteps];
      ensureBatchNames(from + arity);
      for (int k = 0; k < arity; k++) {
        bName[from + k] = requireNonNull(inputs[k], "input name");
      }
      if (batchSteps == 0) {
        names.touch(bName, bHash, from, from + arity);
        eagerInputs = resolveInputs(operation, from); // throws before anything changes
      }
      pending = new Step(this, operation, number);
      return pending;
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
      flush();
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
              Messages.unknownVariable(where(op, size + 1), name, knownNames()));
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
                where(op, size + 1) + ": outputs " + outs.get(j) + " and " + outs.get(k)
                    + " are both written '" + outNames[k] + "', so the builder cannot name them"
                    + " apart. Give them expressions that print differently.");
          }
        }
      }
      commit(computation, outNames, 0);
      return this;
    }

    /**
     * Requests named variables as outputs even if later steps read them.
     *
     * @throws IllegalArgumentException if a name is unknown
     */
    public Builder output(String... names) {
      requireNoPending("output(...)");
      flush();
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
      flush();
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
     * @throws IllegalArgumentException if a requested output is an input that no step reads,
     *     or, when names are {@linkplain #checkInBatches() checked in batches}, if a step not
     *     yet checked names an unknown input or a taken output
     */
    public CompositeComputation build() {
      requireNoPending("build()");
      flush();
      return CompositeAssembly.fromBuilder(
          Arrays.copyOf(computations, size),
          Arrays.copyOf(outStart, size + 1),
          Arrays.copyOf(inStart, size + 1),
          Arrays.copyOf(inRef, inStart[size]),
          List.copyOf(declared),
          Arrays.copyOf(outputRefs, outputs.size()),
          outputs);
    }

    /**
     * Copies the pending step's output names after its inputs in the batch and returns where
     * they start; in eager mode also touches their cells, ahead of making their symbols, so that
     * the index's memory reads overlap that work.
     */
    private int stageOutputs(Operation op, String[] outNames) {
      int from = bStart[bSteps] + op.inputNames().size();
      ensureBatchNames(from + outNames.length);
      System.arraycopy(outNames, 0, bName, from, outNames.length);
      if (batchSteps == 0) {
        names.touch(bName, bHash, from, from + outNames.length);
      }
      return from;
    }

    /**
     * Records the pending step, whose output names {@link #stageOutputs} placed at {@code from}
     * and whose symbols the caller placed at the same positions of {@code bOut}: in eager mode
     * commits it (its inputs were resolved by step(...)), in batched mode adds it to the batch
     * and checks the batch once it is full.
     */
    private void append(Operation op, List<Expr> eagerIn, int from) {
      int k = op.outputNames().size();
      if (batchSteps == 0) {
        commit(new Computation(op, eagerIn, outputList(from, k)), bName, from);
        return;
      }
      if (bSteps == bOp.length) {
        bOp = Arrays.copyOf(bOp, 2 * bOp.length);
        bStart = Arrays.copyOf(bStart, bOp.length + 1);
      }
      bOp[bSteps] = op;
      bStart[++bSteps] = from + k;
      if (bSteps >= batchSteps) {
        flush();
      }
    }

    /**
     * Checks and commits the steps waiting in the batch, in order: a step may read outputs of
     * the batch's earlier steps. On the first bad step, keeps the steps before it, drops it and
     * the rest of the batch, and throws.
     */
    private void flush() {
      int n = bSteps;
      if (n == 0) {
        return;
      }
      bSteps = 0; // whatever happens below, the batch is consumed
      names.touch(bName, bHash, 0, bStart[n]);
      for (int j = 0; j < n; j++) {
        Operation op = bOp[j];
        bOp[j] = null;
        int from = bStart[j];
        try {
          List<Expr> in = resolveInputs(op, from);
          int outFrom = from + op.inputNames().size();
          commit(new Computation(op, in, outputList(outFrom, bStart[j + 1] - outFrom)), bName, outFrom);
        } catch (IllegalArgumentException e) {
          int bad = size + 1;
          clearBatch(n);
          throw new IllegalArgumentException(
              e.getMessage() + " " + keptAfter(bad, bad + n - 1 - j), e);
        }
      }
      clearBatch(n);
    }

    /**
     * Empties the batch, whose {@code n} steps were committed or dropped. A pending step (one
     * waiting for {@code as(...)} while {@link #variable} checked the batch) keeps its staged
     * input names, moved to the front, and its number follows the steps kept.
     */
    private void clearBatch(int n) {
      int end = bStart[n];
      Arrays.fill(bOp, 0, n, null);
      Arrays.fill(bOut, 0, end, null);
      int keep = 0;
      if (pending != null) {
        keep = pending.operation.inputNames().size();
        System.arraycopy(bName, end, bName, 0, keep);
        pending.number = size + 1;
      }
      Arrays.fill(bName, keep, end + keep, null);
    }

    /** Returns the {@code k} symbols at {@code bOut[from ..)} as a list. */
    private List<Expr> outputList(int from, int k) {
      Expr[] o = bOut;
      if (k == 1) {
        return List.of(o[from]);
      } else if (k == 2) {
        return List.of(o[from], o[from + 1]);
      }
      return List.of(Arrays.copyOfRange(o, from, from + k));
    }

    /** Says which steps a builder checking in batches kept after step {@code bad} failed. */
    static String keptAfter(int bad, int lastDropped) {
      String dropped = bad == lastDropped
          ? "dropped step " + bad
          : "dropped steps " + bad + " to " + lastDropped + " (this step and the rest of its batch)";
      String keptSteps = bad == 1 ? "no steps" : bad == 2 ? "step 1" : "steps 1 to " + (bad - 1);
      return "Names are checked in batches: the builder kept " + keptSteps + " and " + dropped
          + "; add them again once this step is fixed.";
    }

    /**
     * Resolves the input names {@code bName[from ..)} of a step, writing their refs where the
     * next step's inputs go, and returns their variables.
     *
     * @throws IllegalArgumentException if a name is unknown; nothing changes
     */
    private List<Expr> resolveInputs(Operation op, int from) {
      int arity = op.inputNames().size();
      int base = inStart[size];
      ensureInputs(base + arity);
      if (arity == 1) {
        return List.of(resolve(op, from, base));
      } else if (arity == 2) {
        Expr a = resolve(op, from, base);
        return List.of(a, resolve(op, from + 1, base + 1));
      }
      Expr[] xs = new Expr[arity];
      for (int k = 0; k < arity; k++) {
        xs[k] = resolve(op, from + k, base + k);
      }
      return List.of(xs);
    }

    /** Returns the expression named {@code bName[k]} and writes its ref at {@code inRef[at]}. */
    private Expr resolve(Operation op, int k, int at) {
      String name = bName[k];
      int p = names.find(name);
      if (p < 0) {
        throw new IllegalArgumentException(
            Messages.unknownVariable(where(op, size + 1), name, knownNames()));
      }
      inRef[at] = names.ref(p);
      return names.variable(p);
    }

    /**
     * Checks that the output names {@code outNames[from ..)} (one per output of {@code c}) are
     * new, then records the computation, whose inputs' refs are in place. Nothing changes if a
     * check fails.
     */
    private void commit(Computation c, String[] outNames, int from) {
      int slot = outStart[size];
      List<Expr> outs = c.outputs();
      int k = outs.size();
      int first = names.find(requireNonNull(outNames[from], "output name"));
      if (first >= 0) {
        throw alreadyKnown(c.operation(), outNames[from], names.ref(first));
      }
      for (int j = 1; j < k; j++) {
        int p = names.find(requireNonNull(outNames[from + j], "output name"));
        if (p >= 0) {
          throw alreadyKnown(c.operation(), outNames[from + j], names.ref(p));
        }
      }
      appendComputation(c);
      names.add(first, outNames[from], outs.get(0), slot);
      for (int j = 1; j < k; j++) {
        // Found again rather than remembered: an earlier add may have taken the free cell or
        // grown the table (the cells are in the cache by now).
        names.add(names.find(outNames[from + j]), outNames[from + j], outs.get(j), slot + j);
      }
    }

    private void appendComputation(Computation c) {
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

    private void ensureBatchNames(int needed) {
      if (needed > bName.length) {
        int cap = Math.max(needed, 2 * bName.length);
        bName = Arrays.copyOf(bName, cap);
        bOut = Arrays.copyOf(bOut, cap);
        bHash = Arrays.copyOf(bHash, cap);
      }
    }

    private IllegalArgumentException alreadyKnown(Operation op, String name, int ref) {
      return new IllegalArgumentException(
          where(op, size + 1) + ": variable '" + name + "' is already " + describe(ref)
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

    private List<String> knownNames() {
      return names.names();
    }

    private void requireNoPending(String call) {
      if (pending != null) {
        String where = where(pending.operation, pending.number);
        pending = null;
        eagerInputs = null;
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
    private int number; // changes only if variable(...) checks a batch while this step waits

    private Step(Builder builder, Operation operation, int number) {
      this.builder = builder;
      this.operation = operation;
      this.number = number;
    }

    /**
     * Names the step's outputs, one name per {@link Operation#outputNames() output}, and returns
     * the builder.
     *
     * @throws IllegalArgumentException if the count differs, a name is blank or repeated, or,
     *     unless names are {@linkplain Builder#checkInBatches() checked in batches}, already
     *     taken; in batched mode, if this call fills the batch and a step of it is bad
     * @throws IllegalStateException if {@code as} was already called for this step
     */
    public Builder as(String... outputs) {
      if (builder.pending != this) {
        throw new IllegalStateException(
            where(operation, number) + ": as(...) was already called for this step."
                + " Call it once per step.");
      }
      builder.pending = null;
      List<Expr> eagerIn = builder.eagerInputs;
      builder.eagerInputs = null;
      int k = operation.outputNames().size();
      if (outputs.length != k) {
        throw new IllegalArgumentException(
            where(operation, number) + " has " + k + " outputs " + operation.outputNames()
                + " but as(...) named " + outputs.length + ": " + Arrays.toString(outputs)
                + ". Name every output.");
      }
      for (String name : outputs) {
        requireNonNull(name, "output name");
      }
      int from = builder.stageOutputs(operation, outputs);
      Expr[] outs = builder.bOut;
      for (int j = 0; j < k; j++) {
        outs[from + j] = Expr.symbol(outputs[j]);
        for (int i = 0; i < j; i++) {
          if (outputs[i].equals(outputs[j])) {
            throw new IllegalArgumentException(
                where(operation, number) + ": output name '" + outputs[j] + "' is given twice in "
                    + Arrays.toString(outputs) + ". Give every output its own name.");
          }
        }
      }
      builder.append(operation, eagerIn, from);
      return builder;
    }
  }
}
