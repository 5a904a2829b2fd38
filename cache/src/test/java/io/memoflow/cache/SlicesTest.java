package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.frame.ComputationFrame;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memoized slices of stored lists and element access by index and by key. */
class SlicesTest {
  private final AtomicInteger runs = new AtomicInteger();
  private final AtomicInteger listRuns = new AtomicInteger();
  private final Op sum = Op.builder("sum").inputs("xs").version("1").function(a -> {
    runs.incrementAndGet();
    return ((List<?>) a[0]).stream().mapToInt(x -> (Integer) x).sum();
  }).build();
  private final Op inc = Op.builder("inc").inputs("x").version("1").function(a -> {
    runs.incrementAndGet();
    return (Integer) a[0] + 1;
  }).build();
  /** primes(n): the first n primes, a list an op returns (stored whole, not element by element). */
  private final Op primes = Op.builder("primes").inputs("n").version("1").function(a -> {
    listRuns.incrementAndGet();
    List<Integer> ps = new java.util.ArrayList<>();
    for (int k = 2; ps.size() < (Integer) a[0]; k++) {
      final int c = k;
      if (ps.stream().noneMatch(p -> c % p == 0)) {
        ps.add(k);
      }
    }
    return ps;
  }).build();

  @Test
  void aSlice_isMemoized_andCallsOnItReuseWhatWasStored() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Ref<List<Integer>> ps = primes.call(5);                 // [2, 3, 5, 7, 11]
      Ref<List<Integer>> head = s.slice(ps, 0, 2);
      assertEquals(List.of(2, 3), head.value());
      assertEquals(head, s.slice(ps, 0, 2), "the same slice: the same ref");
      assertEquals(Ref.of(List.of(2, 3)).contentId(), head.contentId(), "its content is its elements'");
      assertEquals(s.list(List.of(2, 3)).contentId(), head.contentId());
      sum.call(s.list(List.of(2, 3)));
      runs.set(0);
      assertEquals(CallResult.Source.REUSED, s.callPositional(sum, head).source(),
          "sum of an equal list was stored: reused, not run");
      assertEquals(CallResult.Source.RETRACED, s.callPositional(sum, s.slice(ps, 0, 2)).source());
      assertEquals(0, runs.get());
      assertEquals(1, listRuns.get());
      Call slice = storage.creator(head).orElseThrow();
      assertEquals("__slice__", slice.op());
      assertEquals(ps, slice.inputs().get("list"));
      assertEquals(List.of(5, 7), s.slice(s.slice(ps, 1, 4), 1, 3).value(), "a slice of a slice");
    }
  }

  @Test
  void theElementsOfASlice_areThoseOfItsList_soCallsOnThemRetrace() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Ref<List<Integer>> xs = s.list(List.of(10, 20, 30, 40));
      for (Ref<Integer> x : s.elements(xs)) {
        inc.call(x);
      }
      Ref<List<Integer>> mid = s.slice(xs, 1, 3);
      assertEquals(s.elements(xs).subList(1, 3), s.elements(mid));
      assertEquals(s.elements(xs).get(2), s.get(mid, 1));
      runs.set(0);
      for (Ref<Integer> x : s.elements(mid)) {
        assertEquals(CallResult.Source.RETRACED, s.callPositional(inc, x).source());
      }
      Ref<List<Integer>> ps = primes.call(4);
      assertEquals(s.elements(ps).subList(2, 4), s.elements(s.slice(ps, 2, 4)),
          "of a list an op returned: the same __item__ calls");
      assertEquals(0, runs.get());
    }
  }

  @Test
  void get_isTheElementThatElementsGives() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Ref<Integer> two = inc.call(1);
      Ref<List<Integer>> xs = s.list(List.of(7, two));
      assertEquals(two, s.get(xs, 1), "the element ref itself: its history is kept");
      Ref<List<Integer>> ps = primes.call(3);
      Ref<Integer> third = s.get(ps, 2);
      assertEquals(5, third.value());
      assertEquals(s.elements(ps).get(2), third);
      assertEquals("__item__", storage.creator(third).orElseThrow().op());
      Ref<Map<String, Integer>> m = s.map(Map.of("a", two, "b", 3));
      assertEquals(two, s.get(m, "a"));
      Op table = Op.builder("table").inputs().version("1").function(a -> Map.of("k", 1, "j", 2)).build();
      Ref<Map<String, Integer>> returned = table.call();
      Ref<Integer> k = s.get(returned, "k");
      assertEquals(1, k.value());
      assertEquals(k, s.get(returned, "k"), "memoized");
      assertNotEquals(k, s.get(returned, "j"));
    }
  }

  @Test
  void aStoredSlice_retracesWithoutLoadingItsList(@TempDir Path dir) {
    try (Storage storage = Storage.open(dir); Session s = storage.session()) {
      Ref<List<Integer>> ps = primes.call(6);
      sum.call(s.slice(ps, 2, 5));
      s.get(ps, 5);
    }
    runs.set(0);
    try (Storage storage = Storage.open(dir); Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
      Ref<List<Integer>> ps = primes.call(6);
      Ref<List<Integer>> slice = s.slice(ps, 2, 5);
      assertEquals(5 + 7 + 11, sum.<Integer>call(slice).value());
      assertEquals(13, s.get(ps, 5).value());
      assertTrue(!ps.isLoaded(), "the list was not read");
    }
    assertEquals(0, runs.get());
    assertEquals(1, listRuns.get());
  }

  @Test
  void frames_showTheSlice() {
    try (Storage storage = Storage.inMemory()) {
      try (Session s = storage.session()) {
        sum.call(s.slice(primes.call(5), 0, 2));
      }
      ComputationFrame cf = ComputationFrame.of(storage, sum).growBackward();
      assertEquals(Set.of("sum", "__slice__", "primes"), cf.operations());
      assertEquals(Set.of("list", "from", "to"), cf.inputsOf("__slice__").keySet());
      assertEquals(List.of(List.of(2, 3)), cf.values(cf.inputsOf("sum").get("xs")));
      assertEquals(List.of(0), cf.values(cf.inputsOf("__slice__").get("from")));
    }
  }

  @Test
  void badBoundsAndKeys_sayWhatWasWrong() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Ref<List<Integer>> ps = primes.call(3);
      IndexOutOfBoundsException slice = assertThrows(IndexOutOfBoundsException.class, () -> s.slice(ps, 2, 4));
      assertEquals("Slice [2, 4) of a list of 3 elements: need 0 <= from <= to <= 3.", slice.getMessage());
      assertThrows(IndexOutOfBoundsException.class, () -> s.slice(ps, 2, 1));
      IndexOutOfBoundsException get = assertThrows(IndexOutOfBoundsException.class,
          () -> s.get(s.list(List.of(1)), 1));
      assertEquals("Index 1 of a list of 1 elements: need 0 <= index < 1.", get.getMessage());
      IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
          () -> s.get(s.map(Map.of("b", 1, "a", 2)), "c"));
      assertEquals("The map has no key 'c'; its keys are [a, b].", key.getMessage());
      assertEquals(0, storage.calls("__slice__").size(), "a bad slice stores nothing");
    }
  }
}
