package io.memoflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Op;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Each new call is executed by exactly one member of the cluster; the others retrace it. */
class SingleFlightTest {
  private static final int CALLS = 500;
  private static final int THREADS = 16;

  @Test
  void sixteenThreadsOnEachOfThreeMembers_executeEachOf500NewCallsOnce() throws Exception {
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    Op square = Op.builder("square").version("1").inputs("x").function(a -> {
      long x = (Long) a[0];
      runs.computeIfAbsent(x, k -> new AtomicInteger()).incrementAndGet();
      return x * x;
    }).build();
    // The default lease: a holder slowed by a loaded machine must not lose its claims here.
    try (Members cluster = Members.start(Members.options("single-flight")
        .claimLease(ClusterOptions.defaults().claimLease()), 3)) {
      List<Storage> storages = new ArrayList<>();
      for (int m = 0; m < 3; m++) {
        storages.add(cluster.get(m).storage());
      }
      ExecutorService pool = Executors.newFixedThreadPool(3 * THREADS);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      long seed = new Random().nextLong();
      for (int t = 0; t < 3 * THREADS; t++) {
        Storage storage = storages.get(t % 3);
        Random order = new Random(seed + t);
        done.add(pool.submit(() -> {
          List<Long> xs = new ArrayList<>();
          for (long x = 0; x < CALLS; x++) {
            xs.add(x);
          }
          Collections.shuffle(xs, order);
          start.await();
          try (Session s = storage.threadSession(io.memoflow.cache.SessionMode.NORMAL)) {
            for (long x : xs) {
              Ref<Long> y = square.call(x);
              assertEquals(x * x, y.value(), "square(" + x + ")");
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
      pool.shutdown();
      assertEquals(CALLS, runs.size(), "calls executed (seed " + seed + ")");
      List<Long> twice = runs.entrySet().stream().filter(e -> e.getValue().get() != 1)
          .map(Map.Entry::getKey).sorted().toList();
      assertTrue(twice.isEmpty(), "executed more than once (seed " + seed + "): " + twice);
      for (Storage s : storages) {
        s.close();
      }
    }
  }
}
