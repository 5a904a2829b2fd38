package io.memoflow.cache.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.dag.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentedMapTest {
  @TempDir Path tmp;

  /** A 16-byte key made of SHA-256 bits, as the store's keys are. */
  private static byte[] key(int i) {
    Digest d = Digest.of("key", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
    return java.nio.ByteBuffer.allocate(16).putLong(d.hi()).putLong(d.lo()).array();
  }

  private static byte[] value(int i) {
    return ("v" + i).getBytes(StandardCharsets.UTF_8);
  }

  /** Files of 16, 32, then 64 entries at most; nothing recovered. */
  private SegmentedMap open(Path dir) {
    return new SegmentedMap(dir, "m", 16, 0, 4, 16, 64, false, true);
  }

  private static List<String> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
    }
  }

  private static void assertHolds(SegmentedMap m, int stored, int asked) {
    for (int i = 0; i < asked; i++) {
      if (i < stored) {
        assertArrayEquals(value(i), m.get(key(i)), "key " + i);
        assertTrue(m.containsKey(key(i)), "key " + i);
      } else {
        assertNull(m.get(key(i)), "key " + i);
        assertFalse(m.containsKey(key(i)), "key " + i);
      }
    }
  }

  @Test
  void filesStopDoublingAtTheCap_andOneUnionFilterCoversTheSealedOnes() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("s"));
    try (SegmentedMap m = open(dir)) {
      for (int i = 0; i < 600; i++) {
        assertTrue(m.putIfAbsent(key(i), value(i)));
      }
      assertFalse(m.putIfAbsent(key(5), value(6)));
      assertHolds(m, 600, 800);
    }
    // 16 + 32 + 9 * 64 entries hold 600: eleven files, ten of them sealed.
    assertEquals(11, files(dir, ".cm").size());
    assertEquals(List.of("m.sealed-10.filter"), files(dir, "").stream().filter(n -> n.contains("sealed")).toList());
    try (SegmentedMap m = open(dir)) {
      assertEquals(600, m.size());
      assertHolds(m, 600, 800);
    }
  }

  @Test
  void aLostOrDamagedUnionFilterIsRebuiltOnOpen() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("s"));
    try (SegmentedMap m = open(dir)) {
      for (int i = 0; i < 300; i++) {
        m.put(key(i), value(i));
      }
    }
    Path union = dir.resolve(files(dir, ".filter").stream().filter(n -> n.contains("sealed")).findFirst().orElseThrow());
    for (byte[] broken : new byte[][] {null, {1, 2, 3}}) {
      if (broken == null) {
        Files.delete(union);
      } else {
        Files.write(union, broken);
      }
      try (SegmentedMap m = open(dir)) {
        assertHolds(m, 300, 400);
      }
      assertTrue(KeyFilter.load(union, 300 - 64) != null, "saved again");
    }
  }

  @Test
  void aSecondOpenerSeesTheFilesTheWriterAdds() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("s"));
    try (SegmentedMap writer = open(dir); SegmentedMap reader = open(dir)) {
      for (int round = 0; round < 4; round++) {
        for (int i = round * 90; i < round * 90 + 90; i++) {
          writer.syncSize();
          writer.putIfAbsent(key(i), value(i));
        }
        reader.refreshSegments();
        assertHolds(reader, round * 90 + 90, 400);
      }
      // Both write, one after the other (the store's write lock orders them).
      reader.syncSize();
      assertFalse(reader.putIfAbsent(key(7), value(8)));
      assertTrue(reader.putIfAbsent(key(1000), value(1000)));
      writer.refreshSegments();
      writer.syncSize();
      assertArrayEquals(value(1000), writer.get(key(1000)));
    }
  }

  @Test
  void aKeyRemovedFromASealedFileIsGoneAndCanBePutAgain() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("s"));
    try (SegmentedMap m = open(dir)) {
      for (int i = 0; i < 200; i++) {
        m.put(key(i), value(i));
      }
      m.remove(key(3));
      assertNull(m.get(key(3)));
      assertFalse(m.containsKey(key(3)));
      assertTrue(m.putIfAbsent(key(3), value(33)));
      assertArrayEquals(value(33), m.get(key(3)));
      assertEquals(200, m.size());
    }
  }
}
