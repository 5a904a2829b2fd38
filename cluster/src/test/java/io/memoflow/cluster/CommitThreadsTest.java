package io.memoflow.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Op;
import io.memoflow.cache.Session;
import io.memoflow.cache.SessionMode;
import io.memoflow.cache.Storage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

/**
 * Commits start no thread each. (On a machine of two cores Hazelcast ran some callbacks of its
 * asynchronous operations on a new thread each: a thousand threads a second during a sweep.)
 */
class CommitThreadsTest {
  private final Op half = Op.builder("half").version("1").inputs("x")
      .function(a -> (Long) a[0] / 2).build();

  @Test
  void fiveHundredCommits_startAFewThreadsAtMost() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (Members cluster = Members.start("threads", 2); Storage storage = cluster.get(0).storage()) {
      for (long x = 0; x < 50; x++) {   // warm: pools start their threads
        try (Session s = storage.threadSession(SessionMode.NORMAL)) {
          half.call(x);
        }
      }
      long before = threads.getTotalStartedThreadCount();
      for (long x = 50; x < 550; x++) {
        try (Session s = storage.threadSession(SessionMode.NORMAL)) {
          half.call(x);
        }
      }
      long started = threads.getTotalStartedThreadCount() - before;
      assertTrue(started < 50, () -> started + " threads started by 500 commits; now running: "
          + Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList());
    }
  }
}
