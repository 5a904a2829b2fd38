package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of cache/README.md, compiled and run (the frames one: frame.ReadmeFramesExampleTest). */
class ReadmeExamplesTest {
  final Op inc = Op.of("inc", (Integer x) -> x + 1);
  final Op add = Op.builder("add").inputs("x", "y").defaultValue("y", 1)
      .function(args -> (Integer) args[0] + (Integer) args[1])
      .build();

  @Test
  void opsSessionsRefs() {
    try (Storage storage = Storage.inMemory();
        Session session = storage.session()) {
      Ref<Integer> two = inc.call(1);
      Ref<Integer> three = add.call(two);
      assertEquals(3, three.value());
      assertEquals(two, inc.call(1));
      assertEquals(three.historyId(), add.invokeNamed(Map.of("x", two, "y", 1)).output("output_0").historyId());
    }
  }

  @Test
  void retraceReuseExecute() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      inc.call(2);
      CallResult r = s.callPositional(inc, inc.call(1));
      assertEquals(CallResult.Source.REUSED, r.source());
    }
  }

  @Test
  void collectionsElementByElement() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Ref<List<Integer>> xs = s.list(List.of(1, 2, 3, 4));
      for (Ref<Integer> x : s.elements(xs)) {
        inc.call(x);
      }
      for (Ref<Integer> x : s.elements(s.<Integer>list(List.of(2, 3)))) {
        assertEquals(CallResult.Source.RETRACED, s.callPositional(inc, x).source());
      }
    }
  }

  @Test
  void provenanceAndDeletion() {
    try (Storage storage = Storage.inMemory()) {
      Ref<Integer> ref;
      try (Session s = storage.session()) {
        Ref<Integer> two = inc.call(1);
        ref = inc.call(two);
      }
      Call call = storage.creator(ref).orElseThrow();
      assertEquals(1, storage.consumers(call.inputs().get("x0")).size());
      assertEquals(2, storage.calls("inc").size());
      assertEquals(1, storage.delete(call, true));
      assertEquals(1, storage.cleanup());
    }
  }
}
