package io.memoflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memoflow.cache.CallResult;
import io.memoflow.cache.Op;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Losing a member loses no committed call, and neither does stopping the whole cluster. */
class ClusterDurabilityTest {
  @TempDir Path tmp;
  private final AtomicInteger runs = new AtomicInteger();
  private final Op cube = Op.builder("cube").version("1").inputs("x").function(a -> {
    runs.incrementAndGet();
    long x = (Long) a[0];
    return x * x * x;
  }).build();

  private void commit(ClusterMember member, long from, long to) {
    try (Storage storage = member.storage(); Session s = storage.session()) {
      for (long x = from; x < to; x++) {
        cube.call(x);
      }
    }
  }

  /** Calls {@code from..to} through {@code member}: each must be retraced with its value. */
  private void assertRetraced(ClusterMember member, long from, long to) {
    int before = runs.get();
    try (Storage storage = member.storage(); Session s = storage.session()) {
      for (long x = from; x < to; x++) {
        CallResult r = s.callPositional(cube, x);
        assertEquals(CallResult.Source.RETRACED, r.source(), "cube(" + x + ")");
        assertEquals(x * x * x, r.call().<Long>output("output_0").value(), "cube(" + x + ")");
      }
    }
    assertEquals(before, runs.get(), "executions while retracing");
  }

  @Test
  void aMemberKilledAfterItsCommits_losesNoneOfThem() {
    try (Members cluster = Members.start("kill", 3)) {
      commit(cluster.get(0), 0, 300);
      cluster.terminate(0);   // no graceful handover: the backups take over
      assertRetraced(cluster.get(1), 0, 300);
      assertRetraced(cluster.get(2), 0, 300);
    }
  }

  @Test
  void aFullClusterRestart_retracesEveryCommittedCall_fromTheMembersLocalStores() {
    ClusterOptions options;
    try (Members cluster = Members.none("restart")) {
      for (int m = 0; m < 3; m++) {
        cluster.add(tmp.resolve("member" + m));
      }
      options = cluster.options();
      for (int m = 0; m < 3; m++) {
        commit(cluster.get(m), m * 100L, m * 100L + 100);
      }
      assertEquals(300, runs.get());
    }   // every member killed: nothing of the cluster's memory survives
    try (Members again = Members.of(options)) {
      for (int m = 0; m < 3; m++) {
        again.add(tmp.resolve("member" + m));
      }
      assertRetraced(again.get(0), 0, 300);
      assertRetraced(again.get(2), 0, 300);
    }
  }
}
