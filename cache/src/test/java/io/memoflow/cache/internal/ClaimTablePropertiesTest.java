package io.memoflow.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.spi.HistoryId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The claims table is a set of claims per holder: under any sequence of claims and releases by
 * two holders on a table small enough that probes collide and wrap, each call is held by at
 * most one holder, a held call is refused to the other, and a released one is free again.
 */
class ClaimTablePropertiesTest {
  /** One step: holder (0 or 1), claim or release, which of 24 calls. */
  record Step(int holder, boolean claim, int call) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 1),
        Arbitraries.of(true, false), Arbitraries.integers().between(0, 23))
        .as(Step::new).list().ofMaxSize(200);
  }

  @Property(tries = 200)
  void twoHolders_behaveLikeOneOwnerPerCall(@ForAll("steps") List<Step> steps) throws Exception {
    Path dir = Files.createTempDirectory("memoflow-claims");
    ClaimTable a = new ClaimTable(dir, true, Duration.ofMinutes(1), 32);
    ClaimTable b = new ClaimTable(dir, false, Duration.ofMinutes(1), 32);
    try {
      ClaimTable[] t = {a, b};
      List<Set<Integer>> model = List.of(new HashSet<>(), new HashSet<>());
      for (Step s : steps) {
        HistoryId call = new HistoryId(s.call() * 0x1000_0000_0000L, s.call() % 3);
        int other = 1 - s.holder();
        if (s.claim()) {
          boolean got = t[s.holder()].claim(call);
          assertEquals(!model.get(other).contains(s.call()), got, s.toString());
          if (got) {
            model.get(s.holder()).add(s.call());
          }
        } else {
          t[s.holder()].release(call);
          model.get(s.holder()).remove(s.call());
        }
        for (int h = 0; h < 2; h++) {
          assertEquals(!model.get(h).isEmpty(), t[h].holdsAny());
        }
      }
      // Everything released by its holder is free for the other.
      for (int c = 0; c < 24; c++) {
        HistoryId call = new HistoryId(c * 0x1000_0000_0000L, c % 3);
        a.release(call);
        assertTrue(b.claim(call), "call " + c + " is free once released");
        assertFalse(a.claim(call), "and then held by the other");
      }
    } finally {
      a.close();
      b.close();
    }
  }
}
