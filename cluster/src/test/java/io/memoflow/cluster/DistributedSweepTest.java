package io.memoflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Op;
import io.memoflow.cache.Storage;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import io.memoflow.reactive.Engine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** A sweep's points are spread over the members, and survive a member lost mid-sweep. */
class DistributedSweepTest {
  static final Operation SLOW_SQUARE =
      Operation.of("SlowSquare", List.of("x"), List.of("y"));
  static final CompositeComputation STUDY = Dag.builder().input("x")
      .step(SLOW_SQUARE, "x").as("y").build();
  static final Expr X = Expr.symbol("x");
  static final Expr Y = Expr.symbol("y");

  private final AtomicInteger runs = new AtomicInteger();
  private final Op slowSquare = slowSquare(runs);

  /** {@code x * x}, taking 2 ms; counts its runs in {@code runs} (if not null). */
  static Op slowSquare(AtomicInteger runs) {
    return Op.builder("SlowSquare").version("1").inputs("x")
        .function(a -> {
          if (runs != null) {
            runs.incrementAndGet();
          }
          Thread.sleep(2);
          return (Long) a[0] * (Long) a[0];
        }).build();
  }

  private List<ClusterSweeps> registerOnAll(Members cluster, List<AutoCloseable> open) {
    List<ClusterSweeps> sweeps = new ArrayList<>();
    for (int m = 0; m < 3; m++) {
      Storage storage = cluster.get(m).storage();
      Engine engine = Engine.builder().storage(storage).maxParallelism(2)
          .bind(SLOW_SQUARE, slowSquare).build();
      open.add(engine);
      open.add(storage);
      sweeps.add(ClusterSweeps.register(cluster.get(m), "squares", engine, STUDY));
    }
    return sweeps;
  }

  static Flux<Map<Expr, Object>> points(int n) {
    return Engine.grid(Map.of(X, java.util.stream.LongStream.range(0, n).boxed().toList()));
  }

  @Test
  void pointsAreSpreadOverEveryMember_andASecondSweepIsAllRetraced() throws Exception {
    List<AutoCloseable> open = new ArrayList<>();
    try (Members cluster = Members.start("spread", 3)) {
      List<ClusterSweeps> sweeps = registerOnAll(cluster, open);
      List<ClusterSweeps.Placed> got = sweeps.get(0).sweepPlaced(points(300)).collectList()
          .block(Duration.ofMinutes(2));
      Set<String> members = new HashSet<>();
      for (ClusterSweeps.Placed p : got) {
        members.add(p.member());
        long x = (Long) p.result().bindings().get(X);
        assertEquals(x * x, p.result().output(Y));
      }
      assertEquals(300, got.size());
      assertEquals(3, members.size(), "members that ran points: " + members);
      assertEquals(300, runs.get(), "each point computed once in the cluster");
      assertEquals(300, sweeps.get(2).sweep(points(300)).count().block(Duration.ofMinutes(2)));
      assertEquals(300, runs.get(), "the second sweep, from another member, retraced every point");
    } finally {
      for (AutoCloseable c : open) {
        c.close();
      }
    }
  }

  @Test
  void aMemberKilledMidSweep_losesNoPoint() throws Exception {
    List<AutoCloseable> open = new ArrayList<>();
    try (Members cluster = Members.start("sweep-kill", 3)) {
      List<ClusterSweeps> sweeps = registerOnAll(cluster, open);
      AtomicInteger seen = new AtomicInteger();
      List<ClusterSweeps.Placed> got = sweeps.get(0).sweepPlaced(points(600))
          .doOnNext(p -> {
            if (seen.incrementAndGet() == 100) {
              new Thread(() -> cluster.terminate(2)).start();   // mid-sweep, no handover
            }
          })
          .collectList().block(Duration.ofMinutes(2));
      assertEquals(600, got.size(), "every point has a result");
      Set<Long> xs = new HashSet<>();
      for (ClusterSweeps.Placed p : got) {
        assertTrue(p.result().succeeded(), () -> String.valueOf(p.result().error()));
        long x = (Long) p.result().bindings().get(X);
        xs.add(x);
        assertEquals(x * x, p.result().output(Y));
      }
      assertEquals(600, xs.size(), "distinct points");
    } finally {
      for (AutoCloseable c : open) {
        try {
          c.close();
        } catch (RuntimeException e) {
          // the killed member's storage cannot commit any more
        }
      }
    }
  }
}
