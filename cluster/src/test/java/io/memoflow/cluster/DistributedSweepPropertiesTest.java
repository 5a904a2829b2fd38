package io.memoflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Call;
import io.memoflow.cache.Op;
import io.memoflow.cache.Storage;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import io.memoflow.reactive.Engine;
import io.memoflow.reactive.SweepResult;
import io.memoflow.testkit.DagArbitraries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** A sweep spread over three members gives the results and call ids one machine gives. */
class DistributedSweepPropertiesTest {
  private static Members cluster;
  private static final List<Storage> storages = new ArrayList<>();
  private static final List<Engine> engines = new ArrayList<>();
  private static final Map<Operation, Op> OPS = new HashMap<>();

  static {
    for (Operation operation : DagArbitraries.operations()) {
      OPS.put(operation, Op.builder(operation.name()).version("1")
          .inputs(operation.inputNames().toArray(String[]::new))
          .outputs(operation.outputNames().toArray(String[]::new))
          .function(in -> {
            List<Long> out = DagArbitraries.apply(operation,
                Arrays.stream(in).map(Long.class::cast).toList());
            return out.size() == 1 ? out.get(0) : out;
          }).build());
    }
  }

  static Engine engine(Storage storage) {
    Engine.Builder b = Engine.builder().storage(storage).maxParallelism(2);
    OPS.forEach(b::bind);
    return b.build();
  }

  @BeforeContainer
  static void startCluster() {
    cluster = Members.start("sweep", 3);
    for (int m = 0; m < 3; m++) {
      Storage s = cluster.get(m).storage();
      storages.add(s);
      engines.add(engine(s));
    }
  }

  @AfterContainer
  static void stopCluster() {
    engines.forEach(Engine::close);
    storages.forEach(Storage::close);
    cluster.close();
  }

  /** A composite and a grid of 2 to 4 values per graph input. */
  record Study(CompositeComputation composite, List<Map<Expr, Object>> points) {
    @Override
    public String toString() {
      return composite + "points " + points.size();
    }
  }

  @Provide
  Arbitrary<Study> studies() {
    return DagArbitraries.graphs().anyShape().sizes(1, 12).composites().flatMap(g ->
        Combinators.combine(Arbitraries.longs().between(-20, 20).list().ofMinSize(2).ofMaxSize(4)
                .list().ofSize(g.inputs().size()), Arbitraries.just(g))
            .as((axes, c) -> {
              Map<Expr, List<?>> grid = new LinkedHashMap<>();
              for (int i = 0; i < c.inputs().size(); i++) {
                grid.put(c.inputs().get(i), axes.get(i));
              }
              return new Study(c, Engine.grid(grid).collectList().block());
            }));
  }

  @Property(tries = 15)
  void aSweepOverThreeMembers_givesTheResultsAndIdsOfOneMachine(@ForAll("studies") Study study) {
    String name = "sweep-" + UUID.randomUUID();
    List<ClusterSweeps> registered = new ArrayList<>();
    for (int m = 0; m < 3; m++) {
      registered.add(ClusterSweeps.register(cluster.get(m), name, engines.get(m),
          study.composite()));
    }
    try (Storage single = Storage.inMemory(); Engine alone = engine(single)) {
      Map<Map<Expr, Object>, Map<Expr, Object>> expected = new HashMap<>();
      alone.sweep(study.composite(), reactor.core.publisher.Flux.fromIterable(study.points()))
          .doOnNext(r -> expected.put(r.bindings(), r.outputs())).blockLast(Duration.ofMinutes(1));
      List<ClusterSweeps.Placed> got = registered.get(0)
          .sweepPlaced(reactor.core.publisher.Flux.fromIterable(study.points()))
          .collectList().block(Duration.ofMinutes(2));
      assertEquals(study.points().size(), got.size(), study::toString);
      for (ClusterSweeps.Placed p : got) {
        SweepResult r = p.result();
        assertTrue(r.succeeded(), () -> String.valueOf(r.error()));
        assertEquals(expected.get(r.bindings()), r.outputs(), () -> r.bindings() + "\n" + study);
      }
      Set<String> clusterIds = new HashSet<>();
      Set<String> singleIds = new HashSet<>();
      for (Operation operation : DagArbitraries.operations()) {
        storages.get(1).calls(operation.name()).forEach(c -> clusterIds.add(id(c)));
        single.calls(operation.name()).forEach(c -> singleIds.add(id(c)));
      }
      assertTrue(clusterIds.containsAll(singleIds),
          () -> "calls one machine stored that the cluster did not\n" + study);
    } finally {
      registered.forEach(ClusterSweeps::close);
    }
  }

  private static String id(Call c) {
    return c.historyId().hex();
  }
}
