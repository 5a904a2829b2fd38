package io.memoflow.matrix.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Finds the parts of a cover search's value graph where dynamic programming over sub-values is
 * exact: the values below which every cover is a tree. Not API; may change without notice.
 *
 * <p>The graph: values {@code 0..n-1}; each value has alternative steps, each step the values
 * it needs. A value {@code t} heads a <em>tree region</em> when (1) {@code t} dominates every
 * value below it (every path from a root to one passes through {@code t}, so nothing else
 * needs them), and (2) no step below {@code t} (its own included) needs two values whose
 * regions overlap (so no value can serve two places of a cover of {@code t}). Then a cover
 * computes {@code t} by a tree of steps with nothing shared, nothing below {@code t} is
 * available before {@code t}'s step is chosen, and the sub-trees still to compute never share
 * a value: the cheapest tree, {@code lb(v) = min over steps (cost + sum of lb(needs))}, is a
 * lower bound on what a value below {@code t} still costs in any state where it is pending. A
 * matrix chain of distinct factors is one region, which is how the search gets the classic
 * matrix-chain optimum in a number of states linear in the chain's splits.
 */
public final class TreeRegions {
  private TreeRegions() {}

  /**
   * Returns the values that lie in some tree region (heads included).
   *
   * @param needs per value, per step, the values the step needs (leaves and factors left out)
   * @param roots the values requested
   * @param excluded values no region may hold (their cost may come free from outside)
   * @return the values in tree regions; empty if the graph has a cycle
   */
  public static BitSet find(List<List<int[]>> needs, int[] roots, BitSet excluded) {
    int n = needs.size();
    int[] order = topologicalOrder(needs, roots); // consumers before what they need
    if (order == null) {
      return new BitSet();
    }
    BitSet[] region = new BitSet[n];
    boolean[] treeStep = new boolean[n];
    for (int i = order.length - 1; i >= 0; i--) { // needs before their consumers
      int v = order[i];
      BitSet r = new BitSet();
      r.set(v);
      boolean ok = true;
      for (int[] step : needs.get(v)) {
        BitSet seen = new BitSet();
        for (int w : step) {
          if (region[w].intersects(seen)) {
            ok = false; // two needs of one step share a value: a cover may reuse it
          }
          seen.or(region[w]);
        }
        r.or(seen);
      }
      region[v] = r;
      treeStep[v] = ok && !excluded.get(v);
    }
    int[] idom = dominators(needs, roots, order);
    int[] depth = new int[n + 1];
    for (int v : order) {
      depth[v] = depth[idom[v]] + 1;
    }
    BitSet safe = new BitSet();
    for (int t : order) { // the largest regions first
      if (safe.get(t)) {
        continue;
      }
      boolean head = true;
      for (int u = region[t].nextSetBit(0); u >= 0 && head; u = region[t].nextSetBit(u + 1)) {
        head = treeStep[u] && (u == t || dominates(t, u, idom, depth));
      }
      if (head) {
        safe.or(region[t]);
      }
    }
    return safe;
  }

  private static boolean dominates(int t, int u, int[] idom, int[] depth) {
    while (depth[u] > depth[t]) {
      u = idom[u];
    }
    return u == t;
  }

  /** Returns the values reachable from the roots, consumers first; null on a cycle. */
  private static int[] topologicalOrder(List<List<int[]>> needs, int[] roots) {
    int n = needs.size();
    byte[] mark = new byte[n]; // 0 new, 1 on the path, 2 done
    int[] post = new int[n];
    int count = 0;
    int[] stack = new int[n];
    int[] next = new int[n]; // position in the flattened needs of each value on the stack
    List<int[]> flat = new ArrayList<>(n);
    for (List<int[]> steps : needs) {
      int size = 0;
      for (int[] step : steps) {
        size += step.length;
      }
      int[] all = new int[size];
      int at = 0;
      for (int[] step : steps) {
        System.arraycopy(step, 0, all, at, step.length);
        at += step.length;
      }
      flat.add(all);
    }
    for (int root : roots) {
      if (mark[root] != 0) {
        continue;
      }
      int sp = 0;
      stack[sp++] = root;
      mark[root] = 1;
      next[root] = 0;
      while (sp > 0) {
        int v = stack[sp - 1];
        int[] ws = flat.get(v);
        if (next[v] < ws.length) {
          int w = ws[next[v]++];
          if (mark[w] == 1) {
            return null;
          }
          if (mark[w] == 0) {
            mark[w] = 1;
            next[w] = 0;
            stack[sp++] = w;
          }
        } else {
          mark[v] = 2;
          post[count++] = v;
          sp--;
        }
      }
    }
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = post[count - 1 - i];
    }
    return order;
  }

  /**
   * Immediate dominators on the DAG (a virtual root {@code n} above every root): in
   * topological order, a value's dominator is the nearest common dominator of its consumers.
   */
  private static int[] dominators(List<List<int[]>> needs, int[] roots, int[] order) {
    int n = needs.size();
    int[] idom = new int[n + 1];
    Arrays.fill(idom, -1);
    int[] depth = new int[n + 1];
    idom[n] = n;
    for (int r : roots) {
      idom[r] = n;
    }
    // Consumers of each value, filled as consumers are met (all before the value in order).
    List<List<Integer>> consumers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      consumers.add(new ArrayList<>());
    }
    for (int v : order) {
      for (int[] step : needs.get(v)) {
        for (int w : step) {
          consumers.get(w).add(v);
        }
      }
    }
    BitSet isRoot = new BitSet();
    for (int r : roots) {
      isRoot.set(r);
    }
    for (int v : order) {
      if (!isRoot.get(v)) {
        int d = -1;
        for (int c : consumers.get(v)) {
          d = d < 0 ? c : commonDominator(d, c, idom, depth);
        }
        idom[v] = d;
      }
      depth[v] = depth[idom[v]] + 1;
    }
    return idom;
  }

  private static int commonDominator(int a, int b, int[] idom, int[] depth) {
    while (a != b) {
      if (depth[a] >= depth[b]) {
        a = idom[a];
      } else {
        b = idom[b];
      }
    }
    return a;
  }
}
