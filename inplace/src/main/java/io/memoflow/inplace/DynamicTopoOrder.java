package io.memoflow.inplace;

import java.util.Arrays;

/**
 * A DAG that keeps a topological order while edges are added, refusing edges that would close a
 * cycle (after Marchetti-Spaccamela, Nanni and Rohnert, "Maintaining a topological order under
 * edge insertions", IPL 1996). Not thread-safe.
 */
final class DynamicTopoOrder {
  /*
   * Overview: ord[v] is v's position, at[p] the node at position p. Adding the edges
   * r -> d for a set of readers r only matters for readers placed after d; with hi the largest
   * such position, a breadth-first search from d over nodes placed before hi finds d's
   * descendants there (reaching a reader means a cycle: nothing is changed). Otherwise the
   * positions d..hi are rewritten: the nodes not found keep their relative order and move
   * left, the found ones keep theirs and follow, so every reader now precedes d and every old
   * edge still points forward. Cost: the search plus the span of positions rewritten.
   */
  private final int[] ord;
  private final int[] at;
  private final int[][] out;
  private final int[] outSize;
  private final int[] targetMark;
  private final int[] visit;
  private int stamp;
  private int[] queue = new int[16];
  private int[] scratch = new int[16];

  /** Creates the graph of {@code n} nodes with {@code preds[v]} edges into each {@code v}, in topological order 0..n-1. */
  DynamicTopoOrder(int n, int[][] preds) {
    ord = new int[n];
    at = new int[n];
    out = new int[n][];
    outSize = new int[n];
    targetMark = new int[n];
    visit = new int[n];
    int[] outCount = new int[n];
    for (int v = 0; v < n; v++) {
      ord[v] = v;
      at[v] = v;
      for (int p : preds[v]) {
        outCount[p]++;
      }
    }
    for (int v = 0; v < n; v++) {
      out[v] = new int[outCount[v] + 2];
    }
    for (int v = 0; v < n; v++) {
      for (int p : preds[v]) {
        out[p][outSize[p]++] = v;
      }
    }
  }

  /**
   * Adds the edges {@code r -> d} for every {@code r} in {@code readers[0..n)} and returns true,
   * or returns false and changes nothing if {@code d} reaches one of them (a cycle).
   */
  boolean addEdgesInto(int d, int[] readers, int n) {
    int hi = -1;
    stamp++;
    for (int i = 0; i < n; i++) {
      targetMark[readers[i]] = stamp;
      hi = Math.max(hi, ord[readers[i]]);
    }
    if (hi > ord[d]) {
      int found = search(d, hi);
      if (found < 0) {
        return false;
      }
      rewrite(ord[d], hi, found);
    }
    for (int i = 0; i < n; i++) {
      push(readers[i], d);
    }
    return true;
  }

  /** Marks d's descendants placed before hi; returns how many, or -1 on reaching a target. */
  private int search(int d, int hi) {
    int head = 0;
    int tail = 0;
    queue[tail++] = d;
    visit[d] = stamp;
    while (head < tail) {
      int v = queue[head++];
      int[] o = out[v];
      for (int i = 0, s = outSize[v]; i < s; i++) {
        int w = o[i];
        if (targetMark[w] == stamp) {
          return -1;
        }
        if (visit[w] != stamp && ord[w] < hi) {
          visit[w] = stamp;
          if (tail == queue.length) {
            queue = Arrays.copyOf(queue, tail * 2);
          }
          queue[tail++] = w;
        }
      }
    }
    return tail;
  }

  private void rewrite(int lo, int hi, int found) {
    if (scratch.length < found) {
      scratch = new int[Math.max(found, scratch.length * 2)];
    }
    int moved = 0;
    int write = lo;
    for (int p = lo; p <= hi; p++) {
      int v = at[p];
      if (visit[v] == stamp) {
        scratch[moved++] = v;
      } else {
        at[write] = v;
        ord[v] = write++;
      }
    }
    for (int i = 0; i < moved; i++) {
      at[write] = scratch[i];
      ord[scratch[i]] = write++;
    }
  }

  private void push(int x, int y) {
    if (outSize[x] == out[x].length) {
      out[x] = Arrays.copyOf(out[x], out[x].length * 2 + 2);
    }
    out[x][outSize[x]++] = y;
  }

  /** Returns the current position of {@code v}. */
  int position(int v) {
    return ord[v];
  }
}
