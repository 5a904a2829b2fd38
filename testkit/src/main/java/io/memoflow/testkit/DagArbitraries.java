package io.memoflow.testkit;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of computation DAGs, for property tests of anything that consumes or
 * rewrites a {@link CompositeComputation}. Part of {@code memoflow-testkit} (test scope):
 *
 * <pre>{@code
 *
 * @Property
 * void myRewrite_keepsOutputs(@ForAll("dags") CompositeComputation g) { ... }
 *
 * @Provide
 * Arbitrary<CompositeComputation> dags() { return DagArbitraries.dags(1, 40); }
 * }</pre>
 *
 * <p>By default generated graphs mix the {@link #operations()}: one, two and three inputs, one,
 * two and three outputs (including {@link Operation#MIN_MAX}); {@link #graphs()} configures the
 * operations (a user's own), the {@link Shape shape family} (chains, diamonds, wide layers),
 * sizes and constants. Graph inputs are symbols {@code in0}, {@code in1}, ...; every output is a
 * fresh symbol {@code v0}, {@code v1}, ... in creation order, so the builder and the general
 * path can rebuild the same graph by name. Values shrink towards fewer computations, fewer
 * inputs and the first operation. Deterministic for a given jqwik seed. Thread-safe; every
 * method returns a new arbitrary.
 */
public final class DagArbitraries {
  private DagArbitraries() {}

  /** One input, one output. */
  public static final Operation SQUARE = Operation.of("Square", List.of("x"), List.of("sq"));

  /** Two inputs, one output. */
  public static final Operation ADD = Operation.of("Add", List.of("a", "b"), List.of("sum"));

  /** One input, three outputs. */
  public static final Operation SPLIT3 =
      Operation.of("Split3", List.of("x"), List.of("p", "q", "r"));

  /** Three inputs, one output. */
  public static final Operation FMA = Operation.of("Fma", List.of("a", "b", "c"), List.of("y"));

  private static final List<Operation> OPERATIONS =
      List.of(SQUARE, Operation.MIN_MAX, ADD, SPLIT3, FMA);
  private static final int RECENT = 4;

  /** Returns the operations that generated graphs use by default: Square, MinMax, Add, Split3, Fma. */
  public static List<Operation> operations() {
    return OPERATIONS;
  }

  /**
   * Evaluates a computation of the default {@link #operations()} on {@code Long} values, with
   * Java's wrapping arithmetic: Square {@code x*x}; MinMax {@code min, max}; Add {@code a+b};
   * Split3 {@code x, x+1, -x}; Fma {@code a*b+c}. A {@link RewriteLaws.Evaluator} for laws of
   * rewrites that know nothing of the operations (merging, pruning, reordering).
   *
   * @throws IllegalArgumentException if the operation is not one of the five
   */
  public static List<Long> evaluate(Computation c, List<Long> in) {
    return apply(c.operation(), in);
  }

  /**
   * Evaluates one of the default {@link #operations()} on {@code Long} values; see {@link
   * #evaluate(Computation, List)}. For binding the operations to functions (an engine's ops).
   *
   * @throws IllegalArgumentException if the operation is not one of the five
   */
  public static List<Long> apply(Operation op, List<Long> in) {
    if (op.equals(SQUARE)) {
      return List.of(in.get(0) * in.get(0));
    } else if (op.equals(Operation.MIN_MAX)) {
      return List.of(Math.min(in.get(0), in.get(1)), Math.max(in.get(0), in.get(1)));
    } else if (op.equals(ADD)) {
      return List.of(in.get(0) + in.get(1));
    } else if (op.equals(SPLIT3)) {
      return List.of(in.get(0), in.get(0) + 1, -in.get(0));
    } else if (op.equals(FMA)) {
      return List.of(in.get(0) * in.get(1) + in.get(2));
    }
    throw new IllegalArgumentException("Operation " + op.name() + " is not one of"
        + " DagArbitraries.operations(); evaluate your own operations with your own evaluator.");
  }

  /** Returns random DAGs of 0 to 30 computations; see {@link #dags(int, int)}. */
  public static Arbitrary<CompositeComputation> dags() {
    return dags(0, 30);
  }

  /**
   * Returns random DAGs of {@code minSize} to {@code maxSize} computations of the default
   * {@link #operations()} in the {@link Shape#MIXED} family over one to three graph inputs;
   * shorthand for {@code graphs().sizes(minSize, maxSize).composites()}.
   *
   * @throws IllegalArgumentException if {@code minSize < 0} or {@code maxSize < minSize}
   */
  public static Arbitrary<CompositeComputation> dags(int minSize, int maxSize) {
    return graphs().sizes(minSize, maxSize).composites();
  }

  /**
   * Returns the computations of random DAGs, as {@link #dags(int, int)} builds them, in
   * creation order (a topological order).
   *
   * @throws IllegalArgumentException if {@code minSize < 0} or {@code maxSize < minSize}
   */
  public static Arbitrary<List<Computation>> computationLists(int minSize, int maxSize) {
    return graphs().sizes(minSize, maxSize).computationLists();
  }

  /**
   * Returns a generator of graphs to configure: by default the {@link #operations()}, the
   * {@link Shape#MIXED} family, 0 to 30 computations, one to three graph inputs and no constants.
   */
  public static Graphs graphs() {
    return new Graphs(OPERATIONS, List.of(Shape.MIXED), 0, 30, 3, 0, -1);
  }

  /**
   * A family of graph shapes. Each is a way of choosing what each new computation reads; the
   * operations are drawn the same way in all of them.
   */
  public enum Shape {
    /**
     * Three inputs in four drawn from the four most recent variables, the rest from all: long
     * chains, variables with several readers, steps reading one variable twice, diamonds.
     */
    MIXED,
    /**
     * Every computation reads the first output of the one before it (its other inputs are graph
     * inputs or constants): one path through every computation.
     */
    CHAIN,
    /**
     * Forks and joins: computations read the current top variable until one with two or more
     * inputs joins the last two branches into a new top. Needs an operation of two inputs or
     * more to close a diamond.
     */
    DIAMOND,
    /**
     * Layers of two to eight computations, each reading only variables of the layer before (the
     * first layer reads graph inputs): shallow and wide, much independent work.
     */
    WIDE
  }

  /**
   * A configured generator of random graphs (immutable: every method returns a new one).
   * Shrinking goes towards fewer computations, fewer graph inputs, the first operation and the
   * first shape, so a counterexample lands on a small graph of simple steps.
   */
  public static final class Graphs {
    private final List<Operation> operations;
    private final List<Shape> shapes;
    private final int minSize;
    private final int maxSize;
    private final int maxInputs;
    private final long constantMin;
    private final long constantMax;

    private Graphs(List<Operation> operations, List<Shape> shapes, int minSize, int maxSize,
        int maxInputs, long constantMin, long constantMax) {
      this.operations = operations;
      this.shapes = shapes;
      this.minSize = minSize;
      this.maxSize = maxSize;
      this.maxInputs = maxInputs;
      this.constantMin = constantMin;
      this.constantMax = constantMax;
    }

    /**
     * Draws the operations of the graphs from {@code operations} (the first is the one
     * shrinking prefers), for instance the user's own.
     *
     * @throws IllegalArgumentException if the list is empty
     */
    public Graphs operations(List<? extends Operation> operations) {
      if (operations.isEmpty()) {
        throw new IllegalArgumentException(
            "No operations to build graphs of; pass at least one (DagArbitraries.operations() has"
                + " five).");
      }
      return new Graphs(List.copyOf(operations), shapes, minSize, maxSize, maxInputs,
          constantMin, constantMax);
    }

    /** Builds every graph in the family {@code shape}. */
    public Graphs shape(Shape shape) {
      return new Graphs(operations, List.of(shape), minSize, maxSize, maxInputs, constantMin,
          constantMax);
    }

    /** Draws each graph's family from all of {@link Shape} (shrinking towards MIXED). */
    public Graphs anyShape() {
      return new Graphs(operations, List.of(Shape.values()), minSize, maxSize, maxInputs,
          constantMin, constantMax);
    }

    /**
     * Builds graphs of {@code minSize} to {@code maxSize} computations.
     *
     * @throws IllegalArgumentException if {@code minSize < 0} or {@code maxSize < minSize}
     */
    public Graphs sizes(int minSize, int maxSize) {
      if (minSize < 0 || maxSize < minSize) {
        throw new IllegalArgumentException("Sizes " + minSize + ".." + maxSize
            + " are not a range. Pass 0 <= minSize <= maxSize.");
      }
      return new Graphs(operations, shapes, minSize, maxSize, maxInputs, constantMin,
          constantMax);
    }

    /**
     * Builds graphs over one to {@code maxInputs} graph inputs {@code in0, in1, ...}.
     *
     * @throws IllegalArgumentException if {@code maxInputs < 1}
     */
    public Graphs graphInputs(int maxInputs) {
      if (maxInputs < 1) {
        throw new IllegalArgumentException(
            "A graph needs a graph input to read; pass maxInputs >= 1, not " + maxInputs + ".");
      }
      return new Graphs(operations, shapes, minSize, maxSize, maxInputs, constantMin,
          constantMax);
    }

    /**
     * Lets about one read in four take a {@link Expr#constant(long) constant} in {@code [min,
     * max]} instead of a variable (shrinking towards {@code min}), for rewrites that fold or
     * propagate constants; the reads that make a family's shape (a chain's links, a diamond's
     * forks and joins) never do. A constant read by a computation is a graph input of the
     * composite.
     *
     * @throws IllegalArgumentException if {@code max < min}
     */
    public Graphs constants(long min, long max) {
      if (max < min) {
        throw new IllegalArgumentException(
            "Constants " + min + ".." + max + " are not a range. Pass min <= max.");
      }
      return new Graphs(operations, shapes, minSize, maxSize, maxInputs, min, max);
    }

    /**
     * Returns random composites, built with {@link CompositeComputation#of(java.util.Collection)}
     * from the computations in creation order (so {@link CompositeComputation#order()} is
     * creation order).
     */
    public Arbitrary<CompositeComputation> composites() {
      return computationLists().map(CompositeComputation::of);
    }

    /** Returns the computations of random composites in creation order (a topological order). */
    public Arbitrary<List<Computation>> computationLists() {
      int arity = 1;
      for (Operation op : operations) {
        arity = Math.max(arity, op.inputNames().size());
      }
      // One draw per computation, in a list: shrinking drops computations one by one.
      Arbitrary<Long> constant = hasConstants()
          ? Arbitraries.longs().between(constantMin, constantMax).injectNull(0.75)
          : Arbitraries.just(null);
      Arbitrary<Draw> draw = Combinators.combine(
              Arbitraries.integers().between(0, operations.size() - 1),
              Arbitraries.integers().between(0, 1 << 20).list().ofSize(arity),
              constant.list().ofSize(arity))
          .as(Draw::new);
      return Combinators.combine(
              Arbitraries.integers().between(0, shapes.size() - 1),
              Arbitraries.integers().between(1, maxInputs),
              Arbitraries.integers().between(2, 8),
              draw.list().ofMinSize(minSize).ofMaxSize(maxSize))
          .as((shape, inputs, width, draws) ->
              new Plan(this, shapes.get(shape), inputs, width, draws).build());
    }

    private boolean hasConstants() {
      return constantMax >= constantMin;
    }
  }

  /**
   * What decides one computation: its operation, a number per read choosing the variable, and
   * per read the constant it takes instead, or null.
   */
  private record Draw(int op, List<Integer> reads, List<Long> constants) {}

  /** One graph to build: the draws that decide it, turned into computations by {@link #build}. */
  private static final class Plan {
    private final Graphs spec;
    private final Shape shape;
    private final int width;
    private final List<Draw> draws;
    private final List<Expr> graphInputs = new ArrayList<>();
    private final List<Expr> vars = new ArrayList<>();
    private int next;

    Plan(Graphs spec, Shape shape, int inputs, int width, List<Draw> draws) {
      this.spec = spec;
      this.shape = shape;
      this.width = width;
      this.draws = draws;
      for (int i = 0; i < inputs; i++) {
        graphInputs.add(Expr.symbol("in" + i));
      }
      vars.addAll(graphInputs);
    }

    List<Computation> build() {
      List<Computation> out = new ArrayList<>(draws.size());
      // WIDE: the layers; DIAMOND: the top variable and the branches waiting to join.
      List<Expr> previousLayer = new ArrayList<>(graphInputs);
      List<Expr> layer = new ArrayList<>();
      Expr top = graphInputs.get(0);
      List<Expr> branches = new ArrayList<>();
      for (int s = 0; s < draws.size(); s++) {
        Operation op = spec.operations.get(draws.get(s).op());
        int arity = op.inputNames().size();
        List<Expr> ins = new ArrayList<>(arity);
        if (shape == Shape.WIDE && s > 0 && s % width == 0 && !layer.isEmpty()) {
          previousLayer = layer;
          layer = new ArrayList<>();
        }
        boolean joins = shape == Shape.DIAMOND && arity >= 2 && branches.size() >= 2;
        for (int k = 0; k < arity; k++) {
          int p = draws.get(s).reads().get(k);
          Long constant = draws.get(s).constants().get(k);
          ins.add(switch (shape) {
            case MIXED -> constant != null ? Expr.constant(constant) : recent(p);
            case CHAIN -> k == 0 && !out.isEmpty() ? out.get(s - 1).outputs().get(0)
                : free(p, constant);
            case WIDE -> constant != null ? Expr.constant(constant)
                : previousLayer.get(p % previousLayer.size());
            case DIAMOND -> joins && k < 2 ? branches.get(branches.size() - 2 + k)
                : k == 0 ? top : free(p, constant);
          });
        }
        List<Expr> outs = new ArrayList<>();
        for (int k = 0; k < op.outputNames().size(); k++) {
          outs.add(Expr.symbol("v" + next++));
        }
        vars.addAll(outs);
        layer.addAll(outs);
        if (!outs.isEmpty()) {
          if (joins) {
            top = outs.get(0);
            branches.clear();
          } else {
            branches.add(outs.get(0));
          }
        }
        out.add(Computation.of(op, ins, outs));
      }
      return out;
    }

    /** A recent variable three times in four, any variable otherwise. */
    private Expr recent(int p) {
      int defined = vars.size();
      int from = p % 4 == 0 ? 0 : Math.max(0, defined - RECENT);
      return vars.get(from + (p / 4) % (defined - from));
    }

    /** A graph input, or the constant drawn for this read. */
    private Expr free(int p, Long constant) {
      return constant != null ? Expr.constant(constant) : graphInputs.get(p % graphInputs.size());
    }
  }

  /**
   * Returns the computations of {@code g} in every order jqwik chooses to try, for laws that
   * must not depend on the order computations are given in.
   */
  public static Arbitrary<List<Computation>> shuffled(CompositeComputation g) {
    return Arbitraries.shuffle(g.order());
  }

  /**
   * A graph with a planted cycle: {@link #computations()}, shuffled, contain {@link
   * #closing()}, which reads an output of one of its own descendants.
   *
   * @param computations every computation, in an arbitrary order
   * @param closing the computation whose rewired input closes the cycle
   */
  public record PlantedCycle(List<Computation> computations, Computation closing) {
    /** Copies the list. */
    public PlantedCycle {
      computations = List.copyOf(computations);
    }
  }

  /**
   * Returns random DAGs of {@code minSize} to {@code maxSize} computations (at least one) in
   * which one computation's input is rewired to an output of that computation or one of its
   * descendants (up to four edges downstream), which plants a cycle. The computations come
   * shuffled.
   *
   * @throws IllegalArgumentException if {@code maxSize < 1} or the range is empty
   */
  public static Arbitrary<PlantedCycle> plantedCycles(int minSize, int maxSize) {
    if (maxSize < 1) {
      throw new IllegalArgumentException(
          "A cycle needs at least one computation; pass maxSize >= 1, not " + maxSize + ".");
    }
    return Combinators.combine(
            dags(Math.max(1, minSize), maxSize),
            Arbitraries.integers().between(0, 1 << 20).list().ofSize(5),
            Arbitraries.longs())
        .as(DagArbitraries::plant);
  }

  private static PlantedCycle plant(CompositeComputation g, List<Integer> r, long seed) {
    List<Computation> order = g.order();
    // Walk from a random computation a few edges downstream to b; then a reads an output of b.
    Computation a = order.get(r.get(0) % order.size());
    Computation b = a;
    for (int i = 0; i < r.get(1) % 5; i++) {
      List<Computation> next = g.successors(b);
      if (next.isEmpty()) {
        break;
      }
      b = next.get(r.get(2) % next.size());
    }
    List<Expr> ins = new ArrayList<>(a.inputs());
    ins.set(r.get(3) % ins.size(), b.outputs().get(r.get(4) % b.outputs().size()));
    Computation closing = Computation.of(a.operation(), ins, a.outputs());
    List<Computation> all = new ArrayList<>(order);
    all.set(all.indexOf(a), closing);
    Collections.shuffle(all, new Random(seed));
    return new PlantedCycle(all, closing);
  }
}
