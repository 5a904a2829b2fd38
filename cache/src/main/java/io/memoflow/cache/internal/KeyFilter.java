package io.memoflow.cache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/*
 * Overview: a blocked Bloom filter over the keys of one full ("sealed") index segment, so that a
 * lookup of a key that is not there asks only the newest segment's Chronicle Map instead of
 * every segment's (without it, a miss probes one more map per doubling of the store). Keys are
 * SHA-256 bits, so their bytes are used as the hash: the first 8 bytes pick a 64-bit word, six
 * 6-bit fields of the next 8 set bits in it (one cache line read per query). About 13 to 26 bits
 * per key, under 2% false positives. A segment is never written again once sealed; removals
 * leave stale bits, which only cost a probe.
 *
 * Saved beside the segment as <name>.<i>.filter: magic, word count, CRC-32 of the rest, key
 * count, words (big-endian). It holds nothing that is not in the segment, so a missing or damaged file is
 * rebuilt from the segment.
 */
final class KeyFilter {
  private static final int MAGIC = 0x4D464B46;
  private static final int HEADER = 24;
  private final long[] words;
  private final int shift;
  /** How many keys were added (saved, so a segment that grew since is noticed on load). */
  private long keys;

  private KeyFilter(long[] words, long keys) {
    this.words = words;
    this.shift = 64 - Integer.numberOfTrailingZeros(words.length);
    this.keys = keys;
  }

  /** Returns an empty filter for about {@code keys} keys. */
  static KeyFilter forKeys(long keys) {
    long n = Math.max(1, Math.min(1L << 28, keys / 5));
    return new KeyFilter(new long[(int) Long.highestOneBit(n * 2 - 1)], 0);
  }

  private static long first(byte[] k) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (k[i] & 0xFF);
    }
    return v;
  }

  private static long second(byte[] k, long first) {
    if (k.length < 16) {
      return first * 0x9E3779B97F4A7C15L;
    }
    long v = 0;
    for (int i = 8; i < 16; i++) {
      v = (v << 8) | (k[i] & 0xFF);
    }
    return v;
  }

  private static long mask(long h) {
    long m = 0;
    for (int j = 0; j < 6; j++) {
      m |= 1L << ((h >>> (6 * j)) & 63);
    }
    return m;
  }

  private int word(long h) {
    return shift == 64 ? 0 : (int) (h >>> shift);
  }

  void add(byte[] key) {
    keys++;
    long h = first(key);
    words[word(h)] |= mask(second(key, h));
  }

  /** Returns how many keys were added. */
  long keys() {
    return keys;
  }

  /** Returns how many keys it was sized for ({@link #forKeys} of at most this is no larger). */
  long capacity() {
    return words.length * 5L;
  }

  /** Returns false only if {@code key} was never added. */
  boolean mightContain(byte[] key) {
    long h = first(key);
    long m = mask(second(key, h));
    return (words[word(h)] & m) == m;
  }

  /** Writes the filter to {@code file} (temporary file, then an atomic rename). */
  void save(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(HEADER + words.length * 8);
    b.putInt(MAGIC).putInt(words.length).putLong(0).putLong(keys);
    b.asLongBuffer().put(words);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 16, b.capacity() - 16);
    b.putLong(8, crc.getValue());
    b.position(0);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Reads a filter saved by {@link #save}; null if the file is missing or damaged, or if the
   * segment now holds more than the {@code saved} keys it was saved with (it was written after:
   * a crash before the next segment was added, or an older memoflow).
   */
  static KeyFilter load(Path file, long segmentKeys) {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (IOException e) {
      return null;
    }
    if (all.length < HEADER) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(all);
    int n = b.getInt(4);
    if (b.getInt(0) != MAGIC || n <= 0 || Integer.bitCount(n) != 1 || all.length != HEADER + 8L * n) {
      return null;
    }
    CRC32 crc = new CRC32();
    crc.update(all, 16, all.length - 16);
    if (crc.getValue() != b.getLong(8)) {
      return null;
    }
    long saved = b.getLong(16);
    if (segmentKeys > saved) {
      return null;
    }
    long[] words = new long[n];
    b.position(HEADER);
    b.asLongBuffer().get(words);
    return new KeyFilter(words, saved);
  }
}
