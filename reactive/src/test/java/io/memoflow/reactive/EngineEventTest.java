package io.memoflow.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EngineEventTest {

  @Test
  void progress_countsDoneFractionAndRate() {
    // 500 nodes; 100 hits, 20 computed, 0 failed after half a second.
    EngineEvent.Progress p =
        new EngineEvent.Progress(500, 130, 100, 20, 0, 500_000_000L, false, false, 7L);
    assertEquals(120, p.done());
    assertEquals(0.24, p.fractionDone(), 1e-12);
    assertEquals(240.0, p.rate(), 1e-9);
    assertEquals("120/500 (hits 100, computed 20, failed 0) 240/s", p.toString());
  }

  @Test
  void progress_beforeAnyTimeOrOfAnEmptyRun() {
    EngineEvent.Progress empty = new EngineEvent.Progress(0, 0, 0, 0, 0, 0L, true, false, 0L);
    assertEquals(0.0, empty.rate());
    assertEquals(1.0, empty.fractionDone());
    assertEquals("0/0 (hits 0, computed 0, failed 0) 0/s finished", empty.toString());
    EngineEvent.Progress cancelled =
        new EngineEvent.Progress(3, 1, 0, 1, 0, 1_000_000_000L, true, true, 0L);
    assertEquals("1/3 (hits 0, computed 1, failed 0) 1/s cancelled", cancelled.toString());
  }
}
