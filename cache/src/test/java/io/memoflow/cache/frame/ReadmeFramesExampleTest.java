package io.memoflow.cache.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memoflow.cache.Op;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The "Computation frames" example of cache/README.md, compiled and run. */
class ReadmeFramesExampleTest {
  final Op inc = Op.of("inc", (Integer x) -> x + 1);

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
