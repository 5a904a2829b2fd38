package io.memoflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.CallResult;
import io.memoflow.cache.Op;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import io.memoflow.cache.spi.StorageException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A member that dies holding a claim on a call it runs has it taken over within the lease. */
class ClaimTakeoverTest {

  @Test
  void aClaimOfAMemberKilledMidCall_isTakenOverWithinTheLease() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    Op slow = Op.builder("slow").version("1").inputs("x").function(a -> {
      if (runs.incrementAndGet() == 1) {
        running.countDown();
        never.await();   // the first runner hangs until its member is gone
      }
      return (Long) a[0] * 2;
    }).build();
    try (Members cluster = Members.start("takeover", 3)) {
      Duration lease = cluster.options().claimLease();
      Storage doomed = cluster.get(0).storage();
      CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
        try (Session s = doomed.session()) {
          slow.call(21L);
        } catch (RuntimeException e) {
          // its member is killed under it
        }
      });
      assertTrue(running.await(30, TimeUnit.SECONDS), "the first member started the call");
      long killed = System.nanoTime();
      cluster.terminate(0);
      try (Storage storage = cluster.get(1).storage(); Session s = storage.session()) {
        CallResult r = s.callPositional(slow, 21L);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertEquals(CallResult.Source.EXECUTED, r.source());
        assertEquals(42L, r.call().<Long>output("output_0").value());
        assertTrue(waited < lease.toMillis() + 3_000,
            "took over after " + waited + " ms; the lease is " + lease.toMillis() + " ms");
      } finally {
        never.countDown();
      }
      assertEquals(2, runs.get(), "runs: the dead member's and the one that took over");
      first.get(30, TimeUnit.SECONDS);   // its session fails to commit on a dead member
      // Its storage cannot share what it holds: a clear error, not Hazelcast's.
      StorageException e = assertThrows(StorageException.class, doomed::close);
      assertTrue(e.getMessage().contains("is not running"), e.getMessage());
      doomed.close();   // closed all the same: a second close does nothing
    }
  }
}
