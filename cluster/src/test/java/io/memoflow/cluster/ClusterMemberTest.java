package io.memoflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClusterMemberTest {

  @Test
  void threeMembers_formOneCluster() {
    try (Members m = Members.start("join", 3)) {
      for (int i = 0; i < 3; i++) {
        assertEquals(3, m.get(i).clusterSize(), "members seen by " + m.get(i).address());
      }
    }
  }
}
