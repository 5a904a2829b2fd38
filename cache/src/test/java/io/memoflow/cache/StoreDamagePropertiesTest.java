package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memoflow.cache.spi.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * For random damage to random stores, a read returns the value that was stored or throws a
 * {@link StorageException}; never another value. Damage: a file of the store (any of them)
 * truncated, zeroed over a stretch, bit-flipped or deleted.
 */
class StoreDamagePropertiesTest {
  /** A value of {@code size} characters derived from {@code x}: inline when short, a blob when long. */
  private static final Op MAKE = Op.builder("make").version("1").inputs("x", "size")
      .function(a -> {
        int x = (Integer) a[0];
        int size = (Integer) a[1];
        StringBuilder b = new StringBuilder();
        while (b.length() < size) {
          b.append(x).append(':');
        }
        return b.toString();
      }).build();
  private static final Op PAIR = Op.builder("pair").version("1").inputs("a", "b")
      .function(a -> ((String) a[0]).length() * 31L + ((String) a[1]).length()).build();

  enum Kind { TRUNCATE, ZERO, FLIP, DELETE }

  record Damage(int file, Kind kind, double where, int span) {}

  record Program(List<int[]> calls) {}

  @Provide
  Arbitrary<Program> programs() {
    Arbitrary<int[]> call = Combinators.combine(Arbitraries.integers().between(0, 50),
        Arbitraries.of(3, 40, 700, 5000)).as((x, size) -> new int[] {x, size});
    return call.list().ofMinSize(1).ofMaxSize(12).map(Program::new);
  }

  @Provide
  Arbitrary<Damage> damages() {
    return Combinators.combine(Arbitraries.integers().between(0, 1000), Arbitraries.of(Kind.class),
        Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(1, 64)).as(Damage::new);
  }

  @Property(tries = 60)
  void aReadOfADamagedStore_isTheStoredValueOrAnError(@ForAll("programs") Program program,
      @ForAll("damages") Damage damage) throws IOException {
    Path dir = Files.createTempDirectory("memoflow-damage");
    try {
      Map<String, Object> expected = new TreeMap<>();
      fill(dir, program, expected);
      List<Path> files = files(dir);
      Path target = files.get(damage.file() % files.size());
      Statistics.label("file").collect(kindOf(dir, target));
      Statistics.label("damage").collect(damage.kind());
      apply(target, damage);

      String outcome = replay(dir, program, expected);
      Statistics.label("outcome").collect(outcome);
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Every file of a store in turn, each damaged every way (cut in half, 64 bytes zeroed at its
   * start and in its middle, a bit flipped at its start, a quarter in and in its middle,
   * deleted): reading the store back gives the stored values or errors, within seconds.
   */
  @org.junit.jupiter.api.Test
  void everyFileDamagedEveryWay_givesTheStoredValuesOrErrors() throws Exception {
    Program program = new Program(List.of(new int[] {1, 3}, new int[] {2, 700}, new int[] {3, 40},
        new int[] {4, 5000}, new int[] {5, 3}));
    Path pristine = Files.createTempDirectory("memoflow-pristine");
    Map<String, Object> expected = new TreeMap<>();
    try {
      fill(pristine, program, expected);
      List<Damage> ways = List.of(new Damage(0, Kind.TRUNCATE, 0.5, 1), new Damage(0, Kind.ZERO, 0, 64),
          new Damage(0, Kind.ZERO, 0.5, 64), new Damage(0, Kind.FLIP, 0, 3), new Damage(0, Kind.FLIP, 0.25, 5),
          new Damage(0, Kind.FLIP, 0.5, 1), new Damage(0, Kind.DELETE, 0, 1));
      Map<String, Integer> outcomes = new TreeMap<>();
      for (Path f : files(pristine)) {
        for (Damage d : ways) {
          Path dir = Files.createTempDirectory("memoflow-damaged");
          try {
            copyTree(pristine, dir);
            apply(dir.resolve(pristine.relativize(f).toString()), d);
            String outcome = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(20), () -> replay(dir, program, expected),
                () -> pristine.relativize(f) + " " + d.kind() + " at " + d.where() + ": no answer in 20 s");
            outcomes.merge(kindOf(pristine, f) + " " + d.kind() + ": " + outcome, 1, Integer::sum);
          } finally {
            deleteTree(dir);
          }
        }
      }
      System.out.println("Damage outcomes: " + outcomes);
    } finally {
      deleteTree(pristine);
    }
  }

  private static void fill(Path dir, Program program, Map<String, Object> expected) {
    try (Storage s = Storage.open(dir, StorageOptions.defaults().initialEntries(1024));
        Session session = s.session()) {
      String prev = "";
      for (int[] c : program.calls()) {
        Ref<String> v = MAKE.call(c[0], c[1]);
        expected.put("make " + c[0] + " " + c[1], v.value());
        Ref<Long> p = PAIR.call(v, prev);
        expected.put("pair " + c[0] + " " + c[1] + " " + prev.length(), p.value());
        prev = v.value();
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  /** Reads every call again (NO_NEW_CALLS: nothing may run); returns what the reader met. */
  private static String replay(Path dir, Program program, Map<String, Object> expected) {
    Storage s;
    try {
      s = Storage.open(dir, StorageOptions.defaults().initialEntries(1024));
    } catch (StorageException e) {
      return "error at open";
    }
    int errors = 0;
    int lost = 0;
    try (s; Session session = s.session(SessionMode.NO_NEW_CALLS)) {
      String prev = "";
      for (int[] c : program.calls()) {
        String v;
        try {
          Ref<String> r = MAKE.call(c[0], c[1]);
          v = r.value();
          assertEquals(expected.get("make " + c[0] + " " + c[1]), v, "never another value");
          Long p = PAIR.<Long>call(r, prev).value();
          assertEquals(expected.get("pair " + c[0] + " " + c[1] + " " + prev.length()), p, "never another value");
        } catch (StorageException e) {
          errors++;
          v = (String) expected.get("make " + c[0] + " " + c[1]);
        } catch (NoStoredCallException e) {
          lost++;   // the damage took the record with it: nothing is returned, nothing runs
          v = (String) expected.get("make " + c[0] + " " + c[1]);
        }
        prev = v;
      }
    } catch (StorageException e) {
      errors++;   // the commit of nothing, or close, found the damage
    }
    return errors > 0 ? "error at read" : lost > 0 ? "call not found" : "whole";
  }

  private static String kindOf(Path dir, Path f) {
    String rel = dir.relativize(f).toString();
    return rel.startsWith("blobs") ? "blob" : rel.replaceAll("\\.\\d+\\.", ".N.");
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
    }
  }

  private static void apply(Path f, Damage d) throws IOException {
    long size = Files.size(f);
    long at = (long) (d.where() * Math.max(0, size - 1));
    switch (d.kind()) {
      case DELETE -> Files.delete(f);
      case TRUNCATE -> {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
          ch.truncate(at);
        }
      }
      case ZERO -> {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
          ch.write(ByteBuffer.allocate((int) Math.min(d.span(), Math.max(0, size - at))), at);
        }
      }
      case FLIP -> {
        if (size == 0) {
          return;
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
          ByteBuffer b = ByteBuffer.allocate(1);
          ch.read(b, at);
          b.put(0, (byte) (b.get(0) ^ (1 << (d.span() % 8))));
          b.rewind();
          ch.write(b, at);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(dir)) {
      all = new ArrayList<>(s.toList());
    }
    all.sort(Comparator.reverseOrder());
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }
}
