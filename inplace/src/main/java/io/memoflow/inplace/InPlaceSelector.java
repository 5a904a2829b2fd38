package io.memoflow.inplace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
   * overwrites in place wins (the first on ties), so the result is deterministic. Protected
   * operands and operands the destroyer reads twice are never candidates.
   */

  private InPlaceSelector() {}

  /** Returns, per pair of {@code g.pairs}, whether it runs in place. */
  static boolean[] select(Graph g) {
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < g.pairs.size(); i++) {
      if (g.pairs.get(i).kind() == Graph.Kind.CANDIDATE) {
        candidates.add(i);
      }
    }
    boolean[] best = new boolean[g.pairs.size()];
    if (candidates.isEmpty()) {
      return best;
    }
    int[][] preds = new int[g.nodeCount][];
    for (int q = 0; q < g.nodeCount; q++) {
      preds[q] = g.preds(q);
    }
    Comparator<Integer> topo =
        Comparator.<Integer>comparingInt(i -> g.pairs.get(i).node())
            .thenComparingInt(i -> g.pairs.get(i).operand());
    List<List<Integer>> orders = new ArrayList<>();
    List<Integer> fewest = new ArrayList<>(candidates);
    fewest.sort(
        Comparator.<Integer>comparingInt(i -> g.readers[g.pairs.get(i).value()].length)
            .thenComparing(topo));
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
      int count = pass(g, preds, order, chosen);
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

  private static int pass(Graph g, int[][] preds, List<Integer> order, boolean[] chosen) {
    DynamicTopoOrder dag = new DynamicTopoOrder(g.nodeCount, preds);
    boolean[] destroyed = new boolean[g.values.length];
    int[] added = new int[16];
    int count = 0;
    for (int i : order) {
      Graph.Pair p = g.pairs.get(i);
      int v = p.value();
      if (destroyed[v]) {
        continue;
      }
      int d = p.node();
      int[] rs = g.readers[v];
      if (added.length < rs.length) {
        added = new int[rs.length];
      }
      int n = 0;
      boolean ok = true;
      for (int r : rs) {
        if (r == d) {
          continue;
        }
        if (!dag.addEdge(r, d)) {
          ok = false;
          break;
        }
        added[n++] = r;
      }
      if (!ok) {
        for (int k = 0; k < n; k++) {
          dag.removeEdge(added[k], d);
        }
        continue;
      }
      destroyed[v] = true;
      chosen[i] = true;
      count++;
    }
    return count;
  }
}
