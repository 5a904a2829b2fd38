package io.memoflow.cache.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memoflow.cache.Op;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example of cache/FRAMES.md, line for line (ReadmeSnippetsTest in examples holds the
 * document to this file), each followed by the check of what its comment says.
 */
class FramesDocExamplesTest {
  @Test
  void framesMd_firstExample() {
    try (Storage storage = Storage.inMemory()) {
      Op inc = Op.of("inc", (Integer x) -> x + 1);
      Op add = Op.of("add", (Integer x, Integer y) -> x + y);
      try (Session s = storage.session()) {
        for (int x = 0; x < 5; x++) {
          Ref<Integer> y = inc.call(x);
          if (x % 2 == 0) {
            add.call(x, y);
          }
        }
      }
      ComputationFrame cf = ComputationFrame.of(storage, inc).grow()
          .rename("x0", "x").rename("output_0", "y").rename("output_0_1", "z");
      cf.listing();        // "y = inc(x)\nz = add(x, y)\n"
      assertEquals("y = inc(x)\nz = add(x, y)\n", cf.listing());
      FrameTable t = cf.toTable().sortedBy("x");
      // Calls print as op@version:id, a code version by its first 8 hex digits, the id by 12.
      String incV = "code:" + inc.codeVersion().orElseThrow().hex().substring(0, 8);
      String addV = "code:" + add.codeVersion().orElseThrow().hex().substring(0, 8);
      String text = t.toText()
          .replaceAll("inc@" + incV + ":[0-9a-f]{12}", "inc@V:id")
          .replaceAll("add@" + addV + ":[0-9a-f]{12}", "add@V:id");
      List<String> lines = List.of(text.split("\n"));
      assertEquals(7, lines.size());
      assertEquals(List.of("x", "inc", "y", "add", "z"), List.of(lines.get(0).split(" +")));
      assertEquals(List.of("0", "inc@V:id", "1", "add@V:id", "1"), List.of(lines.get(2).split(" +")));
      assertEquals(List.of("1", "inc@V:id", "2", "null", "null"), List.of(lines.get(3).split(" +")));
      assertEquals(List.of("4", "inc@V:id", "5", "add@V:id", "9"), List.of(lines.get(6).split(" +")));
    }
  }
}
