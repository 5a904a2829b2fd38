package io.memoflow.dag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link Dag.Builder}'s index from variable names to refs (the slot of the step output that
 * produced the variable, or {@code ~d} for declared input {@code d}) and the variables
 * themselves. Not API.
 *
 * <p>Not thread-safe. Names are never null and never removed.
 */
final class NameIndex {
  /*
   * Overview: an open-addressing table of longs, linear probing, at most 70% full. A cell holds
   * (hash << 32) | code, where code is ref + 1 for an output slot, ref itself (negative) for a
   * declared input, and 0 for a free cell; so a probe reads one primitive array and rejects
   * other names by their hash without touching them, and a free cell is found without touching
   * any object. Names and variables sit in dense arrays indexed by ref, in the order they were
   * added: an output slot's name and variable side by side in one Object[], declared inputs in
   * another. Compared with keeping names in the table itself this halves the table, inserts
   * touch one random cache line instead of two, and the collector scans the dense arrays in
   * allocation order instead of a hashed Object[] of millions of references.
   */

  private long[] table;
  private int shift;
  private int size;
  private int limit; // grow when size reaches it
  private Object[] outs = new Object[64]; // slot s: name at 2s, variable at 2s + 1
  private Object[] ins = new Object[32]; // declared d: name at 2d, variable at 2d + 1

  NameIndex(int expected) {
    int cap = 16;
    while (cap * 7L < expected * 10L) {
      cap <<= 1;
    }
    allocate(cap);
  }

  private void allocate(int cap) {
    table = new long[cap];
    shift = 32 - Integer.numberOfTrailingZeros(cap);
    limit = (int) (cap * 7L / 10);
  }

  /** Returns the number of names. */
  int size() {
    return size;
  }

  /**
   * Returns the ref of {@code name}, or, if it is absent, a value for which {@link #isAbsent}
   * holds and that {@link #add} takes: the free cell where the name would go.
   */
  long find(String name) {
    int h = name.hashCode();
    long[] t = table;
    int mask = t.length - 1;
    int i = (h * 0x9E3779B9) >>> shift;
    while (true) {
      long cell = t[i];
      int code = (int) cell;
      if (code == 0) {
        return Long.MIN_VALUE | i;
      }
      if ((int) (cell >>> 32) == h) {
        Object k = code > 0 ? outs[2 * (code - 1)] : ins[2 * ~code];
        if (k == name || k.equals(name)) {
          return code > 0 ? code - 1 : code;
        }
      }
      i = (i + 1) & mask;
    }
  }

  /** Returns whether a {@link #find} result says the name is absent. */
  static boolean isAbsent(long found) {
    return found < Integer.MIN_VALUE;
  }

  /** Returns the variable of the ref a {@link #find} returned. */
  Expr variable(int ref) {
    return (Expr) (ref >= 0 ? outs[2 * ref + 1] : ins[2 * ~ref + 1]);
  }

  /**
   * Adds {@code name} for {@code ref} (output slot, or {@code ~d} for declared input d): absent,
   * and {@code notFound} is what {@link #find} returned for it with no add in between. Output
   * slots and declared inputs are added in order: 0, 1, 2, ... and ~0, ~1, ~2, ...
   */
  void add(long notFound, String name, Expr variable, int ref) {
    if (ref >= 0) {
      if (2 * ref + 1 >= outs.length) {
        outs = Arrays.copyOf(outs, 2 * outs.length);
      }
      outs[2 * ref] = name;
      outs[2 * ref + 1] = variable;
    } else {
      if (2 * ~ref + 1 >= ins.length) {
        ins = Arrays.copyOf(ins, 2 * ins.length);
      }
      ins[2 * ~ref] = name;
      ins[2 * ~ref + 1] = variable;
    }
    int code = ref >= 0 ? ref + 1 : ref;
    table[(int) notFound] = ((long) name.hashCode() << 32) | (code & 0xFFFFFFFFL);
    if (++size >= limit) {
      grow();
    }
  }

  /** Returns every name, in the order added: declared inputs first, then outputs. */
  List<String> names() {
    List<String> known = new ArrayList<>(size);
    for (int d = 0; 2 * d < ins.length && ins[2 * d] != null; d++) {
      known.add((String) ins[2 * d]);
    }
    for (int s = 0; 2 * s < outs.length && outs[2 * s] != null; s++) {
      known.add((String) outs[2 * s]);
    }
    return known;
  }

  private void grow() {
    long[] old = table;
    allocate(old.length * 2);
    long[] t = table;
    int mask = t.length - 1;
    for (long cell : old) {
      if ((int) cell != 0) {
        int i = ((int) (cell >>> 32) * 0x9E3779B9) >>> shift;
        while (t[i] != 0) {
          i = (i + 1) & mask;
        }
        t[i] = cell;
      }
    }
  }
}
