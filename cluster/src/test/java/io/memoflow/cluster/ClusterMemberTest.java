package io.memoflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterMemberTest {

  @Test
  void threeMembers_formOneCluster_seenByEach() {
    try (Members m = Members.none("join")) {
      for (int i = 0; i < 3; i++) {
        m.add(null);
      }
      for (int i = 0; i < 3; i++) {
        m.get(i).awaitClusterSize(3, Duration.ofSeconds(30));
        assertEquals(3, m.get(i).clusterSize(), "members seen by " + m.get(i).address());
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void awaitClusterSize_thatNeverComes_saysWhatItSawAndWhatToCheck() {
    try (Members m = Members.start("alone", 1)) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> m.get(0).awaitClusterSize(2, Duration.ofMillis(200)));
      assertTrue(e.getMessage().contains("sees 1 of 2 members"), e.getMessage());
      assertTrue(e.getMessage().contains(m.options().clusterName()), e.getMessage());
      assertTrue(e.getMessage().contains("same cluster name"), e.getMessage());
    }
  }
}
