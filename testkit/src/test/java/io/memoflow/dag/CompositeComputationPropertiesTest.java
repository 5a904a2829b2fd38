package io.memoflow.dag;

import io.memoflow.testkit.DagArbitraries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Laws of {@link CompositeComputation}, checked against a naive model on random DAGs. */
class CompositeComputationPropertiesTest {

  @Provide
  Arbitrary<CompositeComputation> dags() {
    return DagArbitraries.dags(0, 40);
  }

  @Provide
  Arbitrary<List<Computation>> shuffledDags() {
    return DagArbitraries.dags(0, 40).flatMap(DagArbitraries::shuffled);
  }

  @Provide
  Arbitrary<DagArbitraries.PlantedCycle> cycles() {
    return DagArbitraries.plantedCycles(1, 40);
  }

  // ------------------------------------------------------------------ order

  @Property
  void order_respectsEveryEdge(@ForAll("shuffledDags") List<Computation> given) {
    CompositeComputation g = CompositeComputation.of(given);
    Map<Expr, Computation> producer = producers(given);
    Map<Computation, Integer> pos = new HashMap<>();
    for (Computation c : g.order()) {
      for (Expr in : c.inputs()) {
        Computation p = producer.get(in);
        assertTrue(p == null || pos.containsKey(p), () -> c + " comes before the producer of " + in);
      }
      pos.put(c, pos.size());
    }
    assertEquals(new HashSet<>(given), new HashSet<>(g.order()));
  }

  @Property
  void order_isDeterministic(@ForAll("shuffledDags") List<Computation> given) {
    assertEquals(CompositeComputation.of(given).order(), CompositeComputation.of(given).order());
  }

  @Property
  void order_keepsATopologicalSequence(@ForAll("dags") CompositeComputation g) {
    assertEquals(g.order(), CompositeComputation.of(g.order()).order());
  }

  @Property
  void equality_ignoresTheGivenOrder(@ForAll("shuffledDags") List<Computation> given) {
    CompositeComputation a = CompositeComputation.of(given);
    List<Computation> reversed = new ArrayList<>(given);
    java.util.Collections.reverse(reversed);
    CompositeComputation b = CompositeComputation.of(reversed);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(new HashSet<>(a.inputs()), new HashSet<>(b.inputs()));
    assertEquals(new HashSet<>(a.outputs()), new HashSet<>(b.outputs()));
  }

  // ------------------------------------------------------------------ definition

  @Property
  void inputsAndOutputs_matchTheirDefinition(
      @ForAll("dags") CompositeComputation g, @ForAll Random rnd) {
    Set<Expr> read = new LinkedHashSet<>();
    Set<Expr> produced = new LinkedHashSet<>();
    for (Computation c : g.order()) {
      read.addAll(c.inputs());
      produced.addAll(c.outputs());
    }
    List<Expr> requested = sample(new ArrayList<>(g.variables()), rnd);
    CompositeComputation r = g.withOutputs(requested);

    Set<Expr> inputs = new HashSet<>(read);
    inputs.removeAll(produced);
    Set<Expr> outputs = new HashSet<>(produced);
    outputs.removeAll(read);
    outputs.addAll(requested);
    assertEquals(inputs, new HashSet<>(r.inputs()));
    assertEquals(r.inputs().size(), new HashSet<>(r.inputs()).size(), "no repeats");
    assertEquals(outputs, new HashSet<>(r.outputs()));
    assertEquals(r.outputs().size(), new HashSet<>(r.outputs()).size(), "no repeats");
    assertEquals(new LinkedHashSet<>(requested), r.requestedOutputs());
  }

  @Property
  void producerAndConsumers_matchTheComputations(@ForAll("dags") CompositeComputation g) {
    for (Expr v : g.variables()) {
      List<Computation> readers = new ArrayList<>();
      Computation producer = null;
      for (Computation c : g.order()) {
        if (c.inputs().contains(v)) {
          readers.add(c);
        }
        if (c.outputs().contains(v)) {
          producer = c;
        }
      }
      assertEquals(readers, g.consumersOf(v));
      assertEquals(java.util.Optional.ofNullable(producer), g.producerOf(v));
    }
  }

