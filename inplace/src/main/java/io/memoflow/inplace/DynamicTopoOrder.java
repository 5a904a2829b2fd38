package io.memoflow.inplace;

import java.util.Arrays;

/**
 * A DAG that keeps a topological order while edges are added, refusing an edge that would close
 * a cycle (Pearce and Kelly, "A dynamic topological sort algorithm for directed acyclic graphs",
 * JEA 2006). Not thread-safe.
 */
final class DynamicTopoOrder {
  /*
   * Overview: ord[v] is v's position, at[p] the node at position p. Adding x -> y with
   * ord[x] < ord[y] changes nothing. Otherwise only nodes with positions in [ord[y], ord[x]] can
   * be affected: a forward search from y bounded by ord[x] (reaching x means a cycle) and a
   * backward search from x bounded by ord[y] find them, and their positions are reassigned so
   * that the backward set comes first. Removing an edge never invalidates the order.
   */
  private final int[] ord;
  private final int[] at;
  private final int[][] out;
  private final int[] outSize;
  private final int[][] in;
  private final int[] inSize;
  private final int[] mark;
  private int stamp;
  private int[] stack = new int[16];
  private int[] deltaF = new int[16];
  private int[] deltaB = new int[16];

  /** Creates the graph of {@code n} nodes with {@code preds[v]} edges into each {@code v}, in topological order 0..n-1. */
  DynamicTopoOrder(int n, int[][] preds) {
    ord = new int[n];
    at = new int[n];
    out = new int[n][];
    outSize = new int[n];
    in = new int[n][];
    inSize = new int[n];
    mark = new int[n];
    int[] outCount = new int[n];
    for (int v = 0; v < n; v++) {
      ord[v] = v;
      at[v] = v;
      for (int p : preds[v]) {
        outCount[p]++;
      }
    }
    for (int v = 0; v < n; v++) {
      in[v] = Arrays.copyOf(preds[v], preds[v].length + 2);
      inSize[v] = preds[v].length;
      out[v] = new int[outCount[v] + 2];
    }
    for (int v = 0; v < n; v++) {
      for (int p : preds[v]) {
        out[p][outSize[p]++] = v;
      }
    }
  }

  /** Adds {@code x -> y} and returns true, or returns false and changes nothing if that closes a cycle. */
  boolean addEdge(int x, int y) {
    if (x == y) {
      return false;
    }
    int lb = ord[y];
    int ub = ord[x];
    if (lb < ub) {
      stamp++;
      int nf = forward(y, ub, x);
      if (nf < 0) {
        return false;
      }
      int nb = backward(x, lb);
      reorder(nf, nb);
    }
    push(x, y);
    return true;
  }

  /** Removes one edge {@code x -> y} added before. */
  void removeEdge(int x, int y) {
    outSize[x] = removeOne(out[x], outSize[x], y);
    inSize[y] = removeOne(in[y], inSize[y], x);
  }

  private static int removeOne(int[] a, int size, int v) {
    for (int i = size - 1; i >= 0; i--) {
      if (a[i] == v) {
        a[i] = a[size - 1];
        return size - 1;
      }
    }
    throw new AssertionError(v);
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

  /** Returns how many nodes the forward search from y visited, or -1 if it reached target. */
  private int forward(int y, int ub, int target) {
    int n = 0;
    int sp = 0;
    stack = ensure(stack, 1);
    stack[sp++] = y;
    mark[y] = stamp;
    while (sp > 0) {
      int v = stack[--sp];
      deltaF = ensure(deltaF, n + 1);
      deltaF[n++] = v;
      int[] o = out[v];
      for (int i = 0, s = outSize[v]; i < s; i++) {
        int w = o[i];
        if (w == target) {
          return -1;
        }
        if (mark[w] != stamp && ord[w] < ub) {
          mark[w] = stamp;
          stack = ensure(stack, sp + 1);
          stack[sp++] = w;
        }
      }
    }
    return n;
  }

  private int backward(int x, int lb) {
    int n = 0;
    int sp = 0;
    stack[sp++] = x;
    mark[x] = stamp;
    while (sp > 0) {
      int v = stack[--sp];
      deltaB = ensure(deltaB, n + 1);
      deltaB[n++] = v;
      int[] a = in[v];
      for (int i = 0, s = inSize[v]; i < s; i++) {
        int w = a[i];
        if (mark[w] != stamp && ord[w] > lb) {
          mark[w] = stamp;
          stack = ensure(stack, sp + 1);
          stack[sp++] = w;
        }
      }
    }
    return n;
  }

  private void reorder(int nf, int nb) {
    sortByOrd(deltaB, nb);
    sortByOrd(deltaF, nf);
    int[] pos = new int[nf + nb];
    int[] nodes = new int[nf + nb];
    for (int i = 0; i < nb; i++) {
      pos[i] = ord[deltaB[i]];
      nodes[i] = deltaB[i];
    }
    for (int i = 0; i < nf; i++) {
      pos[nb + i] = ord[deltaF[i]];
      nodes[nb + i] = deltaF[i];
    }
    Arrays.sort(pos);
    for (int i = 0; i < pos.length; i++) {
      ord[nodes[i]] = pos[i];
      at[pos[i]] = nodes[i];
    }
  }

  private void sortByOrd(int[] a, int n) {
    long[] keyed = new long[n];
    for (int i = 0; i < n; i++) {
      keyed[i] = ((long) ord[a[i]] << 32) | a[i];
    }
    Arrays.sort(keyed);
    for (int i = 0; i < n; i++) {
      a[i] = (int) keyed[i];
    }
  }

  private static int[] ensure(int[] a, int n) {
    return n <= a.length ? a : Arrays.copyOf(a, Math.max(n, a.length * 2));
  }

  /** Returns the current position of {@code v}. */
  int position(int v) {
    return ord[v];
  }
}
