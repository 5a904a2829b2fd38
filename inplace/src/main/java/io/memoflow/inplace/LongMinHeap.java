package io.memoflow.inplace;

import java.util.Arrays;

/* Overview: a growable binary heap over a long[] that the scheduler, the in-place selector and
 * the buffer allocators share for their ready sets and free gaps. */

/** A binary min-heap of longs, without boxing; also serves int keys, which widen in order. */
final class LongMinHeap {
  private long[] a;
  private int size;

  LongMinHeap(int capacity) {
    a = new long[Math.max(1, capacity)];
  }

  boolean isEmpty() {
    return size == 0;
  }

  void clear() {
    size = 0;
  }

  long peek() {
    return a[0];
  }

  void add(long x) {
    if (size == a.length) {
      a = Arrays.copyOf(a, 2 * size);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (a[parent] <= x) {
        break;
      }
      a[i] = a[parent];
      i = parent;
    }
    a[i] = x;
  }

  long poll() {
    long top = a[0];
    long x = a[--size];
    int i = 0;
    int half = size >>> 1;
    while (i < half) {
      int c = 2 * i + 1;
      if (c + 1 < size && a[c + 1] < a[c]) {
        c++;
      }
      if (a[c] >= x) {
        break;
      }
      a[i] = a[c];
      i = c;
    }
    if (size > 0) {
      a[i] = x;
    }
    return top;
  }
}