  @Property
  void variableIndices_pointIntoVariables(
      @ForAll("dags") CompositeComputation g, @ForAll Random rnd) {
    List<Expr> vs = g.variables();
    for (int i = 0; i < vs.size(); i++) {
      assertEquals(i, g.variableIndex(vs.get(i)));
    }
    assertEquals(-1, g.variableIndex(Expr.symbol("not-in-any-generated-graph")));
    CompositeComputation withOuts = vs.isEmpty() ? g : g.withOutputs(vs.get(rnd.nextInt(vs.size())));
    for (int q = 0; q < g.size(); q++) {
      List<Expr> ins = g.order().get(q).inputs();
      int[] at = g.inputVariableIndices(q);
      assertEquals(ins.size(), at.length);
      for (int k = 0; k < at.length; k++) {
        assertEquals(ins.get(k), vs.get(at[k]), "input " + k + " of computation " + q);
      }
    }
    for (Expr out : withOuts.outputs()) {
      assertEquals(out, withOuts.variables().get(withOuts.variableIndex(out)));
    }
  }

  // ------------------------------------------------------------------ composition

  @Property
  void compose_isAssociativeAndCommutative(
      @ForAll("dags") CompositeComputation g, @ForAll Random rnd) {
    List<CompositeComputation> p = split(g, 3, rnd);
    CompositeComputation a = p.get(0), b = p.get(1), c = p.get(2);
    CompositeComputation left = CompositeComputation.compose(CompositeComputation.compose(a, b), c);
    CompositeComputation right = CompositeComputation.compose(a, CompositeComputation.compose(b, c));
    assertEquals(left, right);
    assertEquals(CompositeComputation.compose(a, b), CompositeComputation.compose(b, a));
    assertEquals(CompositeComputation.compose(c, b, a), left);
    assertEquals(g, left);
  }

  @Property
  void compose_flatteningIsIdempotent(@ForAll("dags") CompositeComputation g, @ForAll Random rnd) {
    assertEquals(g, CompositeComputation.compose(g, g));
    assertEquals(g.order(), CompositeComputation.compose(g, g).order());
    List<CompositeComputation> p = split(g, 4, rnd);
    CompositeComputation nested = CompositeComputation.compose(
        CompositeComputation.compose(p.get(0), CompositeComputation.compose(p.get(1), p.get(2))),
        CompositeComputation.compose(p.get(3)));
    assertEquals(CompositeComputation.of(g.order()), nested);
    assertEquals(g.size(), nested.size());
  }

  // ------------------------------------------------------------------ pruning

  @Property
  void prune_keepsExactlyWhatRequestedOutputsNeed(
      @ForAll("dags") CompositeComputation g, @ForAll Random rnd) {
    List<Expr> wanted = sample(new ArrayList<>(g.variables()), rnd);
    CompositeComputation pruned = g.prune(wanted);

    // Naive closure: producers of wanted variables and, transitively, of what they read.
    Map<Expr, Computation> producer = producers(g.order());
    Set<Computation> needed = new HashSet<>();
    ArrayDeque<Expr> todo = new ArrayDeque<>(wanted);
    while (!todo.isEmpty()) {
      Computation p = producer.get(todo.pop());
      if (p != null && needed.add(p)) {
        todo.addAll(p.inputs());
      }
    }
    assertEquals(needed, new HashSet<>(pruned.order()));
    // Graph inputs that nothing kept reads are not variables of the pruned composite.
    List<Expr> kept = wanted.stream().filter(pruned::hasVariable).toList();
    for (Expr w : wanted) {
      assertTrue(pruned.hasVariable(w) || g.producerOf(w).isEmpty(), () -> w + " was lost");
    }
    assertEquals(new LinkedHashSet<>(kept), pruned.requestedOutputs());
    assertTrue(pruned.outputs().containsAll(kept));
    for (Computation c : pruned.order()) {
      assertTrue(g.contains(c));
    }
  }

