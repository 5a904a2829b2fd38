package io.memoflow.inplace;

import java.util.Arrays;

/**
 * A DAG that keeps a topological order while edges are added, refusing edges that would close a
 * cycle (after Marchetti-Spaccamela, Nanni and Rohnert, "Maintaining a topological order under
 * edge insertions", IPL 1996). Not thread-safe.
 */
final class DynamicTopoOrder {
  /*
   * Overview: the order is a doubly linked list whose nodes carry increasing labels
   * (order-maintenance labels: long integers with gaps), so comparing two positions is comparing
   * two labels. Adding the edges r -> d for a set of readers r only matters for readers placed
   * after d; with hi the last of them, a breadth-first search from d over nodes placed before hi
   * finds d's descendants there (reaching a reader means a cycle: nothing is changed).
   * Otherwise the descendants found are unlinked and relinked right after hi, in their old
   * order: every reader now precedes d, the other nodes keep their relative order, and every
   * old edge still points forward. This is the order of rewriting the span d..hi (the nodes not
   * found move left, the found ones follow), which keeps later searches short, for the cost of
   * the nodes moved only: the moved nodes get labels in the gap after hi, and when that gap is
   * too small, a window of nodes around them, doubled until its label range leaves room, is
   * relabelled evenly. Rewriting the span instead cost the span's length per accepted edge
   * set, quadratic in total on large graphs.
   *
   * A refused edge set (d already reaches a reader) is the costly case for a forward search,
   * which may visit most of d's descendants before meeting the reader. So a backward search
   * from the readers placed after d (over predecessors placed after d) runs alongside, one node
   * each in turn: the two meeting proves the cycle early. Once the backward search is
   * exhausted without meeting, there is no cycle and the forward one completes alone (the
   * rewrite needs all of d's descendants before hi). The answer is reachability, so it does not
   * depend on the order of the searches.
   */
  /** Minimum label gap a relabelled window leaves between neighbours. */
  private static final long MIN_GAP = 1L << 12;

  private final long[] label; // node -> label; head sentinel n, tail sentinel n + 1
  private final int[] next;
  private final int[] prev;
  private final int head;
  private final int tail;
  private final int[][] out;
  private final int[] outSize;
  private final int[][] in;
  private final int[] inSize;
  private final int[] targetMark;
  private final int[] visit;
  private final int[] backVisit;
  private int stamp;
  private int[] queue = new int[16];
  private int[] backQueue = new int[16];

