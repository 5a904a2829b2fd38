package io.memoflow.dag;

import io.memoflow.testkit.DagArbitraries;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The builder's fast path agrees with the general path of {@link CompositeComputation#of}. */
class DagBuilderPropertiesTest {

  @Provide
  Arbitrary<CompositeComputation> dags() {
    return DagArbitraries.dags(0, 60);
  }

  @Property
  void builder_buildsWhatTheGeneralPathBuilds(@ForAll("dags") CompositeComputation g) {
    CompositeComputation built = rebuild(g);
    assertEquals(g, built);
    assertEquals(g.order(), built.order());
    assertEquals(g.inputs(), built.inputs());
    assertEquals(g.outputs(), built.outputs());
    for (Expr v : g.variables()) {
      assertEquals(g.producerOf(v), built.producerOf(v));
      assertEquals(g.consumersOf(v), built.consumersOf(v));
    }
    for (int q = 0; q < g.size(); q++) {
      assertEquals(List.of(g.predecessors(g.order().get(q))), List.of(built.predecessors(built.order().get(q))));
    }
  }

  @Property
  void builder_isDeterministic(@ForAll("dags") CompositeComputation g) {
    assertEquals(rebuild(g).order(), rebuild(g).order());
    assertEquals(rebuild(g).toDot(), rebuild(g).toDot());
  }

  /** Replays g's computations, in order, as named builder steps. */
  static CompositeComputation rebuild(CompositeComputation g) {
    Dag.Builder b = Dag.builder();
    for (Expr in : g.inputs()) {
      b.input(in.toString());
    }
    for (Computation c : g.order()) {
      String[] ins = c.inputs().stream().map(Expr::toString).toArray(String[]::new);
      String[] outs = c.outputs().stream().map(Expr::toString).toArray(String[]::new);
      b.step(c.operation(), ins).as(outs);
    }
    return b.build();
  }
}