  @Property
  void dependsOn_matchesDownstream(@ForAll("dags") CompositeComputation g, @ForAll Random rnd) {
    if (g.size() == 0) {
      return;
    }
    Computation earlier = g.order().get(rnd.nextInt(g.size()));
    CompositeComputation down = g.downstream(earlier.outputs());
    for (Computation later : g.order()) {
      assertEquals(down.contains(later), g.dependsOn(later, earlier), () -> later + " / " + earlier);
    }
    CompositeComputation up = g.upstream(earlier.inputs());
    for (Computation c : up.order()) {
      assertTrue(g.dependsOn(earlier, c));
    }
  }

  // ------------------------------------------------------------------ validation

  @Property
  void plantedCycle_isRejectedNamingARealCycle(@ForAll("cycles") DagArbitraries.PlantedCycle planted) {
    Exception e = assertThrows(
        IllegalArgumentException.class, () -> CompositeComputation.of(planted.computations()));
    CycleException cycle = assertInstanceOf(CycleException.class, e);
    List<Object> c = cycle.cycle();
    assertTrue(c.size() >= 3 && c.size() % 2 == 1, c::toString);
    assertEquals(c.get(0), c.get(c.size() - 1));
    Set<Computation> given = new HashSet<>(planted.computations());
    StringBuilder text = new StringBuilder("Cycle in DAG: ");
    for (int j = 1; j < c.size(); j += 2) {
      int i = j;
      Computation step = (Computation) c.get(i);
      assertTrue(given.contains(step), () -> step + " is not one of the given computations");
      assertTrue(step.inputs().contains(c.get(i - 1)), () -> step + " does not read " + c.get(i - 1));
      assertTrue(step.outputs().contains(c.get(i + 1)), () -> step + " does not produce " + c.get(i + 1));
      text.append(c.get(i - 1)).append(" -> ").append(step.operation().name()).append(" -> ");
    }
    text.append(c.get(c.size() - 1)).append('.');
    assertTrue(e.getMessage().startsWith(text.toString()), e.getMessage());
  }

  @Property
  void secondProducer_isRejectedNamingBoth(
      @ForAll("dags") CompositeComputation g, @ForAll Random rnd) {
    if (g.size() == 0) {
      return;
    }
    Computation c = g.order().get(rnd.nextInt(g.size()));
    Expr taken = c.outputs().get(rnd.nextInt(c.outputs().size()));
    Computation intruder = Computation.of(
        DagArbitraries.SQUARE, List.of(Expr.symbol("elsewhere")), List.of(taken));
    List<Computation> all = new ArrayList<>(g.order());
    all.add(rnd.nextInt(all.size() + 1), intruder);
    var e = assertThrows(IllegalArgumentException.class, () -> CompositeComputation.of(all));
    assertTrue(e.getMessage().startsWith("Variable " + taken + " is produced by two computations"),
        e.getMessage());
    assertTrue(e.getMessage().contains(c.toString()) && e.getMessage().contains(intruder.toString()),
        e.getMessage());
  }

  // ------------------------------------------------------------------ helpers

  static Map<Expr, Computation> producers(List<Computation> cs) {
    Map<Expr, Computation> producer = new HashMap<>();
    for (Computation c : cs) {
      for (Expr o : c.outputs()) {
        producer.put(o, c);
      }
    }
    return producer;
  }

  /** Splits g's computations into {@code k} composites; some computations go to two parts. */
  private static List<CompositeComputation> split(CompositeComputation g, int k, Random rnd) {
    List<List<Computation>> parts = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      parts.add(new ArrayList<>());
    }
    for (Computation c : g.order()) {
      parts.get(rnd.nextInt(k)).add(c);
      if (rnd.nextInt(5) == 0) {
        parts.get(rnd.nextInt(k)).add(c);
      }
    }
    return parts.stream().map(CompositeComputation::of).toList();
  }

  private static <T> List<T> sample(List<T> xs, Random rnd) {
    List<T> out = new ArrayList<>();
    for (T x : xs) {
      if (rnd.nextInt(4) == 0) {
        out.add(x);
      }
    }
    return out;
  }
}
