package io.memoflow.testkit;

import static java.util.Objects.requireNonNull;

import io.memoflow.cache.CallResult;
import io.memoflow.cache.Op;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of stored programs: short sequences of op calls whose arguments are small
 * literals or outputs of earlier calls, run through a {@link Storage}, for properties of storage
 * backends and of anything built on memoization. A program knows the values it must produce
 * ({@link Program#expected()}), so a run can be checked against them:
 *
 * <pre>{@code
 * @Property
 * void aSecondRun_retracesEveryCall(@ForAll("programs") StoredPrograms.Program p) {
 *   try (Storage storage = Storage.of(new MyBackend(), StorageOptions.defaults())) {
 *     assertEquals(p.expected(), p.run(storage).outputs());
 *     StoredPrograms.Run again = p.run(storage);
 *     assertEquals(p.expected(), again.outputs());
 *     assertTrue(again.sources().stream().allMatch(s -> s == CallResult.Source.RETRACED));
 *   }
 * }
 *
 * @Provide
 * Arbitrary<StoredPrograms.Program> programs() { return StoredPrograms.programs(1, 12); }
 * }</pre>
 *
 * <p>The programs call the four {@link #ops()} on {@code Long} values: {@code add(x, y)},
 * {@code neg(x)}, {@code divmod(a, b) -> q, r} (two outputs; floor division, {@code q = 0, r =
 * a} when {@code b = 0}) and {@code tag(x, note) = x}, whose {@code note} is an ignored input
 * (left out of the call's identity). Programs shrink towards fewer calls, literals near zero and
 * the first op, and print as one line per call, {@code v3 = add(v1.q, 2)}. Thread-safe.
 */
public final class StoredPrograms {
  private StoredPrograms() {}

  /** {@code add(x, y) = x + y}. */
  public static final Op ADD = op("add", "x", "y");

  /** {@code neg(x) = -x}. */
  public static final Op NEG = op("neg", "x");

  /** {@code divmod(a, b) -> q, r}: floor division; {@code q = 0, r = a} when {@code b = 0}. */
  public static final Op DIVMOD = Op.builder("divmod").version("1").inputs("a", "b")
      .outputs("q", "r").function(a -> plain("divmod", a)).build();

  /** {@code tag(x, note) = x}: {@code note} is ignored, so it is no part of the call's identity. */
  public static final Op TAG = Op.builder("tag").version("1").inputs("x", "note")
      .ignored("note").function(a -> plain("tag", a).get(0)).build();

  private static Op op(String name, String... inputs) {
    return Op.builder(name).version("1").inputs(inputs)
        .function(a -> plain(name, a).get(0)).build();
  }

  /** The ops' functions, one place for the stored calls and for {@link Program#expected()}. */
  private static List<Object> plain(String op, Object[] in) {
    return switch (op) {
      case "add" -> List.of((Long) in[0] + (Long) in[1]);
      case "neg" -> List.of(-(Long) in[0]);
      case "divmod" -> {
        long a = (Long) in[0];
        long b = (Long) in[1];
        yield b == 0 ? List.of(0L, a) : List.of(Math.floorDiv(a, b), Math.floorMod(a, b));
      }
      case "tag" -> List.of(in[0]);
      default -> throw new IllegalArgumentException("No op " + op + " in stored programs.");
    };
  }

  private static final List<Op> OPS = List.of(ADD, NEG, DIVMOD, TAG);
  private static final int READS = 2;

  /** Returns the ops that programs call: add, neg, divmod, tag. */
  public static List<Op> ops() {
    return OPS;
  }

  /** Returns programs of 1 to 12 calls; see {@link #programs(int, int)}. */
  public static Arbitrary<Program> programs() {
    return programs(1, 12);
  }

  /**
   * Returns programs of {@code minCalls} to {@code maxCalls} calls. Each argument is a literal in
   * [-9, 9] one time in three (always, before any call has an output), else an output of an
   * earlier call, a recent one more often.
   *
   * @throws IllegalArgumentException if {@code minCalls < 0} or {@code maxCalls < minCalls}
   */
  public static Arbitrary<Program> programs(int minCalls, int maxCalls) {
    if (minCalls < 0 || maxCalls < minCalls) {
      throw new IllegalArgumentException("Sizes " + minCalls + ".." + maxCalls
          + " are not a range. Pass 0 <= minCalls <= maxCalls.");
    }
    // One draw per call, in a list: shrinking drops calls one by one.
    Arbitrary<Draw> draw = Combinators.combine(
            Arbitraries.integers().between(0, OPS.size() - 1),
            Arbitraries.integers().between(0, 1 << 20).list().ofSize(READS),
            Arbitraries.longs().between(-9, 9).list().ofSize(READS))
        .as(Draw::new);
    return draw.list().ofMinSize(minCalls).ofMaxSize(maxCalls).map(StoredPrograms::build);
  }

  /** What decides one call: its op, and per argument a choice and a literal. */
  private record Draw(int op, List<Integer> picks, List<Long> literals) {}

  private static Program build(List<Draw> draws) {
    List<Step> steps = new ArrayList<>();
    List<Arg> outputs = new ArrayList<>();
    for (int s = 0; s < draws.size(); s++) {
      Draw d = draws.get(s);
      Op op = OPS.get(d.op());
      List<Arg> args = new ArrayList<>();
      for (int k = 0; k < op.inputNames().size(); k++) {
        int p = d.picks().get(k);
        if (outputs.isEmpty() || p % 3 == 0) {
          args.add(new Arg.Literal(d.literals().get(k)));
        } else {
          // Half the rest one of the last three outputs (chains); else any earlier one.
          int from = p % 3 == 1 ? Math.max(0, outputs.size() - 3) : 0;
          args.add(outputs.get(from + (p / 3) % (outputs.size() - from)));
        }
      }
      for (int k = 0; k < op.outputNames().size(); k++) {
        outputs.add(new Arg.Output(s, k, op.outputNames().size() > 1 ? op.outputNames().get(k) : null));
      }
      steps.add(new Step(op, args));
    }
    return new Program(steps);
  }

  /** An argument of a call: a literal, or an output of an earlier call. */
  public sealed interface Arg {
    /**
     * A literal value.
     *
     * @param value the value
     */
    record Literal(long value) implements Arg {
      @Override
      public String toString() {
        return Long.toString(value);
      }
    }

    /**
     * Output {@code index} of call {@code step}.
     *
     * @param step the index of the call in the program
     * @param index the index of its output
     * @param name the output's name if the op has several outputs, else null
     */
    record Output(int step, int index, String name) implements Arg {
      @Override
      public String toString() {
        return "v" + step + (name == null ? "" : "." + name);
      }
    }
  }

  /**
   * One call of a program.
   *
   * @param op the op called
   * @param args its arguments, in the op's input order
   */
  public record Step(Op op, List<Arg> args) {
    /** Copies the arguments. */
    public Step {
      requireNonNull(op, "op");
      args = List.copyOf(args);
    }
  }

  /**
   * What a run of a program gave.
   *
   * @param outputs the values of each call's outputs, call by call
   * @param sources how each call was obtained (executed, retraced, reused)
   */
  public record Run(List<List<Object>> outputs, List<CallResult.Source> sources) {
    /** Copies the lists. */
    public Run {
      outputs = List.copyOf(outputs);
      sources = List.copyOf(sources);
    }
  }

  /** A program: calls in order. Immutable. */
  public static final class Program {
    private final List<Step> steps;

    /**
     * Returns the program of these calls of the {@link #ops()}.
     *
     * @throws IllegalArgumentException if a call is of another op, or an output argument names
     *     no output of an earlier call
     */
    public Program(List<Step> steps) {
      this.steps = List.copyOf(steps);
      for (int s = 0; s < this.steps.size(); s++) {
        if (!OPS.contains(this.steps.get(s).op())) {
          throw new IllegalArgumentException("Call " + s + " of the program is of op "
              + this.steps.get(s).op().name() + "; programs call StoredPrograms.ops() only.");
        }
        for (Arg a : this.steps.get(s).args()) {
          if (a instanceof Arg.Output o && (o.step() >= s
              || o.index() >= this.steps.get(o.step()).op().outputNames().size())) {
            throw new IllegalArgumentException("Call " + s + " of the program reads " + o
                + ", which no earlier call outputs; read outputs of earlier calls only.");
          }
        }
      }
    }

    /** Returns the calls. */
    public List<Step> steps() {
      return steps;
    }

    /** Returns the values each call must output, computed without any storage. */
    public List<List<Object>> expected() {
      List<List<Object>> values = new ArrayList<>();
      for (Step step : steps) {
        Object[] in = new Object[step.args().size()];
        for (int k = 0; k < in.length; k++) {
          in[k] = step.args().get(k) instanceof Arg.Output o
              ? values.get(o.step()).get(o.index())
              : ((Arg.Literal) step.args().get(k)).value();
        }
        values.add(plain(step.op().name(), in));
      }
      return values;
    }

    /**
     * Runs the program in one session of {@code storage} (each output argument passed as the
     * ref the earlier call returned, so histories compose) and returns what it got.
     */
    public Run run(Storage storage) {
      List<List<Ref<?>>> refs = new ArrayList<>();
      List<List<Object>> outputs = new ArrayList<>();
      List<CallResult.Source> sources = new ArrayList<>();
      try (Session session = storage.session()) {
        for (Step step : steps) {
          Object[] args = new Object[step.args().size()];
          for (int k = 0; k < args.length; k++) {
            args[k] = step.args().get(k) instanceof Arg.Output o
                ? refs.get(o.step()).get(o.index())
                : (Object) ((Arg.Literal) step.args().get(k)).value();
          }
          CallResult r = session.callPositional(step.op(), args);
          List<Ref<?>> outs = new ArrayList<>();
          List<Object> vals = new ArrayList<>();
          for (String name : step.op().outputNames()) {
            Ref<?> ref = r.call().output(name);
            outs.add(ref);
            vals.add(ref.value());
          }
          refs.add(outs);
          outputs.add(vals);
          sources.add(r.source());
        }
      }
      return new Run(outputs, sources);
    }

    /** Returns one line per call, such as {@code v3 = add(v1.q, 2)}. */
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (int s = 0; s < steps.size(); s++) {
        Step step = steps.get(s);
        sb.append('v').append(s).append(" = ").append(step.op().name()).append('(');
        for (int k = 0; k < step.args().size(); k++) {
          sb.append(k > 0 ? ", " : "").append(step.args().get(k));
        }
        sb.append(")\n");
      }
      return sb.toString();
    }
  }
}
