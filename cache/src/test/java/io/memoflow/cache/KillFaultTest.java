package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random points of a writer that commits batch after batch (computing, committing,
 * holding claims): after each kill the next open recovers the store, every call the writer
 * reported committed retraces with its value, nothing runs again, and verify finds the store
 * whole. The trials run on one store, so each recovers what the kills before it left.
 * 20 trials in the default build, 100 with {@code -Pfaults}.
 */
class KillFaultTest {
  private static final int TRIALS = Integer.getInteger("memoflow.faults.trials", 20);

  @TempDir
  Path tmp;

  private static Process writer(Path dir) throws Exception {
    return StoreWorker.start(true, List.of(), "loop", dir.toString());
  }

  @Test
  void killsAtRandomPoints_loseNoCommittedCall() throws Exception {
    Path dir = tmp.resolve("store");
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    int committedCalls = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      Process w = writer(dir);
      int batches = 0;
      try {
        BufferedReader r = new BufferedReader(new InputStreamReader(w.getInputStream(), StandardCharsets.UTF_8));
        // Let it retrace what earlier trials stored and commit a new batch or more, then kill
        // it at a random moment of its work (computing, committing, claiming).
        int want = committedCalls / 50 + 1 + random.nextInt(3);
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith("committed ")) {
            batches = Integer.parseInt(line.substring(10).trim()) + 1;
            if (batches >= want) {
              break;
            }
          }
        }
        Thread.sleep(random.nextInt(40));
      } finally {
        w.destroyForcibly();
        assertTrue(w.waitFor(30, TimeUnit.SECONDS));
      }
      // Its batches start from 0 each run: what it reported is stored, at least.
      committedCalls = Math.max(committedCalls, batches * 50);
      String where = "trial " + trial + " (seed " + seed + ")";
      try (Storage s = Storage.open(dir); Session session = s.session(SessionMode.NO_NEW_CALLS)) {
        for (int i = 0; i < committedCalls; i++) {
          assertEquals(i + 1, StoreWorker.INC.<Integer>call(i).value(), where);
        }
        assertEquals(0, s.stats().executed(), where);
      }
      assertTrue(Storage.verify(dir).isWhole(), where + ": " + Storage.verify(dir).damage());
    }
  }
}
