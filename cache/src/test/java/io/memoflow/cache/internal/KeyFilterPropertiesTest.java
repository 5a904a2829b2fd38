package io.memoflow.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Laws of the sealed segments' key filter: no false negatives, saved and loaded unchanged. */
class KeyFilterPropertiesTest {

  @Property(tries = 200)
  void everyAddedKeyMayBeThere(@ForAll @Size(min = 1, max = 300) List<@Size(16) byte[]> keys) {
    assertNoFalseNegative(keys);
  }

  @Property(tries = 200)
  void everyAddedShortKeyMayBeThere(@ForAll @Size(min = 1, max = 300) List<@Size(8) byte[]> keys) {
    assertNoFalseNegative(keys);
  }

  private static void assertNoFalseNegative(List<byte[]> keys) {
    KeyFilter f = KeyFilter.forKeys(keys.size());
    keys.forEach(f::add);
    for (byte[] k : keys) {
      assertTrue(f.mightContain(k));
    }
  }

  @Property(tries = 30)
  void savedAndLoaded_answersAlike(@ForAll @Size(min = 1, max = 200) List<@Size(16) byte[]> keys,
      @ForAll @Size(50) List<@Size(16) byte[]> probes) throws IOException {
    KeyFilter f = KeyFilter.forKeys(keys.size());
    keys.forEach(f::add);
    Path dir = Files.createTempDirectory("filter");
    try {
      Path file = dir.resolve("x.0.filter");
      f.save(file);
      KeyFilter g = KeyFilter.load(file, keys.size());
      assertNull(KeyFilter.load(file, keys.size() + 1), "the segment grew after the filter was saved");
      assertNotNull(g);
      for (byte[] p : probes) {
        assertEquals(f.mightContain(p), g.mightContain(p));
      }
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Property(tries = 30)
  void aDamagedFileIsNotLoaded(@ForAll @Size(min = 1, max = 200) List<@Size(16) byte[]> keys,
      @ForAll @IntRange(min = 0, max = 10_000) int where) throws IOException {
    KeyFilter f = KeyFilter.forKeys(keys.size());
    keys.forEach(f::add);
    Path dir = Files.createTempDirectory("filter");
    try {
      Path file = dir.resolve("x.0.filter");
      f.save(file);
      byte[] b = Files.readAllBytes(file);
      b[where % b.length] ^= 0x10;
      Files.write(file, b);
      assertNull(KeyFilter.load(file, 0));
      Files.write(file, java.util.Arrays.copyOf(b, b.length - 8));
      assertNull(KeyFilter.load(file, 0));
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
