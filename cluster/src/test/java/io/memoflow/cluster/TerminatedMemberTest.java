package io.memoflow.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.memoflow.cache.Op;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import io.memoflow.cache.spi.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A member terminated while its storage commits: every commit ends, stored or with a clear
 * error. (Hazelcast may never complete an operation sent just before its member went down; a
 * commit that waited on it hung, and the engine's close behind it.)
 */
class TerminatedMemberTest {
  private final Op sq = Op.builder("sq").version("1").inputs("x")
      .function(a -> (Long) a[0] * (Long) a[0]).build();

  @Test
  void commitsRacingTheMembersEnd_allEnd_storedOrWithAClearError() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (Members cluster = Members.start("terminated", 2)) {
      Storage storage = cluster.get(1).storage();
      List<Future<?>> commits = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        long base = t * 100_000L;
        commits.add(pool.submit(() -> {
          for (long x = base; x < base + 100_000; x++) {
            try (Session s = storage.threadSession(io.memoflow.cache.SessionMode.NORMAL)) {
              sq.call(x);
            }
          }
          return null;
        }));
      }
      Thread.sleep(300);
      cluster.terminate(1);
      for (Future<?> f : commits) {
        try {
          f.get(30, TimeUnit.SECONDS);
          fail("a commit on a terminated member went on");
        } catch (TimeoutException e) {
          fail("a commit hung after its member was terminated");
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable c = e.getCause();
          assertTrue(c instanceof StorageException, () -> "not a storage error: " + c);
          assertTrue(c.getMessage().contains("not running"), c::getMessage);
        }
      }
      // What the failed commits left is committed at close: that fails as clearly.
      try {
        storage.close();
      } catch (StorageException e) {
        assertTrue(e.getMessage().contains("not running"), e::getMessage);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
