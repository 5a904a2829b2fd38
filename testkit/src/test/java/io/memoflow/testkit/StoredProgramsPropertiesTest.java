package io.memoflow.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.CallResult;
import io.memoflow.cache.Storage;
import io.memoflow.cache.StorageOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

class StoredProgramsPropertiesTest {

  @Provide
  Arbitrary<StoredPrograms.Program> programs() {
    return StoredPrograms.programs(1, 12);
  }

  @Property(tries = 200)
  void inMemory_runGivesTheExpectedValues_andASecondRunRetracesEveryCall(
      @ForAll("programs") StoredPrograms.Program p) {
    try (Storage storage = Storage.inMemory()) {
      assertEquals(p.expected(), p.run(storage).outputs(), p::toString);
      StoredPrograms.Run again = p.run(storage);
      assertEquals(p.expected(), again.outputs(), p::toString);
      assertTrue(again.sources().stream().allMatch(s -> s == CallResult.Source.RETRACED),
          () -> again.sources() + "\n" + p);
    }
  }

  @Property(tries = 30)
  void onDisk_reopenedStoreRetracesEveryCallWithTheSameValues(
      @ForAll("programs") StoredPrograms.Program p) throws IOException {
    Path dir = Files.createTempDirectory("memoflow-programs");
    try {
      StorageOptions options = StorageOptions.defaults().initialEntries(1024);
      try (Storage storage = Storage.open(dir, options)) {
        assertEquals(p.expected(), p.run(storage).outputs(), p::toString);
      }
      try (Storage storage = Storage.open(dir, options)) {
        StoredPrograms.Run again = p.run(storage);
        assertEquals(p.expected(), again.outputs(), p::toString);
        assertTrue(again.sources().stream().allMatch(s -> s == CallResult.Source.RETRACED),
            () -> again.sources() + "\n" + p);
      }
    } finally {
      deleteTree(dir);
    }
  }

  @Property(tries = 1000)
  void programs_coverEveryOpMultiOutputReadsAndChains(@ForAll("programs") StoredPrograms.Program p) {
    List<StoredPrograms.Step> steps = p.steps();
    for (var op : StoredPrograms.ops()) {
      Statistics.label(op.name()).collect(steps.stream().anyMatch(s -> s.op() == op));
    }
    Statistics.label("reads a second output").collect(steps.stream().flatMap(s -> s.args().stream())
        .anyMatch(a -> a instanceof StoredPrograms.Arg.Output o && o.index() == 1));
    Statistics.label("chain of 3").collect(chain(p) >= 3);
    for (var op : StoredPrograms.ops()) {
      Statistics.label(op.name()).coverage(c -> c.check(true).percentage(x -> x > 40));
    }
    Statistics.label("reads a second output").coverage(c -> c.check(true).percentage(x -> x > 15));
    Statistics.label("chain of 3").coverage(c -> c.check(true).percentage(x -> x > 30));
  }

  @Property(tries = 50)
  void sameSeed_sameProgram(@ForAll long seed) {
    assertEquals(draw(seed).toString(), draw(seed).toString());
  }

  private static StoredPrograms.Program draw(long seed) {
    return StoredPrograms.programs(1, 12).generator(1000).next(new Random(seed)).value();
  }

  /** The longest path of calls each reading an output of the one before. */
  private static int chain(StoredPrograms.Program p) {
    int[] depth = new int[p.steps().size()];
    int best = 0;
    for (int s = 0; s < depth.length; s++) {
      depth[s] = 1;
      for (var a : p.steps().get(s).args()) {
        if (a instanceof StoredPrograms.Arg.Output o) {
          depth[s] = Math.max(depth[s], depth[o.step()] + 1);
        }
      }
      best = Math.max(best, depth[s]);
    }
    return best;
  }

  @Test
  void toString_isOneLinePerCall_namingOutputsOfMultiOutputOps() {
    var p = new StoredPrograms.Program(List.of(
        new StoredPrograms.Step(StoredPrograms.DIVMOD,
            List.of(new StoredPrograms.Arg.Literal(7), new StoredPrograms.Arg.Literal(2))),
        new StoredPrograms.Step(StoredPrograms.ADD, List.of(
            new StoredPrograms.Arg.Output(0, 1, "r"), new StoredPrograms.Arg.Literal(-1)))));
    assertEquals("v0 = divmod(7, 2)\nv1 = add(v0.r, -1)\n", p.toString());
    assertEquals(List.of(List.of(3L, 1L), List.of(0L)), p.expected());
  }

  @Test
  void program_readingALaterCall_isRefusedNamingIt() {
    var e = assertThrows(IllegalArgumentException.class, () -> new StoredPrograms.Program(List.of(
        new StoredPrograms.Step(StoredPrograms.NEG,
            List.of(new StoredPrograms.Arg.Output(0, 0, null))))));
    assertTrue(e.getMessage().contains("Call 0") && e.getMessage().contains("v0"), e.getMessage());
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
