package io.memoflow.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunPolicyTest {

  @Test
  void defaults_failFastWithoutRetriesOrTimeout() {
    RunPolicy p = RunPolicy.defaults();
    assertEquals(RunPolicy.Failure.FAIL_FAST, p.failure());
    assertEquals(0, p.retries());
    assertEquals(Duration.ofMillis(100), p.backoff());
    assertEquals(Duration.ofSeconds(10), p.maxBackoff());
    assertEquals(Duration.ZERO, p.timeout());
    assertEquals(Duration.ofMillis(100), p.progressInterval());
    assertEquals(0, p.replay());
  }

  @Test
  void builder_setsEverySetting_andToBuilderKeepsThem() {
    RunPolicy p = RunPolicy.builder()
        .keepGoing()
        .retries(3, Duration.ofMillis(20))
        .maxBackoff(Duration.ofMillis(50))
        .timeout(Duration.ofSeconds(2))
        .progressInterval(Duration.ZERO)
        .replayAll()
        .build();
    assertEquals(RunPolicy.Failure.KEEP_GOING, p.failure());
    assertEquals(3, p.retries());
    assertEquals(Duration.ofMillis(20), p.backoff());
    assertEquals(Duration.ofMillis(50), p.maxBackoff());
    assertEquals(Duration.ofSeconds(2), p.timeout());
    assertEquals(Duration.ZERO, p.progressInterval());
    assertEquals(RunPolicy.REPLAY_ALL, p.replay());
    assertEquals(p.toString(), p.toBuilder().build().toString());
  }

  @Test
  void failFast_undoesKeepGoing() {
    RunPolicy keepGoing = RunPolicy.builder().keepGoing().build();
    RunPolicy back = keepGoing.toBuilder().failFast().build();
    assertEquals(RunPolicy.Failure.FAIL_FAST, back.failure());
    assertEquals(RunPolicy.defaults().toString(), back.toString());
  }

  @Test
  void backoffFor_doublesUpToMaxBackoff() {
    RunPolicy p = RunPolicy.builder()
        .retries(5, Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(50)).build();
    assertEquals(Duration.ofMillis(20), p.backoffFor(0));
    assertEquals(Duration.ofMillis(40), p.backoffFor(1));
    assertEquals(Duration.ofMillis(50), p.backoffFor(2));
    assertEquals(Duration.ofMillis(50), p.backoffFor(4));
  }

  @Test
  void builder_rejectsNegativeSettings() {
    RunPolicy.Builder b = RunPolicy.builder();
    assertThrows(IllegalArgumentException.class, () -> b.retries(-1, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> b.retries(1, Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.maxBackoff(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.timeout(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.progressInterval(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.replay(-1));
  }
}
