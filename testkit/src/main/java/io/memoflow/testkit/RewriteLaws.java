package io.memoflow.testkit;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Expr;
import io.memoflow.dag.rewrite.GraphRewrite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import net.jqwik.api.Arbitrary;

/**
 * The laws a {@link GraphRewrite} must keep, checked on composites and inputs that jqwik draws
 * and shrinks. Given the rewrite and a way to evaluate one computation, {@link #check(Case)}
 * asserts that the rewrite
 *
 * <ul>
 *   <li><b>keeps values:</b> every requested output (every output, if none is requested) is still
 *       a variable of the rewritten composite and evaluates to an equal value;
 *   <li><b>keeps the graph valid:</b> it returns a composite that reassembles to itself, keeps the
 *       requested outputs requested and reads no graph input the original did not (new
 *       constants are fine: they need no value);
 *   <li><b>is idempotent</b>, if declared so: rewriting the result again changes nothing;
 *   <li><b>never touches protected variables</b> (by default the requested outputs): each is
 *       still produced by the same operation and has the same value.
 * </ul>
 *
 * <p>A requested graph input that the rewritten composite no longer reads counts as kept: its
 * value is the caller's own, and a composite cannot hold a variable that nothing produces or
 * reads ({@link CompositeComputation#prune} drops it so).
 *
 * <p>A broken law raises an {@link AssertionError} that names the law and the rewrite and
 * prints the composite before and after, as text and as DOT, with the inputs and the values that
 * differ; jqwik reports it for the shrunk case. Where a value differs, the laws also try the part
 * of the composite that value needs ({@link CompositeComputation#prune}) and report that, when
 * it breaks them too: jqwik shrinks the draws a graph is made of, which can leave computations
 * that play no part.
 *
 * <pre>{@code
 * RewriteLaws<Long> laws = RewriteLaws.of(new ConstantFolding(), Arith::evaluate)
 *     .inputs(Arbitraries.longs().between(-9, 9))
 *     .idempotent()
 *     .build();
 *
 * @Property
 * void folding_keepsTheLaws(@ForAll("cases") RewriteLaws.Case<Long> c) {
 *   laws.check(c);
 * }
 *
 * @Provide
 * Arbitrary<RewriteLaws.Case<Long>> cases() {
 *   return laws.cases(DagArbitraries.graphs().operations(Arith.OPERATIONS).constants(0, 3)
 *       .anyShape().composites());
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe if the rewrite, the evaluator and the equality are.
 *
 * @param <V> the type of the values the evaluator computes
 */
public final class RewriteLaws<V> {

  /**
   * Computes the outputs of one computation from the values of its inputs.
   *
   * @param <V> the value type
   */
  @FunctionalInterface
  public interface Evaluator<V> {
    /**
     * Returns the values of {@code c}'s outputs, in {@code c.outputs()} order.
     *
     * @param inputs the values of {@code c.inputs()}, in order
     */
    List<V> evaluate(Computation c, List<V> inputs);

    /**
     * Returns the value of every variable of {@code g}, evaluating its computations in order:
     * the plain reference to compare an engine, a plan or a rewrite against. A constant graph
     * input is its own value, cast to {@code V}.
     *
     * @param inputs a value for each graph input that is not a constant
     * @throws IllegalArgumentException if such an input has no value
     */
    @SuppressWarnings("unchecked")
    default Map<Expr, V> evaluateAll(CompositeComputation g, Map<Expr, ? extends V> inputs) {
      return RewriteLaws.evaluate(this, k -> (V) k, g, inputs);
    }
  }

  /**
   * A composite and a value for each of its graph inputs that is not a constant: one sample the
   * laws are checked on.
   *
   * @param composite the composite to rewrite
   * @param inputs values by graph input
   * @param <V> the value type
   */
  public record Case<V>(CompositeComputation composite, Map<Expr, V> inputs) {
    /** Copies the inputs. */
    public Case {
      requireNonNull(composite, "composite");
      inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    @Override
    public String toString() {
      return composite + "\ninputs " + inputs;
    }
  }

