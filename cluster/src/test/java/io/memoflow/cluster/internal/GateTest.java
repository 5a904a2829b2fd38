package io.memoflow.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import io.memoflow.cluster.Members;
import org.junit.jupiter.api.Test;

/** The gate between side-by-side commits and exclusive sections, on a real cluster of two. */
class GateTest {

  @Test
  void commitsAndExclusiveSections_neverOverlap_andADeadCommitCountsUntilItsLease()
      throws InterruptedException {
    try (Members cluster = Members.start("gate", 2)) {
      IMap<String, Gate> gate = cluster.get(1).hazelcast().getMap("gate-test");
      assertTrue(gate.executeOnKey(Gate.KEY, Gate.enter("a", 60_000)), "enters an open gate");
      assertEquals(1, gate.executeOnKey(Gate.KEY, Gate.raise("x")), "one commit inside");
      assertFalse(gate.executeOnKey(Gate.KEY, Gate.enter("b", 60_000)), "raised: no entry");
      gate.executeOnKey(Gate.KEY, Gate.leave("a"));
      assertEquals(0, gate.executeOnKey(Gate.KEY, Gate.inFlight()), "the commit left");
      gate.executeOnKey(Gate.KEY, Gate.lower());
      assertTrue(gate.executeOnKey(Gate.KEY, Gate.enter("c", 100)), "lowered: enters again");
      assertEquals(1, gate.executeOnKey(Gate.KEY, Gate.inFlight()));
      Thread.sleep(250);   // "c" never leaves, as a commit of a member that died inside
      assertEquals(0, gate.executeOnKey(Gate.KEY, Gate.inFlight()), "its lease passed");
    }
  }
}
