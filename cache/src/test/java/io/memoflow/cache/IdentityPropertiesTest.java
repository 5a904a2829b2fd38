package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.memoflow.cache.internal.Codec;
import io.memoflow.cache.spi.HistoryId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Laws of the identity rules: canonical bytes, content ids and history ids. */
class IdentityPropertiesTest {

  @Property(tries = 200)
  void decode_invertsEncode(@ForAll int i, @ForAll long l, @ForAll double d, @ForAll String s,
      @ForAll @Size(max = 8) List<Integer> xs, @ForAll @Size(max = 8) Map<String, Long> m) {
    for (Object v : new Object[] {i, l, d, s, xs, m, true, null}) {
      assertEquals(v, Codec.decode(Codec.encode(v)));
    }
  }

  @Property(tries = 200)
  void contentId_independentOfMapAndSetOrder(@ForAll @Size(max = 12) Map<String, Integer> m, @ForAll long seed) {
    List<Map.Entry<String, Integer>> entries = new ArrayList<>(m.entrySet());
    Collections.shuffle(entries, new Random(seed));
    Map<String, Integer> shuffled = new LinkedHashMap<>();
    entries.forEach(e -> shuffled.put(e.getKey(), e.getValue()));
    assertEquals(Codec.contentId(Codec.encode(m)), Codec.contentId(Codec.encode(shuffled)));
    Set<String> keys = new HashSet<>(m.keySet());
    Set<String> ordered = new java.util.TreeSet<>(m.keySet());
    assertEquals(Codec.contentId(Codec.encode(keys)), Codec.contentId(Codec.encode(ordered)));
  }

  @Property(tries = 200)
  void contentId_distinguishesNumericTypes(@ForAll int i) {
    Set<Object> ids = new HashSet<>();
    for (Object v : new Object[] {i, (long) i, (double) i, (float) i, (short) i, String.valueOf(i)}) {
      ids.add(Codec.contentId(Codec.encode(v)));
    }
    assertEquals(6, ids.size());
  }

  @Property(tries = 100)
  void historyId_independentOfBindingStyle(@ForAll int x, @ForAll int y) {
    Op add = Op.builder("add").inputs("x", "y").function(a -> (long) (Integer) a[0] + (Integer) a[1]).build();
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Map<String, Object> yx = new LinkedHashMap<>();
      yx.put("y", y);
      yx.put("x", x);
      HistoryId positional = s.callPositional(add, x, y).call().historyId();
      assertEquals(positional, s.call(add, yx).call().historyId());
      assertEquals(positional, s.call(add, Map.of("x", x, "y", y)).call().historyId());
      if (x != y) {
        assertNotEquals(positional, s.callPositional(add, y, x).call().historyId());
      }
    }
  }

  @Property(tries = 100)
  void retrace_givesTheIdsOfTheExecution(@ForAll @Size(max = 20) List<Integer> xs) {
    Op square = Op.of("square", (Integer v) -> (long) v * v);
    try (Storage storage = Storage.inMemory()) {
      List<Ref<Long>> first = new ArrayList<>();
      try (Session s = storage.session()) {
        xs.forEach(x -> first.add(square.call(x)));
      }
      try (Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
        for (int i = 0; i < xs.size(); i++) {
          Ref<Long> again = square.call(xs.get(i));
          assertEquals(first.get(i), again);
          assertEquals((long) xs.get(i) * xs.get(i), again.value());
        }
      }
    }
  }

  @Property(tries = 100)
  void historyId_dependsOnVersion(@ForAll int x) {
    Op v1 = Op.builder("f").inputs("x").function(a -> a[0]).build();
    Op v2 = Op.builder("f").version("2").inputs("x").function(a -> a[0]).build();
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Call c1 = v1.invoke(x);
      Call c2 = v2.invoke(x);
      assertNotEquals(c1.historyId(), c2.historyId());
      assertEquals(c1.output("output_0").contentId(), c2.output("output_0").contentId());
    }
  }
}
