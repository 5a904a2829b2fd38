package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Laws of slices: slices of equal lists share content ids however the lists were made (element
 * by element from raw values or from computed refs, or returned whole by an op), and equal the
 * content id of the sliced values themselves; their history ids keep the lists' histories apart.
 */
class SlicesPropertiesTest {
  private static final Op MAKE = Op.builder("make").inputs("xs").version("1")
      .function(a -> new ArrayList<>((List<?>) a[0])).build();
  private static final Op DEC = Op.builder("dec").inputs("x").version("1")
      .function(a -> (Integer) a[0] - 1).build();

  @Property(tries = 100)
  void slicesOfEqualLists_shareContentIds(@ForAll @Size(max = 10) List<Integer> xs,
      @ForAll @IntRange(max = 10) int a, @ForAll @IntRange(max = 10) int b) {
    int n = xs.size() + 1;
    int from = Math.min(a % n, b % n);
    int to = Math.max(a % n, b % n);
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      List<Ref<Integer>> computed = new ArrayList<>();
      xs.forEach(x -> computed.add(DEC.call(x + 1)));
      List<Ref<List<Integer>>> lists = List.of(s.list(xs), s.list(computed), MAKE.call(xs));
      Object expected = Ref.of(xs.subList(from, to)).contentId();
      List<Object> hids = new ArrayList<>();
      for (Ref<List<Integer>> list : lists) {
        Ref<List<Integer>> slice = s.slice(list, from, to);
        assertEquals(expected, slice.contentId());
        assertEquals(xs.subList(from, to), slice.value());
        List<Object> elementIds = new ArrayList<>();
        s.elements(slice).forEach(e -> elementIds.add(e.contentId()));
        List<Object> expectedIds = new ArrayList<>();
        xs.subList(from, to).forEach(x -> expectedIds.add(Ref.of(x).contentId()));
        assertEquals(expectedIds, elementIds, "element by element too");
        hids.add(slice.historyId());
      }
      assertNotEquals(hids.get(0), hids.get(2), "a raw list's slice and a returned list's differ in history");
      assertEquals(hids.get(0), s.slice(s.list(new ArrayList<>(xs)), from, to).historyId(),
          "an equal raw list gives the same slice");
    }
  }
}
