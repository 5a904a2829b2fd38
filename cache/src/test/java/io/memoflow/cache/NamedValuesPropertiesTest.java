package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * Laws of named values: a named value's history id is a function of its name and revision
 * alone (never of the value, so finding it needs no hashing), and its content id is that of its
 * value, so equal values under any names share it.
 */
class NamedValuesPropertiesTest {

  @Property(tries = 50)
  void historyIdIsTheNames_contentIdIsTheValues(
      @ForAll @AlphaChars @StringLength(min = 1, max = 12) String name,
      @ForAll @Size(max = 6) List<Integer> a, @ForAll @Size(max = 6) List<Integer> b) {
    Ref<Object> first;
    Ref<Object> second;
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      first = s.named(name, () -> a);
      assertEquals(Ref.of(a).contentId(), first.contentId());
    }
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      second = s.named(name, () -> b);
      Ref<Object> other = s.named(name + "'", () -> b);
      assertEquals(second.contentId(), other.contentId(), "equal values share their content id");
      assertNotEquals(second.historyId(), other.historyId(), "two names, two histories");
      Ref<Object> replaced = s.replaceNamed(name, a);
      assertNotEquals(second.historyId(), replaced.historyId(), "another revision, another history");
    }
    assertEquals(first.historyId(), second.historyId(), "the same name: the same history, whatever its value");
    assertEquals(a.equals(b), first.contentId().equals(second.contentId()));
  }
}
