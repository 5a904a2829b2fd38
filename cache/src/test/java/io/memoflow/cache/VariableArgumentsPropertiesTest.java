package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.UniqueElements;

/**
 * Laws of variadic and keyword calls: the identity of a call does not depend on the order of a
 * map it was given (keywords, or a map argument holding refs), and does depend on the order of
 * variadic elements, where order has meaning.
 */
class VariableArgumentsPropertiesTest {
  private static final Op RENDER = Op.builder("render").inputs("text").kwargs("opts").version("1")
      .function(a -> a[0] + " " + a[1]).build();
  private static final Op KEYS = Op.builder("keys").inputs("m").version("1")
      .function(a -> ((Map<?, ?>) a[0]).size()).build();
  private static final Op SUM = Op.builder("sum").inputs("x").varargs("ys").version("1")
      .function(a -> 0).build();
  private static final Op INC = Op.builder("inc").inputs("x").version("1")
      .function(a -> (Integer) a[0] + 1).build();

  private static <V> Map<String, V> shuffled(Map<String, V> m, long seed) {
    List<Map.Entry<String, V>> entries = new ArrayList<>(m.entrySet());
    Collections.shuffle(entries, new Random(seed));
    Map<String, V> out = new LinkedHashMap<>();
    entries.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  @Property(tries = 100)
  void keywordCalls_haveIdsIndependentOfArgumentOrder(
      @ForAll @Size(max = 8) Map<@AlphaChars @StringLength(min = 1, max = 6) String, Integer> kw,
      @ForAll long seed) {
    kw.remove("text");
    Map<String, Object> named = new LinkedHashMap<>(kw);
    named.put("text", "t");
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Call first = RENDER.invokeNamed(named);
      Call again = RENDER.invokeNamed(shuffled(named, seed));
      Call positional = RENDER.invoke("t", shuffled(kw, ~seed));
      for (Call c : List.of(again, positional)) {
        assertEquals(first.historyId(), c.historyId());
        assertEquals(first.contentId(), c.contentId());
      }
    }
  }

  @Property(tries = 100)
  void mapArgumentsOfRefs_haveIdsIndependentOfInsertionOrder(
      @ForAll @Size(min = 1, max = 8) Map<@AlphaChars @StringLength(min = 1, max = 6) String, Integer> m,
      @ForAll long seed) {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Map<String, Object> refs = new LinkedHashMap<>();
      m.forEach((k, v) -> refs.put(k, INC.call(v)));
      Call first = KEYS.invoke(refs);
      Call again = KEYS.invoke(shuffled(refs, seed));
      assertEquals(first.historyId(), again.historyId());
      assertEquals(first.contentId(), again.contentId());
      assertEquals(CallResult.Source.RETRACED, s.callPositional(KEYS, shuffled(refs, ~seed)).source());
    }
  }

  @Property(tries = 100)
  void variadicCalls_differExactlyWhenTheElementSequenceDoes(
      @ForAll @Size(min = 2, max = 6) @UniqueElements List<Integer> ys, @ForAll long seed) {
    List<Integer> other = new ArrayList<>(ys);
    Collections.shuffle(other, new Random(seed));
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Call a = SUM.invoke(prepend(0, ys));
      Call b = SUM.invoke(prepend(0, other));
      Call named = SUM.invokeNamed(Map.of("x", 0, "ys", ys));
      assertEquals(a.historyId(), named.historyId());
      if (other.equals(ys)) {
        assertEquals(a.historyId(), b.historyId());
      } else {
        assertNotEquals(a.historyId(), b.historyId());
        assertNotEquals(a.contentId(), b.contentId());
      }
    }
  }

  private static Object[] prepend(Object x, List<?> rest) {
    List<Object> all = new ArrayList<>();
    all.add(x);
    all.addAll(rest);
    return all.toArray();
  }
}
