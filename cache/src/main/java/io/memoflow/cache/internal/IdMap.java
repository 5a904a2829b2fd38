package io.memoflow.cache.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * A map from 128-bit ids (a {@code ContentId}'s or {@code HistoryId}'s {@code hi} and {@code
 * lo}) to values, for the in-memory backend. Writes are serialized on the map; reads take no
 * lock and see every write that completed before they started. Iteration is weakly consistent:
 * it sees a snapshot of the table it starts on. Null values are not allowed. Not API; may change
 * without notice.
 */
final class IdMap<V> {
  /*
   * Overview: open addressing with linear probing in one table of two parallel arrays: keys
   * (hi at 2i, lo at 2i + 1) and vals (the value at i, null for a free slot). Keys are stored
   * inline, so neither a lookup nor growth dereferences a key object: at a million entries a
   * lookup waits for the two cache lines of its slot, loaded together, where a
   * ConcurrentHashMap waits for its bin, then the node, then the key, one after the other; and
   * growing copies arrays instead of allocating new nodes.
   *
   * Publication: the writer stores a slot's key, then its value with release semantics; a
   * reader loads the value with acquire semantics and, if it is not null, the key it guards.
   * A removed entry keeps its key and gets the value REMOVED (a tombstone), so probe chains
   * stay intact for readers; putting the key again reuses the slot. Growth builds a new table
   * and publishes it through the volatile field: a reader still on the old one sees the map as
   * it was when it started.
   */

  private static final Object REMOVED = new Object();
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final int MIN_CAPACITY = 16;

  private static final class Table {
    final long[] keys;
    final Object[] vals;
    final int mask;

    Table(int capacity) {
      keys = new long[2 * capacity];
      vals = new Object[capacity];
      mask = capacity - 1;
    }
  }

  /** Receives an entry: its key's two halves and its value. */
  @FunctionalInterface
  interface EntryConsumer<V> {
    /** Accepts one entry. */
    void accept(long hi, long lo, V value);
  }

  private volatile Table table = new Table(MIN_CAPACITY);
  private volatile int size;
  private int used; // live entries plus tombstones; guarded by this

  /** Returns the value of key (hi, lo), or null. */
  @SuppressWarnings("unchecked")
  V get(long hi, long lo) {
    Table t = table;
    long[] keys = t.keys;
    Object[] vals = t.vals;
    int i = index(hi, lo, t.mask);
    while (true) {
      Object v = SLOT.getAcquire(vals, i);
      if (v == null) {
        return null;
      }
      if (keys[2 * i] == hi && keys[2 * i + 1] == lo) {
        return v == REMOVED ? null : (V) v;
      }
      i = (i + 1) & t.mask;
    }
  }

  /** Returns whether key (hi, lo) has a value. */
  boolean containsKey(long hi, long lo) {
    return get(hi, lo) != null;
  }

  /** Maps key (hi, lo) to {@code value} unless it has one; returns the value it had, or null. */
  @SuppressWarnings("unchecked")
  synchronized V putIfAbsent(long hi, long lo, V value) {
    if (value == null) {
      throw new NullPointerException("value");
    }
    Table t = table;
    int i = index(hi, lo, t.mask);
    while (true) {
      Object v = t.vals[i];
      if (v == null) {
        break;
      }
      if (t.keys[2 * i] == hi && t.keys[2 * i + 1] == lo) {
        if (v != REMOVED) {
          return (V) v;
        }
        SLOT.setRelease(t.vals, i, value); // the key is already there
        size++;
        return null;
      }
      i = (i + 1) & t.mask;
    }
    t.keys[2 * i] = hi;
    t.keys[2 * i + 1] = lo;
    SLOT.setRelease(t.vals, i, value);
    size++;
    if (++used > (t.mask + 1) / 4 * 3) {
      rehash(t);
    }
    return null;
  }

  /** Removes key (hi, lo); returns the value it had, or null. */
  synchronized V remove(long hi, long lo) {
    return remove(hi, lo, null);
  }

  /**
   * Removes key (hi, lo) if its value is {@code expected} (by identity), or whatever its value
   * if {@code expected} is null; returns the value removed, or null.
   */
  @SuppressWarnings("unchecked")
  synchronized V remove(long hi, long lo, V expected) {
    Table t = table;
    int i = index(hi, lo, t.mask);
    while (true) {
      Object v = t.vals[i];
      if (v == null) {
        return null;
      }
      if (t.keys[2 * i] == hi && t.keys[2 * i + 1] == lo) {
        if (v == REMOVED || expected != null && v != expected) {
          return null;
        }
        SLOT.setRelease(t.vals, i, REMOVED);
        size--;
        return (V) v;
      }
      i = (i + 1) & t.mask;
    }
  }

  /** Returns the number of keys with a value. */
  int size() {
    return size;
  }

  /** Calls {@code action} for each entry of the table as it is when the call starts. */
  @SuppressWarnings("unchecked")
  void forEach(EntryConsumer<? super V> action) {
    Table t = table;
    for (int i = 0; i <= t.mask; i++) {
      Object v = SLOT.getAcquire(t.vals, i);
      if (v != null && v != REMOVED) {
        action.accept(t.keys[2 * i], t.keys[2 * i + 1], (V) v);
      }
    }
  }

  /** Calls {@code action} for each value; see {@link #forEach(EntryConsumer)}. */
  void forEachValue(Consumer<? super V> action) {
    forEach((hi, lo, v) -> action.accept(v));
  }

  /** Removes every entry. */
  synchronized void clear() {
    table = new Table(MIN_CAPACITY);
    size = 0;
    used = 0;
  }

  /** Copies the live entries into a table with room to grow, dropping tombstones. */
  private void rehash(Table old) {
    int capacity = old.mask + 1;
    while (size > capacity / 2) { // at most half full after, so growth stays amortized
      capacity <<= 1;
    }
    Table t = new Table(capacity);
    for (int j = 0; j <= old.mask; j++) {
      Object v = old.vals[j];
      if (v != null && v != REMOVED) {
        long hi = old.keys[2 * j];
        long lo = old.keys[2 * j + 1];
        int i = index(hi, lo, t.mask);
        while (t.vals[i] != null) {
          i = (i + 1) & t.mask;
        }
        t.keys[2 * i] = hi;
        t.keys[2 * i + 1] = lo;
        t.vals[i] = v;
      }
    }
    used = size;
    table = t; // volatile: publishes the filled arrays
  }

  /** Mixes both halves, so that ids that differ in either one spread over the table. */
  private static int index(long hi, long lo, int mask) {
    long h = (hi ^ Long.rotateLeft(lo, 32)) * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
