package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memoflow.cache.frame.ComputationFrame;
import io.memoflow.cache.frame.FrameTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of cache/README.md, compiled and run. */
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

  @Test
  void computationFrames() {
    Op add2 = Op.of("add", (Integer x, Integer y) -> x + y);
    try (Storage storage = Storage.inMemory()) {
      try (Session s = storage.session()) {
        for (int x = 0; x < 5; x++) {
          Ref<Integer> y = inc.call(x);
          if (x % 2 == 0) {
            add2.call(x, y);
          }
        }
      }
      ComputationFrame cf = ComputationFrame.of(storage, inc).grow();
      FrameTable t = cf.toTable().sortedBy("x0");
      assertEquals(List.of("x0", "inc", "output_0", "add", "output_0_1"), t.columns());
      assertEquals(5, t.size());
      assertEquals("output_0 = inc(x0)\noutput_0_1 = add(x0, output_0)\n", cf.listing());
      assertEquals(new ComputationFrame.Deletion(3, 2), cf.whereValue("x0", x -> (Integer) x > 2).delete());
      assertEquals(3, ComputationFrame.of(storage, inc).grow().toTable().size());
    }
  }
}
