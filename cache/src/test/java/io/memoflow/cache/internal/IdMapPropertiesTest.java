package io.memoflow.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** IdMap answers like a HashMap keyed by (hi, lo), under any mix of puts and removes, and concurrent reads see only written values. */
class IdMapPropertiesTest {

  /** One operation on a key drawn from a small pool, so that puts, removes and re-puts collide. */
  record Step(int kind, int key, int value) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> step = Combinators.combine(
        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 200),
        Arbitraries.integers().between(1, 1_000_000)).as(Step::new);
    return step.list().ofMaxSize(2_000);
  }

  /** Keys from a small pool, spread over both halves; some share a hi and differ only in lo. */
  private static long hi(int key) {
    return key % 3 == 0 ? 7L : key * 0x9E3779B97F4A7C15L;
  }

  private static long lo(int key) {
    return key % 5 == 0 && key % 3 != 0 ? 0L : key; // (hi, lo) stays unique per key
  }

  @Property(tries = 300)
  void answersLikeAHashMap(@ForAll("steps") List<Step> steps) {
    IdMap<Integer> map = new IdMap<>();
    Map<Integer, Integer> model = new HashMap<>();
    for (Step s : steps) {
      long hi = hi(s.key()), lo = lo(s.key());
      switch (s.kind()) {
        case 0, 1 -> assertEquals(model.putIfAbsent(s.key(), s.value()), map.putIfAbsent(hi, lo, s.value()));
        case 2 -> assertEquals(model.remove(s.key()), map.remove(hi, lo));
        default -> assertEquals(model.get(s.key()), map.get(hi, lo));
      }
      assertEquals(model.size(), map.size());
    }
    for (int k = 0; k <= 200; k++) {
      assertEquals(model.get(k), map.get(hi(k), lo(k)), "key " + k);
      assertEquals(model.containsKey(k), map.containsKey(hi(k), lo(k)));
    }
    Map<Integer, Integer> seen = new HashMap<>();
    map.forEach((hi, lo, v) -> {
      int key = (int) (lo == 0 ? findKey(hi, lo) : lo);
      assertNull(seen.put(key, v), "an entry iterated twice");
    });
    assertEquals(model, seen);
  }

  private static int findKey(long hi, long lo) {
    for (int k = 0; k <= 200; k++) {
      if (hi(k) == hi && lo(k) == lo) {
        return k;
      }
    }
    throw new AssertionError("iterated a key never put: " + hi + "/" + lo);
  }

  @Test
  void removeWithExpected_removesOnlyThatValue() {
    IdMap<String> map = new IdMap<>();
    String a = new String("a");
    map.putIfAbsent(1, 2, a);
    assertNull(map.remove(1, 2, new String("a")), "compares values by identity");
    assertSame(a, map.get(1, 2));
    assertSame(a, map.remove(1, 2, a));
    assertNull(map.get(1, 2));
    assertEquals(0, map.size());
  }

  @Test
  void nullValues_areRejected() {
    assertThrows(NullPointerException.class, () -> new IdMap<String>().putIfAbsent(1, 1, null));
  }

  @Test
  void clear_forgetsEverything() {
    IdMap<Integer> map = new IdMap<>();
    for (int i = 0; i < 1000; i++) {
      map.putIfAbsent(i, -i, i);
    }
    map.clear();
    assertEquals(0, map.size());
    assertNull(map.get(5, -5));
    map.forEach((hi, lo, v) -> {
      throw new AssertionError("cleared map iterated " + v);
    });
  }

  /**
   * Readers racing one writer (puts that grow the table, removes, re-puts): a read returns null
   * or the value written for that key, never another key's; and a key whose put completed before
   * the read started, and that nobody removes, is always found.
   */
  @Test
  void concurrentReaders_seeOnlyWrittenValues() throws InterruptedException {
    IdMap<Long> map = new IdMap<>();
    int keys = 200_000;
    AtomicLong published = new AtomicLong(-1); // every even key up to this one is in the map for good
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      long seed = r;
      readers.add(new Thread(() -> {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        while (!done.get()) {
          long upTo = published.get();
          long k = rnd.nextLong(keys);
          Long v = map.get(k * 0x9E3779B97F4A7C15L, k);
          if (v != null && v != k) {
            errors.add("key " + k + " read value " + v);
          }
          if (upTo >= 0) {
            long even = rnd.nextLong(upTo / 2 + 1) * 2;
            if (map.get(even * 0x9E3779B97F4A7C15L, even) == null) {
              errors.add("key " + even + " put before the read was not found");
            }
          }
        }
      }));
    }
    readers.forEach(Thread::start);
    for (long k = 0; k < keys; k++) {
      map.putIfAbsent(k * 0x9E3779B97F4A7C15L, k, k);
      if (k % 2 == 1) { // odd keys come and go; even keys stay
        map.remove(k * 0x9E3779B97F4A7C15L, k);
        map.putIfAbsent(k * 0x9E3779B97F4A7C15L, k, k);
        map.remove(k * 0x9E3779B97F4A7C15L, k);
      } else {
        published.set(k);
      }
    }
    done.set(true);
    for (Thread t : readers) {
      t.join();
    }
    assertTrue(errors.isEmpty(), () -> errors.size() + " bad reads, e.g. " + errors.peek());
    assertEquals(keys / 2, map.size());
  }
}