  private final GraphRewrite rewrite;
  private final Evaluator<V> evaluator;
  private final Arbitrary<V> values;
  private final Function<Object, V> constants;
  private final BiPredicate<V, V> equality;
  private final boolean idempotent;
  private final Predicate<Expr> protectedVars;

  private RewriteLaws(Builder<V> b) {
    this.rewrite = b.rewrite;
    this.evaluator = b.evaluator;
    this.values = b.values;
    this.constants = b.constants;
    this.equality = b.equality;
    this.idempotent = b.idempotent;
    this.protectedVars = b.protectedVars;
  }

  /** Starts laws for {@code rewrite}, whose composites {@code evaluator} evaluates. */
  public static <V> Builder<V> of(GraphRewrite rewrite, Evaluator<V> evaluator) {
    return new Builder<>(requireNonNull(rewrite, "rewrite"), requireNonNull(evaluator, "evaluator"));
  }

  /**
   * Returns cases of the composites that {@code composites} draws, each with input values from
   * {@link Builder#inputs}; they shrink with the composite and with the values.
   *
   * @throws IllegalStateException if no input values were given
   */
  public Arbitrary<Case<V>> cases(Arbitrary<CompositeComputation> composites) {
    if (values == null) {
      throw new IllegalStateException("No input values to draw: give the laws an arbitrary of"
          + " values with RewriteLaws.of(...).inputs(arbitrary) before asking for cases.");
    }
    return composites.flatMap(g -> {
      List<Expr> symbols = g.inputs().stream().filter(x -> !(x instanceof Expr.Constant)).toList();
      return values.list().ofSize(symbols.size()).map(draws -> {
        Map<Expr, V> in = new LinkedHashMap<>();
        for (int i = 0; i < symbols.size(); i++) {
          in.put(symbols.get(i), draws.get(i));
        }
        return new Case<>(g, in);
      });
    });
  }

  /** Checks every law on {@code c}; see the class documentation. */
  public void check(Case<V> c) {
    check(c.composite(), c.inputs());
  }

  /**
   * Checks every law on {@code g} with graph input values {@code inputs} (constants evaluate
   * through {@link Builder#constants}).
   *
   * @throws AssertionError naming the broken law, with the composite before and after
   * @throws IllegalArgumentException if a graph input that is not a constant has no value
   */
  public void check(CompositeComputation g, Map<Expr, V> inputs) {
    try {
      checkLaws(g, inputs);
    } catch (BrokenValue e) {
      // jqwik shrinks draws, not graphs: also try the part of the composite the value needs.
      CompositeComputation part = g.prune(List.of(e.variable));
      if (part.size() < g.size()) {
        try {
          checkLaws(part, inputs);
        } catch (AssertionError smaller) {
          throw new AssertionError(smaller.getMessage() + "\n(the " + part.size()
              + " computations that " + e.variable + " needs, of the case's " + g.size() + ")",
              smaller);
        }
      }
      throw e;
    }
  }

