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
   *
   * A refused edge set (d already reaches a reader) is the costly case for a forward search,
   * which may visit most of d's descendants before meeting the reader. So a backward search
   * from the readers placed after d (over predecessors placed after d) runs alongside, one node
   * each in turn: the two meeting proves the cycle early. Once the backward search is
   * exhausted without meeting, there is no cycle and the forward one completes alone (the
   * rewrite needs all of d's descendants before hi). The answer is reachability, so it does not
   * depend on the order of the searches.
   *
   * Rewriting the whole span lo..hi costs hi - lo per accepted edge set, which grows with the
   * graph (quadratic in total on large graphs, where readers sit far from their destroyer).
   * When the backward search can also be completed within a budget of that span, the rewrite
   * touches only the two sets found, as in Pearce and Kelly ("A dynamic topological sort
   * algorithm for directed acyclic graphs", JEA 2006): the positions they hold, sorted, go
   * first to the readers' ancestors (placed after d) in their old order, then to d's
   * descendants (placed before hi) in theirs. Every other node keeps its position. Both
   * rewrites give valid orders; which one runs never changes the answer of a later call.
   */
  private final int[] ord;
  private final int[] at;
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
  private int[] scratch = new int[16];
  private int[] scratch2 = new int[16];
  private int[] scratch3 = new int[16];
  private int backCount;

  /** Creates the graph of {@code n} nodes with {@code preds[v]} edges into each {@code v}, in topological order 0..n-1. */
  DynamicTopoOrder(int n, int[][] preds) {
    ord = new int[n];
    at = new int[n];
    out = new int[n][];
    outSize = new int[n];
    in = new int[n][];
    inSize = new int[n];
    targetMark = new int[n];
    visit = new int[n];
    backVisit = new int[n];
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
    int hi = -1;
    stamp++;
    for (int i = 0; i < n; i++) {
      targetMark[readers[i]] = stamp;
      hi = Math.max(hi, ord[readers[i]]);
    }
    if (hi > ord[d]) {
      int lo = ord[d];
      int found = search(d, hi, readers, n);
      if (found < 0) {
        return false;
      }
      if (completeBackward(lo, hi - lo - found)) {
        reorder(found, backCount);
      } else {
        rewrite(lo, hi, found);
      }
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
  private int search(int d, int hi, int[] targets, int n) {
    int lo = ord[d];
    int head = 0;
    int tail = 0;
    queue[tail++] = d;
    visit[d] = stamp;
    int bHead = 0;
    int bTail = 0;
    for (int i = 0; i < n; i++) {
      int r = targets[i];
      if (ord[r] > lo && backVisit[r] != stamp) { // readers before d cannot be reached from it
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
        if (visit[w] != stamp && ord[w] < hi) {
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
          if (backVisit[u] != stamp && ord[u] > lo) {
            backVisit[u] = stamp;
            backQueue = push(backQueue, bTail++, u);
          }
        }
      }
    }
    backHead = bHead;
    backCount = bTail;
    return tail;
  }

  private int backHead;

  /**
   * Completes the backward search of the last {@link #search} (over predecessors placed after
   * {@code lo}); returns false as soon as it has found more than {@code budget} nodes.
   */
  private boolean completeBackward(int lo, int budget) {
    int bHead = backHead;
    int bTail = backCount;
    while (bHead < bTail) {
      if (bTail > budget) {
        return false;
      }
      int x = backQueue[bHead++];
      int[] p = in[x];
      for (int i = 0, s = inSize[x]; i < s; i++) {
        int u = p[i];
        if (backVisit[u] != stamp && ord[u] > lo) {
          backVisit[u] = stamp;
          backQueue = push(backQueue, bTail++, u);
        }
      }
    }
    backCount = bTail;
    return bTail <= budget;
  }

  /**
   * Gives the positions held by d's descendants ({@code queue[0..f)}) and the readers'
   * ancestors ({@code backQueue[0..b)}) first to the ancestors, then to the descendants, each
   * in their old order.
   */
  private void reorder(int f, int b) {
    int k = f + b;
    if (scratch.length < k) {
      scratch = new int[Math.max(k, scratch.length * 2)];
      scratch2 = new int[scratch.length];
      scratch3 = new int[scratch.length];
    }
    int[] bOrd = scratch2;
    int[] fOrd = scratch3;
    for (int i = 0; i < b; i++) {
      bOrd[i] = ord[backQueue[i]];
    }
    for (int i = 0; i < f; i++) {
      fOrd[i] = ord[queue[i]];
    }
    Arrays.sort(bOrd, 0, b);
    Arrays.sort(fOrd, 0, f);
    int[] nodes = scratch;
    for (int i = 0; i < b; i++) {
      nodes[i] = at[bOrd[i]];
    }
    for (int i = 0; i < f; i++) {
      nodes[b + i] = at[fOrd[i]];
    }
    // The positions, merged in increasing order, are handed out to the nodes in turn.
    int i = 0;
    int j = 0;
    for (int x = 0; x < k; x++) {
      int pos = j >= f || i < b && bOrd[i] < fOrd[j] ? bOrd[i++] : fOrd[j++];
      at[pos] = nodes[x];
      ord[nodes[x]] = pos;
    }
  }

  private static int[] push(int[] q, int at, int x) {
    if (at == q.length) {
      q = Arrays.copyOf(q, at * 2);
    }
    q[at] = x;
    return q;
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
    if (inSize[y] == in[y].length) {
      in[y] = Arrays.copyOf(in[y], in[y].length * 2 + 2);
    }
    in[y][inSize[y]++] = x;
  }

  /** Returns the current position of {@code v}. */
  int position(int v) {
    return ord[v];
  }
}
