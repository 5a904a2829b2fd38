package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dropping the in-memory cache, all or one op's calls, never the store; the cache's figures. */
class CacheClearingTest {
  @TempDir
  Path tmp;
  private final AtomicInteger runs = new AtomicInteger();
  private final Op inc = Op.builder("inc").inputs("x").version("1")
      .function(a -> {
        runs.incrementAndGet();
        return (Integer) a[0] + 1;
      }).build();
  // Text, so that no output of twice equals one of inc (equal values are cached once).
  private final Op twice = Op.builder("twice").inputs("x").version("1")
      .function(a -> {
        runs.incrementAndGet();
        return String.valueOf((Integer) a[0] * 2);
      }).build();

  private Storage open(long cacheBytes) {
    return Storage.open(tmp.resolve("store"), StorageOptions.defaults().initialEntries(1024).cacheBytes(cacheBytes));
  }

  /** Stores inc(x) and twice(x) for x in 0..n-1, then reopens and reads them all back once. */
  private Storage storedAndRead(int n) {
    try (Storage s = open(64L << 20); Session session = s.session()) {
      for (int x = 0; x < n; x++) {
        inc.call(x);
        twice.call(x);
      }
    }
    Storage s = open(64L << 20);
    readAll(s, n);
    return s;
  }

  private void readAll(Storage s, int n) {
    try (Session session = s.session(SessionMode.NO_NEW_CALLS)) {
      for (int x = 0; x < n; x++) {
        assertEquals(x + 1, inc.<Integer>call(x).value());
        assertEquals(String.valueOf(2 * x), twice.<String>call(x).value());
      }
    }
  }

  @Test
  void stats_showWhatTheCacheHoldsAndItsBound() {
    try (Storage s = storedAndRead(10)) {
      StorageStats st = s.stats();
      assertEquals(40, st.cacheEntries(), "20 call records and 20 outputs read: " + st);
      assertTrue(st.cacheWeight() > 0 && st.cacheWeight() <= st.cacheMaxWeight(), st.toString());
      assertEquals(64L << 20, st.cacheMaxWeight());
      readAll(s, 10);
      StorageStats again = s.stats();
      assertEquals(st.cacheMisses(), again.cacheMisses(), "the second reading is served by the cache");
      assertEquals(st.cacheHits() + 40, again.cacheHits());
      assertTrue(again.cacheHitRate() > 0 && again.cacheHitRate() < 1, again.toString());
    }
  }

  @Test
  void clearCache_dropsEverythingCachedButNothingStored() {
    try (Storage s = storedAndRead(10)) {
      long misses = s.stats().cacheMisses();
      assertEquals(40, s.clearCache());
      StorageStats cleared = s.stats();
      assertEquals(0, cleared.cacheEntries());
      assertEquals(0, cleared.cacheWeight());
      assertEquals(20, cleared.calls(), "the store keeps every call");
      runs.set(0);
      readAll(s, 10);   // NO_NEW_CALLS: every call is still stored
      assertEquals(0, runs.get(), "nothing ran again");
      assertEquals(misses + 40, s.stats().cacheMisses(), "every read went to the store again");
      assertEquals(0, s.stats().cacheEvictions(), "dropping is not evicting");
    }
  }

  @Test
  void clearCacheOfOneOp_dropsOnlyItsCallsAndTheirOutputs() {
    try (Storage s = storedAndRead(5)) {
      assertEquals(10, s.clearCache(inc));
      assertEquals(10, s.stats().cacheEntries(), "twice's 5 calls and 5 outputs stay");
      StorageStats before = s.stats();
      try (Session session = s.session(SessionMode.NO_NEW_CALLS)) {
        for (int x = 0; x < 5; x++) {
          twice.<String>call(x).value();
        }
      }
      assertEquals(before.cacheMisses(), s.stats().cacheMisses(), "twice is still cached");
      try (Session session = s.session(SessionMode.NO_NEW_CALLS)) {
        for (int x = 0; x < 5; x++) {
          inc.<Integer>call(x).value();
        }
      }
      assertEquals(before.cacheMisses() + 10, s.stats().cacheMisses(), "inc is read from the store");
      assertEquals(0, s.clearCache("no such op"));
    }
  }

  @Test
  void clearCache_keepsTheCallsOfOpenSessions() {
    try (Storage s = open(64L << 20); Session session = s.session()) {
      Ref<Integer> two = inc.call(1);
      s.clearCache();
      assertEquals(CallResult.Source.RETRACED, session.callPositional(inc, 1).source());
      assertEquals("4", twice.<String>call(two).value());
    }
    try (Storage s = open(64L << 20); Session session = s.session(SessionMode.NO_NEW_CALLS)) {
      assertEquals("4", twice.<String>call(inc.call(1)).value(), "committed at close");
    }
  }

  @Test
  void aSmallCache_evictsAndStaysWithinItsBound() {
    try (Storage s = open(64L << 20); Session session = s.session()) {
      for (int x = 0; x < 200; x++) {
        inc.call(x);
      }
    }
    try (Storage s = open(8 << 10)) {
      try (Session session = s.session(SessionMode.NO_NEW_CALLS)) {
        for (int x = 0; x < 200; x++) {
          inc.<Integer>call(x).value();
        }
      }
      StorageStats st = s.stats();
      assertTrue(st.cacheEvictions() > 0, st.toString());
      assertTrue(st.cacheWeight() <= st.cacheMaxWeight(), st.toString());
    }
  }

  @Test
  void aStorageInMemory_hasNoCacheToClear() {
    try (Storage s = Storage.inMemory()) {
      try (Session session = s.session()) {
        inc.call(1);
      }
      assertEquals(0, s.clearCache());
      StorageStats st = s.stats();
      assertEquals(0, st.cacheEntries() + st.cacheWeight() + st.cacheMaxWeight() + st.cacheHits());
      try (Session session = s.session(SessionMode.NO_NEW_CALLS)) {
        assertEquals(2, inc.<Integer>call(1).value(), "its maps are the store: nothing was dropped");
      }
    }
  }

  @Test
  void clearCacheOfNoOp_saysWhatIsMissing() {
    try (Storage s = Storage.inMemory()) {
      NullPointerException e = assertThrows(NullPointerException.class, () -> s.clearCache((String) null));
      assertTrue(e.getMessage().contains("op"), e.getMessage());
    }
  }
}
