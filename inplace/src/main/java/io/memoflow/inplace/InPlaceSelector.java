package io.memoflow.inplace;

import io.memoflow.dag.Digest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Chooses which declared overwrites run in place: at most one destroyer per value, and only
 * where every other reader of the value can be ordered before the destroyer.
 */
final class InPlaceSelector {
  /*
   * Overview: XLA-style copy insertion and removal. Conceptually every destroyed operand is
   * copied first; a copy is removed when the destroyer can be the operand's last reader, which
   * adds the edges "other reader -> destroyer". Choosing the largest set of removable copies
   * whose edges keep the graph acyclic is NP-hard in general, so a greedy pass accepts
   * candidates one by one, checking each candidate's edges against a dynamic topological order
   * (Pearce-Kelly) and rolling them back on a cycle. Three candidate orders are tried -- fewest
   * other readers first, topological, reverse topological -- and the pass that keeps the most
   * overwrites in place wins (the first on ties). Protected operands and operands the destroyer
   * reads twice are never candidates.
   *
   * The search runs on units (a Copy with one reader is fused with it, as the scheduler runs
   * them) and orders them by a topological order whose ties are broken by the digest of each
   * unit's first output. Inserting copies changes neither the unit graph nor those digests, so
   * selecting on a planned composite makes the same choices again: that is what makes planning
   * idempotent.
   */

  private InPlaceSelector() {}

  /** Returns, per pair of {@code g.pairs}, whether it runs in place. */
  static boolean[] select(Graph g) {
    boolean[] best = new boolean[g.pairs.size()];
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < g.pairs.size(); i++) {
      if (g.pairs.get(i).kind() == Graph.Kind.CANDIDATE) {
        candidates.add(i);
      }
    }
    if (candidates.isEmpty()) {
      return best;
    }
    int[] unitOf = g.fusedUnits();
    int[] rank = invariantOrder(g, unitOf); // node -> position of its unit
    int units = 0;
    for (int q = 0; q < g.nodeCount; q++) {
      units = Math.max(units, rank[q] + 1);
    }
    int[][] preds = new int[units][];
    int[][] lists = new int[units][];
    int[] counts = new int[units];
    for (int q = 0; q < g.nodeCount; q++) {
      int u = rank[q];
      for (int p : g.preds(q)) {
        int pu = rank[p];
        if (pu != u) {
          lists[u] = append(lists[u], counts[u]++, pu);
        }
      }
    }
    for (int u = 0; u < units; u++) {
      preds[u] = distinct(lists[u], counts[u]);
    }
    // Other reader units of each candidate's value.
    int[][] others = new int[g.pairs.size()][];
    for (int i : candidates) {
      Graph.Pair p = g.pairs.get(i);
      int d = rank[p.node()];
      int[] rs = new int[g.readers[p.value()].length];
      int n = 0;
      for (int r : g.readers[p.value()]) {
        if (rank[r] != d) {
          rs[n++] = rank[r];
        }
      }
      others[i] = distinct(rs, n);
    }
    Comparator<Integer> topo =
        Comparator.<Integer>comparingInt(i -> rank[g.pairs.get(i).node()])
            .thenComparingInt(i -> g.pairs.get(i).operand());
    List<List<Integer>> orders = new ArrayList<>();
    List<Integer> fewest = new ArrayList<>(candidates);
    fewest.sort(Comparator.<Integer>comparingInt(i -> others[i].length).thenComparing(topo));
    orders.add(fewest);
    List<Integer> forward = new ArrayList<>(candidates);
    forward.sort(topo);
    orders.add(forward);
    List<Integer> backward = new ArrayList<>(candidates);
    backward.sort(topo.reversed());
    orders.add(backward);

    int bestCount = -1;
    for (List<Integer> order : orders) {
      boolean[] chosen = new boolean[g.pairs.size()];
      int count = pass(g, units, preds, rank, others, order, chosen);
      if (count > bestCount) {
        bestCount = count;
        best = chosen;
      }
      if (count == candidates.size()) {
        break; // every candidate fits: nothing to improve
      }
    }
    return best;
  }

  /** Ranks units topologically, ties by the digest of the unit's first output; node -> rank. */
  private static int[] invariantOrder(Graph g, int[] unitOf) {
    int n = g.nodeCount;
    int[] indeg = new int[n];
    int[][] succ = new int[n][];
    int[] succCount = new int[n];
    for (int q = 0; q < n; q++) {
      int u = unitOf[q];
      for (int p : g.preds(q)) {
        int pu = unitOf[p];
        if (pu != u) {
          succ[pu] = append(succ[pu], succCount[pu]++, u);
        }
      }
    }
    for (int u = 0; u < n; u++) {
      if (unitOf[u] == u) {
        succ[u] = distinct(succ[u], succCount[u]);
        for (int s : succ[u]) {
          indeg[s]++;
        }
      }
    }
    Digest[] key = new Digest[n];
    PriorityQueue<Integer> ready = new PriorityQueue<>(Comparator.comparing((Integer u) -> key[u]));
    for (int u = 0; u < n; u++) {
      if (unitOf[u] == u) {
        key[u] = g.values[g.outputs[u][0]].digest();
        if (indeg[u] == 0) {
          ready.add(u);
        }
      }
    }
    int[] unitRank = new int[n];
    int next = 0;
    while (!ready.isEmpty()) {
      int u = ready.poll();
      unitRank[u] = next++;
      for (int s : succ[u]) {
        if (--indeg[s] == 0) {
          ready.add(s);
        }
      }
    }
    int[] rank = new int[n];
    for (int q = 0; q < n; q++) {
      rank[q] = unitRank[unitOf[q]];
    }
    return rank;
  }

  private static int pass(Graph g, int units, int[][] preds, int[] rank, int[][] others,
      List<Integer> order, boolean[] chosen) {
    DynamicTopoOrder dag = new DynamicTopoOrder(units, preds);
    boolean[] destroyed = new boolean[g.values.length];
    int count = 0;
    for (int i : order) {
      Graph.Pair p = g.pairs.get(i);
      int v = p.value();
      if (destroyed[v]) {
        continue;
      }
      int d = rank[p.node()];
      int[] rs = others[i];
      int n = 0;
      boolean ok = true;
      for (int r : rs) {
        if (!dag.addEdge(r, d)) {
          ok = false;
          break;
        }
        n++;
      }
      if (!ok) {
        for (int k = 0; k < n; k++) {
          dag.removeEdge(rs[k], d);
        }
        continue;
      }
      destroyed[v] = true;
      chosen[i] = true;
      count++;
    }
    return count;
  }

  private static int[] append(int[] a, int n, int x) {
    if (a == null) {
      a = new int[4];
    } else if (n == a.length) {
      a = Arrays.copyOf(a, n * 2);
    }
    a[n] = x;
    return a;
  }

  private static int[] distinct(int[] a, int n) {
    if (a == null || n == 0) {
      return new int[0];
    }
    int[] b = Arrays.copyOf(a, n);
    Arrays.sort(b);
    int c = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || b[i] != b[i - 1]) {
        b[c++] = b[i];
      }
    }
    return Arrays.copyOf(b, c);
  }
}
