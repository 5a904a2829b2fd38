package io.memoflow.dag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of computation DAGs, for property tests of anything that consumes or
 * rewrites a {@link CompositeComputation}. Published in the {@code memoflow-dag} test-jar:
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>io.memoflow</groupId>
 *   <artifactId>memoflow-dag</artifactId>
 *   <type>test-jar</type>
 *   <scope>test</scope>
 * </dependency>
 *
 * @Property
 * void myRewrite_keepsOutputs(@ForAll("dags") CompositeComputation g) { ... }
 *
 * @Provide
 * Arbitrary<CompositeComputation> dags() { return DagArbitraries.dags(1, 40); }
 * }</pre>
 *
 * <p>Generated graphs mix the {@link #operations()}: one, two and three inputs, one, two and
 * three outputs (including {@link Operation#MIN_MAX}). Graph inputs are symbols {@code in0},
 * {@code in1}, ...; every output is a fresh symbol {@code v0}, {@code v1}, ... in creation
 * order, so the builder and the general path can rebuild the same graph by name. Three inputs
 * in four are drawn from the four most recent variables and the rest from all variables, which
 * gives long chains, variables with several readers, steps reading one variable twice, and
 * diamonds (two paths from one variable to one computation). Values shrink towards fewer
 * computations, fewer inputs and the first operation. Thread-safe; every method returns a new
 * arbitrary.
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

  /** Returns the operations that generated graphs use: Square, MinMax, Add, Split3, Fma. */
  public static List<Operation> operations() {
    return OPERATIONS;
  }

  /** Returns random DAGs of 0 to 30 computations; see {@link #dags(int, int)}. */
  public static Arbitrary<CompositeComputation> dags() {
    return dags(0, 30);
  }

  /**
   * Returns random DAGs of {@code minSize} to {@code maxSize} computations over one to three
   * graph inputs, built with {@link CompositeComputation#of(java.util.Collection)} from the
   * computations in creation order (so {@link CompositeComputation#order()} is creation order).
   *
   * @throws IllegalArgumentException if {@code minSize < 0} or {@code maxSize < minSize}
   */
  public static Arbitrary<CompositeComputation> dags(int minSize, int maxSize) {
    return computationLists(minSize, maxSize).map(CompositeComputation::of);
  }

  /**
   * Returns the computations of random DAGs, as {@link #dags(int, int)} builds them, in
   * creation order (a topological order).
   *
   * @throws IllegalArgumentException if {@code minSize < 0} or {@code maxSize < minSize}
   */
  public static Arbitrary<List<Computation>> computationLists(int minSize, int maxSize) {
    if (minSize < 0 || maxSize < minSize) {
      throw new IllegalArgumentException(
          "Sizes " + minSize + ".." + maxSize + " are not a range. Pass 0 <= minSize <= maxSize.");
    }
    return Arbitraries.integers()
        .between(minSize, maxSize)
        .flatMap(
            n ->
                Combinators.combine(
                        Arbitraries.integers().between(1, 3),
                        Arbitraries.integers().between(0, OPERATIONS.size() - 1).list().ofSize(n),
                        Arbitraries.integers().between(0, 1 << 20).list().ofSize(3 * n))
                    .as(DagArbitraries::generate));
  }

  /** Builds the computations that a plan describes; see the class documentation. */
  private static List<Computation> generate(int graphInputs, List<Integer> ops, List<Integer> picks) {
    List<Expr> vars = new ArrayList<>();
    for (int i = 0; i < graphInputs; i++) {
      vars.add(Expr.symbol("in" + i));
    }
    int next = 0;
    List<Computation> out = new ArrayList<>(ops.size());
    for (int s = 0; s < ops.size(); s++) {
      Operation op = OPERATIONS.get(ops.get(s));
      List<Expr> ins = new ArrayList<>();
      for (int k = 0; k < op.inputNames().size(); k++) {
        int p = picks.get(3 * s + k);
        int defined = vars.size();
        int from = p % 4 == 0 ? 0 : Math.max(0, defined - RECENT);
        ins.add(vars.get(from + (p / 4) % (defined - from)));
      }
      List<Expr> outs = new ArrayList<>();
      for (int k = 0; k < op.outputNames().size(); k++) {
        outs.add(Expr.symbol("v" + next++));
      }
      vars.addAll(outs);
      out.add(Computation.of(op, ins, outs));
    }
    return out;
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