  private void checkLaws(CompositeComputation g, Map<Expr, V> inputs) {
    CompositeComputation r = apply(g, g, inputs);
    Map<Expr, V> before = evaluate(g, inputs);
    keepsTheGraphValid(g, r, inputs);
    Map<Expr, V> after = evaluate(r, inputs);
    for (Expr o : requested(g)) {
      if (unread(o, g, r)) {
        continue;
      }
      if (!r.hasVariable(o)) {
        fail("keeps values", "requested output " + o + " is gone", g, r, inputs);
      }
      if (!equality.test(before.get(o), after.get(o))) {
        throw new BrokenValue(o, message("keeps values", "output " + o + " was " + before.get(o)
            + " and is " + after.get(o), g, r, inputs));
      }
    }
    Predicate<Expr> kept = protectedVars != null ? protectedVars : g.requestedOutputs()::contains;
    for (Expr v : g.variables()) {
      if (!kept.test(v) || g.inputs().contains(v)) {
        continue;
      }
      Computation was = g.producerOf(v).orElseThrow();
      Computation is = r.producerOf(v).orElse(null);
      if (is == null || !is.operation().equals(was.operation())) {
        fail("never touches protected variables", "protected " + v + " was made by " + was
            + " and is " + (is == null ? "gone" : "made by " + is), g, r, inputs);
      }
      if (!equality.test(before.get(v), after.get(v))) {
        throw new BrokenValue(v, message("never touches protected variables", "protected " + v
            + " was " + before.get(v) + " and is " + after.get(v), g, r, inputs));
      }
    }
    if (idempotent) {
      CompositeComputation again = apply(r, g, inputs);
      if (!again.equals(r)) {
        fail("is idempotent", "rewriting the result again changed it to\n" + again, g, r, inputs);
      }
    }
  }

  private CompositeComputation apply(CompositeComputation what, CompositeComputation g,
      Map<Expr, V> inputs) {
    CompositeComputation r;
    try {
      r = rewrite.apply(what);
    } catch (RuntimeException e) {
      throw new AssertionError(header("keeps the graph valid", "the rewrite threw " + e)
          + show("composite", g) + "inputs " + inputs, e);
    }
    if (r == null) {
      fail("keeps the graph valid", "the rewrite returned null", g, null, inputs);
    }
    return r;
  }

  private void keepsTheGraphValid(CompositeComputation g, CompositeComputation r,
      Map<Expr, V> inputs) {
    Set<Expr> invented = new LinkedHashSet<>(r.inputs());
    g.inputs().forEach(invented::remove);
    invented.removeIf(x -> x instanceof Expr.Constant);   // a constant needs no value from anyone
    if (!invented.isEmpty()) {
      fail("keeps the graph valid", "it reads graph inputs the original did not: " + invented,
          g, r, inputs);
    }
    Set<Expr> lost = new LinkedHashSet<>(g.requestedOutputs());
    lost.removeAll(r.requestedOutputs());
    lost.removeIf(x -> unread(x, g, r));
    if (!lost.isEmpty()) {
      fail("keeps the graph valid", "requested outputs " + g.requestedOutputs()
          + " became " + r.requestedOutputs(), g, r, inputs);
    }
    CompositeComputation again;
    try {
      again = CompositeComputation.of(r.order(), r.requestedOutputs());
    } catch (RuntimeException e) {
      throw new AssertionError(header("keeps the graph valid",
          "its computations do not reassemble: " + e.getMessage()) + show("before", g)
          + show("after", r) + "inputs " + inputs, e);
    }
    if (!again.equals(r)) {
      fail("keeps the graph valid", "its computations reassemble to another composite:\n" + again,
          g, r, inputs);
    }
  }

  /**
   * Whether {@code x} is a graph input of {@code g} that {@code r} no longer reads: its value is
   * the caller's own, and a composite cannot hold a variable nothing produces or reads.
   */
  private static boolean unread(Expr x, CompositeComputation g, CompositeComputation r) {
    return g.inputs().contains(x) && !r.hasVariable(x);
  }

  private static List<Expr> requested(CompositeComputation g) {
    return g.requestedOutputs().isEmpty() ? g.outputs() : List.copyOf(g.requestedOutputs());
  }

  private Map<Expr, V> evaluate(CompositeComputation g, Map<Expr, V> inputs) {
    return evaluate(evaluator, constants, g, inputs);
  }

