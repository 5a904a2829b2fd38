package io.memoflow.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import io.memoflow.dag.rewrite.GraphRewrite;
import io.memoflow.testkit.DagArbitraries;
import io.memoflow.testkit.RewriteLaws;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class EnginePropertiesTest {

  @Provide
  Arbitrary<RandomDags.DagSpec> dags() {
    return RandomDags.dags(30);
  }

  @Property(tries = 150)
  void run_matchesSequentialEvaluation(
      @ForAll("dags") RandomDags.DagSpec dag, @ForAll @IntRange(min = 1, max = 4) int parallelism) {
    CompositeComputation g = dag.composite();
    Fixture fixture = dag.bind(new Fixture());
    try (Engine engine = fixture.builder().maxParallelism(parallelism).build()) {
      Map<Expr, Object> out =
          engine.run(g, dag.bindings()).outputs().block(Duration.ofSeconds(10));
      Map<Expr, Object> expected = dag.evaluate();
      assertEquals(g.outputs().size(), out.size());
      for (Expr o : g.outputs()) {
        assertEquals(expected.get(o), out.get(o), "output " + o);
      }
      assertEquals(g.size(), fixture.totalExecutions());
    }
  }

  @Property(tries = 100)
  void run_everyNodeStartsAfterItsInputsWereProduced(
      @ForAll("dags") RandomDags.DagSpec dag, @ForAll @IntRange(min = 1, max = 4) int parallelism) {
    CompositeComputation g = dag.composite();
    try (Engine engine = dag.bind(new Fixture()).builder().maxParallelism(parallelism)
        .policy(RunPolicy.builder().replayAll().progressInterval(Duration.ZERO).build())
        .build()) {
      Run run = engine.run(g, dag.bindings());
      run.outputs().block(Duration.ofSeconds(10));
      List<EngineEvent> events = run.events().collectList().block(Duration.ofSeconds(10));
      Events.assertCausal(g, events);
      assertEquals(g.size(), Events.count(events, EngineEvent.Started.class));
      EngineEvent.Progress last = (EngineEvent.Progress) events.get(events.size() - 1);
      assertEquals(g.size(), last.done());
    }
  }

  @Property(tries = 100)
  void react_matchesAFreshRunAfterEveryChange(
      @ForAll("dags") RandomDags.DagSpec dag, @ForAll("dags") RandomDags.DagSpec other) {
    // Feed dag's inputs, then change the first input to other's first value.
    CompositeComputation g = dag.composite();
    Map<Expr, Object> first = dag.bindings();
    Expr in0 = Expr.symbol("in0");
    long changed = other.inputs().get(0) + 1;
    RandomDags.DagSpec second = new RandomDags.DagSpec(
        replaceFirst(dag.inputs(), changed), dag.nodes());
    try (Engine engine = dag.bind(new Fixture()).builder().maxParallelism(2).build()) {
      Map<Expr, Object> change = first.containsKey(in0) ? Map.of(in0, changed) : Map.of();
      List<Map<Expr, Object>> outs = engine.react(g,
              reactor.core.publisher.Flux.just(first, change))
          .collectList().block(Duration.ofSeconds(10));
      assertEquals(2, outs.size());
      for (Expr o : g.outputs()) {
        assertEquals(dag.evaluate().get(o), outs.get(0).get(o));
        assertEquals(second.evaluate().get(o), outs.get(1).get(o));
      }
    }
  }

  @Property(tries = 100)
  void secondRun_isAllHits(
      @ForAll("dags") RandomDags.DagSpec dag, @ForAll @IntRange(min = 1, max = 4) int parallelism) {
    CompositeComputation g = dag.composite();
    Fixture fixture = dag.bind(new Fixture());
    try (Engine engine = fixture.builder().maxParallelism(parallelism)
        .policy(RunPolicy.builder().replayAll().build()).build()) {
      Map<Expr, Object> first = engine.run(g, dag.bindings()).outputs().block(Duration.ofSeconds(10));
      int executed = fixture.totalExecutions();
      Run second = engine.run(g, dag.bindings());
      assertEquals(first, second.outputs().block(Duration.ofSeconds(10)));
      assertEquals(executed, fixture.totalExecutions());
      List<EngineEvent> events = second.events().collectList().block(Duration.ofSeconds(10));
      assertEquals(g.size(), Events.count(events, EngineEvent.Hit.class));
      assertEquals(0, Events.count(events, EngineEvent.Computed.class));
    } finally {
      fixture.storage().close();
    }
  }

  /** Composites of the kit's five operations in every shape family, with input values. */
  @Provide
  Arbitrary<RewriteLaws.Case<Long>> families() {
    return RewriteLaws.of(GraphRewrite.of("none", g -> g), DagArbitraries::evaluate)
        .inputs(Arbitraries.longs().between(-50, 50)).build()
        .cases(DagArbitraries.graphs().anyShape().sizes(1, 40).composites());
  }

  @Property(tries = 150)
  void run_matchesThePlainEvaluation_inEveryShapeFamily(@ForAll("families") RewriteLaws.Case<Long> c,
      @ForAll @IntRange(min = 1, max = 4) int parallelism) {
    CompositeComputation g = c.composite();
    Fixture fixture = new Fixture();
    for (Operation op : DagArbitraries.operations()) {
      fixture.bind(op, in -> {
        List<Long> out = DagArbitraries.apply(op, java.util.Arrays.stream(in)
            .map(Long.class::cast).toList());
        return out.size() == 1 ? out.get(0) : out;
      });
    }
    RewriteLaws.Evaluator<Long> plain = DagArbitraries::evaluate;
    Map<Expr, Long> expected = plain.evaluateAll(g, c.inputs());
    try (Engine engine = fixture.builder().maxParallelism(parallelism).build()) {
      Map<Expr, Object> out =
          engine.run(g, Map.copyOf(c.inputs())).outputs().block(Duration.ofSeconds(10));
      for (Expr o : g.outputs()) {
        assertEquals(expected.get(o), out.get(o), () -> "output " + o + " of\n" + c);
      }
      // Equal computations are one call: at most one execution each.
      assertTrue(fixture.totalExecutions() <= g.size(), c::toString);
    }
  }

  private static List<Long> replaceFirst(List<Long> xs, long v) {
    java.util.ArrayList<Long> out = new java.util.ArrayList<>(xs);
    out.set(0, v);
    return out;
  }
}
