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
   * Overview: an open-addressing table, linear probing, at most 70% full, kept in three
   * parallel arrays indexed by the same cell i: cells[i] = (hash << 32) | code, where code is
   * ref + 1 for an output slot, ref itself (negative) for a declared input and 0 for a free
   * cell; keys[i], the name; vars[i], its variable. Every address follows from the name's hash
   * alone, so a lookup issues its loads at once: at a million names, where nearly every lookup
   * misses the caches, it waits for one memory access after the name's own, not two in a row
   * (as it would if the cell pointed into a dense array). The arrays are typed, so reading a
   * variable needs no cast, which would read the variable's header: one more miss, after the
   * others. A name passed as the very String that was added is recognised by identity; any
   * other candidate is compared only when its stored hash matches, so other names are rejected
   * without touching them.
   */

  private static final float MAX_LOAD = 0.7f;

  private long[] cells;
  private String[] keys;
  private Expr[] vars;
  private int shift;
  private int size;
  private int limit; // grow when size reaches it
  private long touched; // written by touch(), never read

  NameIndex(int expected) {
    int cap = 16;
    while (cap * MAX_LOAD < expected) {
      cap <<= 1;
    }
    allocate(cap);
  }

  private void allocate(int cap) {
    cells = new long[cap];
    keys = new String[cap];
    vars = new Expr[cap];
    shift = 32 - Integer.numberOfTrailingZeros(cap);
    limit = (int) (cap * MAX_LOAD);
  }

  /**
   * Returns the cell of {@code name} (at least 0), or, if it is absent, the complement of the
   * free cell where it would go (negative), which {@link #add} takes.
   */
  int find(String name) {
    int h = name.hashCode();
    long[] c = cells;
    String[] e = keys;
    int mask = c.length - 1;
    int i = (h * 0x9E3779B9) >>> shift;
    while (true) {
      String k = e[i]; // loaded together with the cell: neither address waits for the other
      long cell = c[i];
      if (k == name) {
        return i;
      }
      if ((int) cell == 0) {
        return ~i;
      }
      if ((int) (cell >>> 32) == h && k.equals(name)) {
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  /**
   * Reads where each of {@code names[from..to)} lives (or would go): first every name's hash
   * into {@code hashes}, then each hash's cell, name and variable. The loads of one pass do not wait
   * on one another, so the processor overlaps their cache misses; a {@link #find} of these names
   * soon after then reads only cached memory. Changes nothing.
   */
  void touch(String[] names, int[] hashes, int from, int to) {
    for (int j = from; j < to; j++) {
      hashes[j] = names[j].hashCode();
    }
    long[] c = cells;
    String[] e = keys;
    Expr[] v = vars;
    long sum = 0;
    for (int j = from; j < to; j++) {
      int i = (hashes[j] * 0x9E3779B9) >>> shift;
      sum += c[i] + (e[i] == names[j] ? 1 : 0) + (v[i] == null ? 1 : 0);
    }
    touched = sum; // kept, so that the loads are not optimised away
  }

  /** Returns the ref stored at a cell {@link #find} returned. */
  int ref(int cell) {
    int code = (int) cells[cell];
    return code > 0 ? code - 1 : code;
  }

  /** Returns the variable stored at a cell {@link #find} returned. */
  Expr variable(int cell) {
    return vars[cell];
  }

  /**
   * Adds {@code name} for {@code ref} (output slot, or {@code ~d} for declared input d): it is
   * absent, and {@code notFound} is what {@link #find} returned for it with no add in between.
   */
  void add(int notFound, String name, Expr variable, int ref) {
    int i = ~notFound;
    int code = ref >= 0 ? ref + 1 : ref;
    cells[i] = ((long) name.hashCode() << 32) | (code & 0xFFFFFFFFL);
    keys[i] = name;
    vars[i] = variable;
    if (++size >= limit) {
      grow();
    }
  }

  /** Returns every name, in the order added: declared inputs first, then output slots. */
  List<String> names() {
    int declared = 0;
    for (long cell : cells) {
      if ((int) cell < 0) {
        declared++;
      }
    }
    String[] byRef = new String[size];
    for (int i = 0; i < cells.length; i++) {
      int code = (int) cells[i];
      if (code != 0) {
        byRef[code < 0 ? ~code : declared + code - 1] = keys[i];
      }
    }
    return new ArrayList<>(Arrays.asList(byRef));
  }

  private void grow() {
    long[] oldCells = cells;
    String[] oldKeys = keys;
    Expr[] oldVars = vars;
    allocate(oldCells.length * 2);
    long[] c = cells;
    int mask = c.length - 1;
    for (int j = 0; j < oldCells.length; j++) {
      long cell = oldCells[j];
      if ((int) cell != 0) {
        int i = ((int) (cell >>> 32) * 0x9E3779B9) >>> shift;
        while (c[i] != 0) {
          i = (i + 1) & mask;
        }
        c[i] = cell;
        keys[i] = oldKeys[j];
        vars[i] = oldVars[j];
      }
    }
  }
}
