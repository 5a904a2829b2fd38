package io.memoflow.dag;

/**
 * An open-addressing hash map from keys to {@code int} values, each key with an optional
 * attachment. Not API.
 *
 * <p>Not thread-safe while it is filled; safe to read from several threads once published
 * through a final or volatile field. Keys are never null and never removed.
 */
final class HashIndex {
  /*
   * Overview: linear probing in a power-of-two table kept at most half full. Key and attachment
   * sit side by side in one Object[] (one cache line per probe) and the key's hash beside its
   * value in one long[], so a probe that meets another key rejects it by hash without touching
   * that key's object: at a million entries every avoided dereference is a cache miss saved.
   * find() returns the position of a key or, complemented, the free position where it would
   * go, so check-then-insert costs one probe sequence.
   */

  /** The value {@link #get} returns for an absent key. */
  static final int ABSENT = Integer.MIN_VALUE;

  private Object[] kv; // key at 2i, attachment at 2i + 1
  private long[] hv; // (hash << 32) | value at i
  private int size;
  private int shift;

  /** Creates an index that holds {@code expected} keys without growing. */
  HashIndex(int expected) {
    int cap = 8;
    while (cap < 2L * expected) {
      cap <<= 1;
    }
    allocate(cap);
  }

  private void allocate(int cap) {
    kv = new Object[2 * cap];
    hv = new long[cap];
    shift = 32 - Integer.numberOfTrailingZeros(cap);
  }

  /** Returns the number of keys. */
  int size() {
    return size;
  }

  /** Returns the number of positions, for iteration with {@link #keyAt}. */
  int capacity() {
    return hv.length;
  }

  /** Returns the key at {@code pos}, or null if that position is free. */
  Object keyAt(int pos) {
    return kv[2 * pos];
  }

  /**
   * Returns the position of {@code key}, or {@code ~p} where {@code p} is the free position
   * {@link #insert} would fill.
   */
  int find(Object key) {
    int h = key.hashCode();
    int mask = hv.length - 1;
    int i = (h * 0x9E3779B9) >>> shift;
    while (true) {
      Object k = kv[2 * i];
      if (k == null) {
        return ~i;
      }
      if ((int) (hv[i] >>> 32) == h && (k == key || k.equals(key))) {
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  /** Returns the value of {@code key}, or {@link #ABSENT}. */
  int get(Object key) {
    int p = find(key);
    return p >= 0 ? (int) hv[p] : ABSENT;
  }

  /** Returns the value at position {@code pos}, as found by {@link #find}. */
  int value(int pos) {
    return (int) hv[pos];
  }

  /** Replaces the value at position {@code pos}. */
  void setValue(int pos, int value) {
    hv[pos] = (hv[pos] & 0xFFFFFFFF00000000L) | (value & 0xFFFFFFFFL);
  }

  /** Returns the attachment at position {@code pos}. */
  Object attachment(int pos) {
    return kv[2 * pos + 1];
  }

  /**
   * Inserts {@code key}, absent, at the position {@code notFound} that {@link #find} just
   * returned for it (no insert in between).
   */
  void insert(int notFound, Object key, Object attachment, int value) {
    int i = ~notFound;
    kv[2 * i] = key;
    kv[2 * i + 1] = attachment;
    hv[i] = ((long) key.hashCode() << 32) | (value & 0xFFFFFFFFL);
    if (++size * 2 > hv.length) {
      grow();
    }
  }

  /** Inserts {@code key} if absent and returns true, or returns false. */
  boolean putIfAbsent(Object key, Object attachment, int value) {
    int p = find(key);
    if (p >= 0) {
      return false;
    }
    insert(p, key, attachment, value);
    return true;
  }

  private void grow() {
    Object[] oldKv = kv;
    long[] oldHv = hv;
    allocate(oldHv.length * 2);
    int mask = hv.length - 1;
    for (int j = 0; j < oldHv.length; j++) {
      Object k = oldKv[2 * j];
      if (k != null) {
        int i = ((int) (oldHv[j] >>> 32) * 0x9E3779B9) >>> shift;
        while (kv[2 * i] != null) {
          i = (i + 1) & mask;
        }
        kv[2 * i] = k;
        kv[2 * i + 1] = oldKv[2 * j + 1];
        hv[i] = oldHv[j];
      }
    }
  }
}