  /** Evaluates every variable of {@code g}, in order. */
  private static <V> Map<Expr, V> evaluate(Evaluator<V> evaluator, Function<Object, V> constants,
      CompositeComputation g, Map<Expr, ? extends V> inputs) {
    Map<Expr, V> values = new HashMap<>();
    for (Expr x : g.inputs()) {
      if (x instanceof Expr.Constant k) {
        values.put(x, constants.apply(k.value()));
      } else if (inputs.containsKey(x)) {
        values.put(x, inputs.get(x));
      } else {
        throw new IllegalArgumentException("No value for graph input " + x + " of\n" + g
            + "\nPass a value for every graph input that is not a constant.");
      }
    }
    for (Computation c : g.order()) {
      List<V> in = new ArrayList<>(c.inputs().size());
      for (Expr x : c.inputs()) {
        in.add(values.get(x));
      }
      List<V> out = evaluator.evaluate(c, in);
      if (out == null || out.size() != c.outputs().size()) {
        throw new IllegalStateException("The evaluator returned " + out + " for " + c
            + "; return one value per output (" + c.outputs().size() + ").");
      }
      for (int k = 0; k < out.size(); k++) {
        values.put(c.outputs().get(k), out.get(k));
      }
    }
    return values;
  }

  private void fail(String law, String what, CompositeComputation g, CompositeComputation r,
      Map<Expr, V> inputs) {
    throw new AssertionError(message(law, what, g, r, inputs));
  }

  private String message(String law, String what, CompositeComputation g, CompositeComputation r,
      Map<Expr, V> inputs) {
    return header(law, what) + show("before", g) + (r == null ? "" : show("after", r))
        + "inputs " + inputs;
  }

  /** A law broken at the value of one variable, which a smaller composite may show too. */
  private static final class BrokenValue extends AssertionError {
    private static final long serialVersionUID = 1L;
    private final transient Expr variable;

    BrokenValue(Expr variable, String message) {
      super(message);
      this.variable = variable;
    }
  }

  private String header(String law, String what) {
    return "Rewrite '" + rewrite.name() + "' breaks the law \"" + law + "\": " + what + ".\n";
  }

  private static String show(String label, CompositeComputation g) {
    return label + ":\n" + g + "requested " + g.requestedOutputs() + "\n" + g.toDot() + "\n";
  }

  /**
   * Configures {@link RewriteLaws}.
   *
   * @param <V> the value type
   */
  public static final class Builder<V> {
    private final GraphRewrite rewrite;
    private final Evaluator<V> evaluator;
    private Arbitrary<V> values;
    @SuppressWarnings("unchecked")
    private Function<Object, V> constants = k -> (V) k;
    private BiPredicate<V, V> equality = Objects::equals;
    private boolean idempotent;
    private Predicate<Expr> protectedVars;

    private Builder(GraphRewrite rewrite, Evaluator<V> evaluator) {
      this.rewrite = rewrite;
      this.evaluator = evaluator;
    }

    /** Draws the value of each graph input that is not a constant from {@code values}. */
    public Builder<V> inputs(Arbitrary<V> values) {
      this.values = requireNonNull(values, "values");
      return this;
    }

    /**
     * Turns a constant's value ({@code Long}, {@code Double}, {@code String} or {@code Boolean},
     * see {@link Expr.Constant}) into a value. Default: the value itself, cast to {@code V}.
     */
    public Builder<V> constants(Function<Object, V> constants) {
      this.constants = requireNonNull(constants, "constants");
      return this;
    }

    /** Compares values with {@code equality} (say, within a tolerance). Default: equals. */
    public Builder<V> equality(BiPredicate<V, V> equality) {
      this.equality = requireNonNull(equality, "equality");
      return this;
    }

    /** Declares the rewrite idempotent, so the laws check that too. */
    public Builder<V> idempotent() {
      this.idempotent = true;
      return this;
    }

    /**
     * Marks the variables the rewrite must never touch. Default: the requested outputs of the
     * composite being rewritten.
     */
    public Builder<V> protect(Predicate<Expr> variables) {
      this.protectedVars = requireNonNull(variables, "variables");
      return this;
    }

    /** Returns the laws. */
    public RewriteLaws<V> build() {
      return new RewriteLaws<>(this);
    }
  }
}
