package io.memoflow.inplace;

import java.util.Arrays;

/* Overview: the free gaps left in each buffer while greedy-by-size places groups: a segment
 * tree over gap ends answers "the best buffer with a free gap covering [s, e]". */

/** The free gaps of every buffer, for {@link Lifetimes#greedyBySize(boolean)}. */
final class BufferGaps {
  private final int leaves;
  private final int[] best; // segment tree over gap ends: the highest buffer of an active gap
  private final LongMinHeap[] atEnd; // per end: ~(buffer << 32 | gap), highest first
  private int[] start = new int[64];
  private int[] end = new int[64];
  private int[] buffer = new int[64];
  private boolean[] used = new boolean[64];
  private int count;
  private final LongMinHeap pending = new LongMinHeap(64);
  private int minBuffer;
  private int now;

  BufferGaps(int times) {
    int l = 1;
    while (l < times) {
      l <<= 1;
    }
    leaves = l;
    best = new int[2 * l];
    Arrays.fill(best, -1);
    atEnd = new LongMinHeap[times];
  }

  /** Starts a new size: every unused gap of a buffer at least {@code minBuffer} is pending. */
  void startClass(int minBuffer) {
    this.minBuffer = minBuffer;
    now = -1;
    pending.clear();
    Arrays.fill(best, -1);
    for (LongMinHeap q : atEnd) {
      if (q != null) {
        q.clear();
      }
    }
    for (int g = 0; g < count; g++) {
      if (!used[g] && buffer[g] >= minBuffer) {
        pending.add(((long) start[g] << 32) | g);
      }
    }
  }

  /** Adds a gap; {@code active} gaps may serve groups of the current size still to come. */
  void add(int s, int e, int b, boolean active) {
    if (count == start.length) {
      start = Arrays.copyOf(start, 2 * count);
      end = Arrays.copyOf(end, 2 * count);
      buffer = Arrays.copyOf(buffer, 2 * count);
      used = Arrays.copyOf(used, 2 * count);
    }
    start[count] = s;
    end[count] = e;
    buffer[count] = b;
    used[count] = false;
    if (active && b >= minBuffer) {
      pending.add(((long) s << 32) | count);
    }
    count++;
  }

  /**
   * Returns the newest buffer with a gap over [s, e] and splits that gap, or -1. Starts come
   * in increasing order within a size.
   */
  int take(int s, int e) {
    now = s;
    while (!pending.isEmpty() && (int) (pending.peek() >>> 32) <= s) {
      int g = (int) pending.poll();
      if (end[g] >= s) {
        LongMinHeap q = atEnd[end[g]];
        if (q == null) {
          q = atEnd[end[g]] = new LongMinHeap(4);
        }
        q.add(~(((long) buffer[g] << 32) | g));
        update(end[g]);
      }
    }
    int leaf = highest(e);
    if (leaf < 0) {
      return -1;
    }
    int g = (int) ~atEnd[leaf].poll();
    update(leaf);
    used[g] = true;
    if (start[g] < s) {
      add(start[g], s - 1, buffer[g], false); // before the group: for smaller sizes only
    }
    if (e < end[g]) {
      add(e + 1, end[g], buffer[g], true);
    }
    return buffer[g];
  }

  /**
   * Returns the gap end at or after {@code e} holding the highest buffer (the lowest such end
   * on ties), or -1: the maximum over the leaves from {@code e} on, then the leftmost leaf
   * from {@code e} on that holds it.
   */
  private int highest(int e) {
    int m = -1;
    for (int l = e + leaves, r = 2 * leaves; l < r; l >>>= 1, r >>>= 1) {
      if ((l & 1) == 1) {
        m = Math.max(m, best[l++]);
      }
      if ((r & 1) == 1) {
        m = Math.max(m, best[--r]);
      }
    }
    if (m < 0) {
      return -1;
    }
    int i = e + leaves;
    while (best[i] != m) { // not in this subtree: on to the next one to the right
      while ((i & 1) == 1) {
        i >>>= 1;
      }
      i++;
    }
    while (i < leaves) {
      i <<= 1;
      if (best[i] != m) {
        i++;
      }
    }
    return i - leaves;
  }

  private void update(int leaf) {
    int node = leaves + leaf;
    LongMinHeap q = atEnd[leaf];
    best[node] = q == null || q.isEmpty() ? -1 : (int) (~q.peek() >>> 32);
    for (node >>>= 1; node >= 1; node >>>= 1) {
      int b = Math.max(best[2 * node], best[2 * node + 1]);
      if (best[node] == b) {
        break; // unchanged here, so above too
      }
      best[node] = b;
    }
  }
}
