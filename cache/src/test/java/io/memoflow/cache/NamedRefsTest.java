package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A call's inputs and outputs by name: ordered, immutable, equal to any map with the entries. */
class NamedRefsTest {
  private static final Op ZIP = Op.builder("zip").version("1").inputs("z", "a", "m")
      .outputs("second", "first").function(a -> List.of(a[1], a[0])).build();

  @Test
  void callMaps_keepTheOpsOrder_andBehaveAsMaps() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Call c = ZIP.invoke(3, 1, 2);
      assertEquals(List.of("z", "a", "m"), new ArrayList<>(c.inputs().keySet()));
      assertEquals(List.of("second", "first"), new ArrayList<>(c.outputs().keySet()));
      assertEquals(1, c.output("second").value());
      assertNull(c.inputs().get("nope"));
      assertTrue(c.inputs().containsKey("m"));
      assertFalse(c.inputs().containsKey("x"));
      Map<String, Ref<?>> copy = new LinkedHashMap<>(c.inputs());
      assertEquals(copy, c.inputs());
      assertEquals(c.inputs(), copy);
      assertEquals(copy.hashCode(), c.inputs().hashCode());
      Call again = ZIP.invoke(3, 1, 2); // retraced: built from the stored record
      assertEquals(c.inputs(), again.inputs());
      assertEquals(c.outputs(), again.outputs());
      assertThrows(UnsupportedOperationException.class, () -> c.inputs().put("q", null));
    }
  }

  @Test
  void namesAndRefsMustMatch() {
    assertThrows(IllegalArgumentException.class, () -> new NamedRefs(List.of("a"), new Ref<?>[0]));
    assertTrue(new NamedRefs(List.of(), new Ref<?>[0]).isEmpty());
    assertThrows(java.util.NoSuchElementException.class,
        () -> new NamedRefs(List.of(), new Ref<?>[0]).entrySet().iterator().next());
  }
}