  /** Creates the graph of {@code n} nodes with {@code preds[v]} edges into each {@code v}, in topological order 0..n-1. */
  DynamicTopoOrder(int n, int[][] preds) {
    label = new long[n + 2];
    next = new int[n + 2];
    prev = new int[n + 2];
    head = n;
    tail = n + 1;
    long spacing = Long.MAX_VALUE / (n + 2);
    label[head] = 0;
    label[tail] = Long.MAX_VALUE;
    next[head] = n == 0 ? tail : 0;
    prev[tail] = n == 0 ? head : n - 1;
    out = new int[n][];
    outSize = new int[n];
    in = new int[n][];
    inSize = new int[n];
    targetMark = new int[n];
    visit = new int[n];
    backVisit = new int[n];
    int[] outCount = new int[n];
    for (int v = 0; v < n; v++) {
      label[v] = (v + 1) * spacing;
      next[v] = v + 1 < n ? v + 1 : tail;
      prev[v] = v > 0 ? v - 1 : head;
      for (int p : preds[v]) {
        outCount[p]++;
      }
    }
    for (int v = 0; v < n; v++) {
      out[v] = new int[outCount[v] + 2];
      in[v] = Arrays.copyOf(preds[v], preds[v].length + 2);
      inSize[v] = preds[v].length;
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
    int last = -1;
    stamp++;
    for (int i = 0; i < n; i++) {
      targetMark[readers[i]] = stamp;
      if (last < 0 || label[readers[i]] > label[last]) {
        last = readers[i];
      }
    }
    if (last >= 0 && label[last] > label[d]) {
      int found = search(d, label[last], readers, n);
      if (found < 0) {
        return false;
      }
      moveAfter(last, found);
    }
    for (int i = 0; i < n; i++) {
      push(readers[i], d);
    }
    return true;
  }

  /**
   * Marks d's descendants placed before hi; returns how many, or -1 when d reaches one of the
   * {@code n} targets (marked with the current stamp).
   */
  private int search(int d, long hi, int[] targets, int n) {
    long lo = label[d];
    int head = 0;
    int tail = 0;
    queue[tail++] = d;
    visit[d] = stamp;
    int bHead = 0;
    int bTail = 0;
    for (int i = 0; i < n; i++) {
      int r = targets[i];
      if (label[r] > lo && backVisit[r] != stamp) { // readers before d cannot be reached from it
        backVisit[r] = stamp;
        backQueue = push(backQueue, bTail++, r);
      }
    }
    while (head < tail) {
      int v = queue[head++];
      int[] o = out[v];
      for (int i = 0, s = outSize[v]; i < s; i++) {
        int w = o[i];
        if (targetMark[w] == stamp || backVisit[w] == stamp) {
          return -1; // w is a reader, or reaches one
        }
        if (visit[w] != stamp && label[w] < hi) {
          visit[w] = stamp;
          queue = push(queue, tail++, w);
        }
      }
      if (bHead < bTail) {
        int x = backQueue[bHead++];
        int[] p = in[x];
        for (int i = 0, s = inSize[x]; i < s; i++) {
          int u = p[i];
          if (visit[u] == stamp) {
            return -1; // d reaches u, which reaches a reader
          }
          if (backVisit[u] != stamp && label[u] > lo) {
            backVisit[u] = stamp;
            backQueue = push(backQueue, bTail++, u);
          }
        }
      }
    }
    return tail;
  }

  private static int[] push(int[] q, int at, int x) {
    if (at == q.length) {
      q = Arrays.copyOf(q, at * 2);
    }
    q[at] = x;
    return q;
  }

  /** Unlinks the {@code found} nodes of the queue and relinks them after {@code last}, in order. */
  private void moveAfter(int last, int found) {
    sortByLabel(queue, found);
    for (int i = 0; i < found; i++) {
      int v = queue[i];
      next[prev[v]] = next[v];
      prev[next[v]] = prev[v];
    }
    int after = last;
    int before = next[last];
    for (int i = 0; i < found; i++) {
      int v = queue[i];
      prev[v] = after;
      next[after] = v;
      after = v;
    }
    next[after] = before;
    prev[before] = after;
    long step = (label[before] - label[last]) / (found + 1);
    if (step > 0) {
      for (int i = 0; i < found; i++) {
        label[queue[i]] = label[last] + (i + 1) * step;
      }
    } else {
      relabel(queue[0], queue[found - 1], found);
    }
  }

  /**
   * Relabels the nodes first..last (count of them) and neighbours on both sides, doubling the
   * window until its label range leaves at least MIN_GAP between neighbours (or it spans the
   * whole list, whose labels always leave room).
   */
  private void relabel(int first, int last, int count) {
    while (true) {
      long step = (label[next[last]] - label[prev[first]]) / (count + 1);
      if (step >= MIN_GAP || prev[first] == head && next[last] == tail) {
        long at = label[prev[first]];
        for (int v = first; ; v = next[v]) {
          at += step;
          label[v] = at;
          if (v == last) {
            return;
          }
        }
      }
      for (int i = count; i > 0 && (prev[first] != head || next[last] != tail); i--) {
        if (prev[first] != head) {
          first = prev[first];
          count++;
        }
        if (next[last] != tail) {
          last = next[last];
          count++;
        }
      }
    }
  }

  /** Sorts {@code a[0..n)} by label (insertion sort for short runs, else by packed keys). */
  private void sortByLabel(int[] a, int n) {
    if (n <= 32) {
      for (int i = 1; i < n; i++) {
        int v = a[i];
        long k = label[v];
        int j = i - 1;
        while (j >= 0 && label[a[j]] > k) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    Integer[] boxed = new Integer[n];
    for (int i = 0; i < n; i++) {
      boxed[i] = a[i];
    }
    Arrays.sort(boxed, (x, y) -> Long.compare(label[x], label[y]));
    for (int i = 0; i < n; i++) {
      a[i] = boxed[i];
    }
  }

  private void push(int x, int y) {
    if (outSize[x] == out[x].length) {
      out[x] = Arrays.copyOf(out[x], out[x].length * 2 + 2);
    }
    out[x][outSize[x]++] = y;
    if (inSize[y] == in[y].length) {
      in[y] = Arrays.copyOf(in[y], in[y].length * 2 + 2);
    }
    in[y][inSize[y]++] = x;
  }

  /** Returns the current position of {@code v}: the number of nodes before it (linear time; for tests). */
  int position(int v) {
    int p = 0;
    for (int w = next[head]; w != v; w = next[w]) {
      p++;
    }
    return p;
  }
}
