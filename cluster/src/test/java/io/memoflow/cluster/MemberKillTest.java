package io.memoflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.CallResult;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import io.memoflow.reactive.Engine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of a member JVM during a sweep: the sweep completes on the others, and every
 * call any member committed is retraced afterwards.
 */
class MemberKillTest {

  private static Process member(String cluster) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        SweepMemberProcess.class.getName(), cluster));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String line = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8)).readLine();
    assertTrue(line != null && line.startsWith("ready"), "the member JVM said " + line);
    return p;
  }

  @Test
  void killingAMemberJvmMidSweep_losesNoPointAndNoCommittedCall() throws Exception {
    ClusterOptions options = Members.options("kill9");
    List<Process> children = List.of(member(options.clusterName()), member(options.clusterName()));
    try (ClusterMember self = ClusterMember.start(options);
         Storage storage = self.storage();
         Engine engine = Engine.builder().storage(storage).maxParallelism(2)
             .bind(DistributedSweepTest.SLOW_SQUARE, DistributedSweepTest.slowSquare(null)).build();
         ClusterSweeps sweeps = ClusterSweeps.register(self, "squares", engine,
             DistributedSweepTest.STUDY)) {
      self.awaitClusterSize(3, Duration.ofSeconds(60));
      AtomicInteger seen = new AtomicInteger();
      Set<String> ranOn = new HashSet<>();
      List<ClusterSweeps.Placed> got = sweeps.sweepPlaced(DistributedSweepTest.points(600), 8)
          .doOnNext(p -> {
            ranOn.add(p.member());
            if (seen.incrementAndGet() == 100) {
              children.get(0).destroyForcibly();   // SIGKILL: no goodbye to the cluster
            }
          })
          .collectList().block(Duration.ofMinutes(3));
      assertEquals(600, got.size(), "every point has a result");
      Set<Long> xs = new HashSet<>();
      for (ClusterSweeps.Placed p : got) {
        assertTrue(p.result().succeeded(), () -> String.valueOf(p.result().error()));
        long x = (Long) p.result().bindings().get(DistributedSweepTest.X);
        xs.add(x);
        assertEquals(x * x, p.result().output(DistributedSweepTest.Y));
      }
      assertEquals(600, xs.size(), "distinct points");
      assertTrue(ranOn.size() >= 2, "members that ran points: " + ranOn);
      // Every point's call is in the store: retraced here, none run again.
      AtomicInteger runs = new AtomicInteger();
      try (Session s = storage.session()) {
        for (long x = 0; x < 600; x++) {
          CallResult r = s.callPositional(DistributedSweepTest.slowSquare(runs), x);
          assertEquals(CallResult.Source.RETRACED, r.source(), "SlowSquare(" + x + ")");
        }
      }
      assertEquals(0, runs.get(), "calls run again after the kill");
    } finally {
      for (Process p : children) {
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }
}
