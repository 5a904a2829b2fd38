package io.memoflow.inplace;

import java.util.ArrayList;
import java.util.Arrays;
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
   * candidates one by one, adding each candidate's edges to a dynamic topological order that
   * refuses them when the destroyer reaches another reader. Three candidate orders are tried -- fewest
   * other readers first, topological, reverse topological -- and the pass that keeps the most
   * overwrites in place wins (the first on ties); above SINGLE_PASS_UNITS units only the first. Protected operands and operands the destroyer
   * reads twice are never candidates. At most MAX_ATTEMPTS destroyers are tried per value, which
   * bounds the work on values read all over a large graph.
   *
   * The search runs on units (a Copy with one reader is fused with it, as the scheduler runs
   * them) and orders them by a topological order whose ties are broken by the digest of each
   * unit's first output. Inserting copies changes neither the unit graph nor those digests, so
   * selecting on a planned composite makes the same choices again: that is what makes planning
   * idempotent.
   */

  /** Destroyers tried per value and pass: bounds the work on values read all over a large graph. */
  static final int MAX_ATTEMPTS = 16;

  /** Units above which only the first candidate order is tried (the others gain under 1%). */
  static final int SINGLE_PASS_UNITS = 2000;

  private InPlaceSelector() {}

  /** Returns, per pair of {@code g.pairs}, whether it runs in place. */
  static boolean[] select(Graph g) {
    int[] unitOf = g.fusedUnits();
    // A value made by a fused copy stands for the value copied: an overwrite of it is decided as
    // an overwrite of that value (it was a candidate there before the copy was inserted).
    int[] source = copySources(g, unitOf);
    boolean[] physical = new boolean[g.pairs.size()];
    boolean[] candidate = new boolean[g.pairs.size()];
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < g.pairs.size(); i++) {
      Graph.Pair p = g.pairs.get(i);
      int v = source[p.value()];
      physical[i] = v != p.value(); // an overwrite of its own copy is always in place
      int same = 0;
      for (int x : g.inputs[p.node()]) {
        if (source[x] == v) {
          same++;
        }
      }
      if (p.kind() != Graph.Kind.TOO_LARGE && !g.protect[v] && same == 1) {
        candidate[i] = true;
        candidates.add(i);
      }
    }
    if (candidates.isEmpty()) {
      return physical;
    }
    int[] rank = invariantOrder(g, unitOf, source, candidate); // node -> position of its unit
    int units = 0;
    for (int q = 0; q < g.nodeCount; q++) {
      units = Math.max(units, rank[q] + 1);
    }
    int[][] preds = unitPredecessors(g, rank, units);
    int[][] others = otherReaderUnits(g, candidates, rank, source);
    List<int[]> orders = candidateOrders(g, candidates, rank, others);
    boolean[] best = null;
    int bestCount = -1;
    for (int[] order : orders) {
      boolean[] chosen = new boolean[g.pairs.size()];
      int count = pass(g, units, preds, rank, source, others, order, chosen);
      if (count > bestCount) {
        bestCount = count;
        best = chosen;
      }
      if (count == candidates.size() || units > SINGLE_PASS_UNITS) {
        break; // every candidate fits, or the graph is large: one pass is enough
      }
    }
    for (int i = 0; i < best.length; i++) {
      best[i] |= physical[i];
    }
    return best;
  }

  /**
   * Returns, per value, the value it stands for: a value made by a fused copy stands for the
   * value copied (transitively), any other value for itself.
   */
  private static int[] copySources(Graph g, int[] unitOf) {
    int[] source = new int[g.values.length];
    for (int v = 0; v < source.length; v++) {
      int p = g.producer[v];
      source[v] = p >= 0 && unitOf[p] != p ? source[g.inputs[p][0]] : v;
    }
    return source;
  }

  /** Returns the distinct predecessor ranks of each unit rank. */
  private static int[][] unitPredecessors(Graph g, int[] rank, int units) {
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
    return preds;
  }

  /** Returns, per candidate pair, the other reader units of the value it would destroy. */
  private static int[][] otherReaderUnits(Graph g, List<Integer> candidates, int[] rank,
      int[] source) {
    int[][] others = new int[g.pairs.size()][];
    for (int i : candidates) {
      Graph.Pair p = g.pairs.get(i);
      int d = rank[p.node()];
      int[] rs = new int[g.readers[source[p.value()]].length];
      int n = 0;
      for (int r : g.readers[source[p.value()]]) {
        if (rank[r] != d) {
          rs[n++] = rank[r];
        }
      }
      others[i] = distinct(rs, n);
    }
    return others;
  }

  /**
   * Returns the candidate orders tried: fewest other readers first, topological, and
   * topological reversed; sorted on primitive keys, (node rank, operand) packed in one long.
   */
  private static List<int[]> candidateOrders(Graph g, List<Integer> candidates, int[] rank,
      int[][] others) {
    long[] topoKey = new long[candidates.size()];
    long[] fewestKey = new long[candidates.size()];
    for (int c = 0; c < topoKey.length; c++) {
      int i = candidates.get(c);
      Graph.Pair p = g.pairs.get(i);
      long t = ((long) rank[p.node()] << 8) | p.operand();
      topoKey[c] = (t << 20) | c;
      fewestKey[c] = ((long) Math.min(others[i].length, 2047) << 52) | (t << 20) | c;
    }
    List<int[]> orders = new ArrayList<>();
    orders.add(sortedCandidates(fewestKey, candidates, false));
    orders.add(sortedCandidates(topoKey, candidates, false));
    orders.add(sortedCandidates(topoKey, candidates, true));
    return orders;
  }

  /**
   * Ranks units topologically, preferring units that destroy nothing still read elsewhere, ties
   * by the digest of the unit's first output; node -> rank. Starting from an order in which most
   * destroyers already come last keeps the dynamic order's searches short.
   */
  private static int[] invariantOrder(Graph g, int[] unitOf, int[] source, boolean[] candidate) {
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
    // pending[u]: readers, other than u, still to run of the values u may destroy.
    int[] pending = new int[n];
    int[][] destroyersOf = new int[g.values.length][];
    int[] destroyerCount = new int[g.values.length];
    for (int i = 0; i < g.pairs.size(); i++) {
      if (!candidate[i]) {
        continue;
      }
      Graph.Pair p = g.pairs.get(i);
      int v = source[p.value()];
      int d = unitOf[p.node()];
      destroyersOf[v] = append(destroyersOf[v], destroyerCount[v]++, d);
      for (int r : g.readers[v]) {
        if (unitOf[r] != d) {
          pending[d]++;
        }
      }
    }
    int[][] members = new int[n][];
    int[] memberCount = new int[n];
    for (int q = 0; q < n; q++) {
      int u = unitOf[q];
      members[u] = append(members[u], memberCount[u]++, q);
    }
    // Ready units by (deferred, rank of the unit's key): one long each, no boxing.
    long[] deferred = new long[n];
    LongMinHeap ready = new LongMinHeap(n);
    boolean[] queued = new boolean[n];
    for (int u = 0; u < n; u++) {
      if (unitOf[u] == u) {
        if (indeg[u] == 0) {
          deferred[u] = pending[u] > 0 ? 1 : 0;
          queued[u] = true;
          ready.add((deferred[u] << 32) | g.keyRank[u]);
        }
      }
    }
    int[] unitRank = new int[n];
    boolean[] done = new boolean[n];
    int next = 0;
    while (!ready.isEmpty()) {
      long top = ready.poll();
      int u = g.nodeOfKeyRank[(int) top];
      if (done[u] || (top >>> 32) != deferred[u]) {
        continue; // stale entry
      }
      done[u] = true;
      unitRank[u] = next++;
      for (int mi = 0; mi < memberCount[u]; mi++) {
        int q = members[u][mi];
        int[] ins = g.inputs[q];
        for (int j = 0; j < ins.length; j++) {
          int v = ins[j];
          if (firstIndexOf(ins, v) != j) {
            continue; // a node counts once as a reader
          }
          for (int k = 0; k < destroyerCount[v]; k++) {
            int d = destroyersOf[v][k];
            if (d != u && --pending[d] == 0 && queued[d] && !done[d]) {
              deferred[d] = 0;
              ready.add(g.keyRank[d]);
            }
          }
        }
      }
      for (int s : succ[u]) {
        if (--indeg[s] == 0) {
          deferred[s] = pending[s] > 0 ? 1 : 0;
          queued[s] = true;
          ready.add((deferred[s] << 32) | g.keyRank[s]);
        }
      }
    }
    int[] rank = new int[n];
    for (int q = 0; q < n; q++) {
      rank[q] = unitRank[unitOf[q]];
    }
    return rank;
  }

  private static int pass(Graph g, int units, int[][] preds, int[] rank, int[] source, int[][] others,
      int[] order, boolean[] chosen) {
    DynamicTopoOrder dag = new DynamicTopoOrder(units, preds);
    boolean[] destroyed = new boolean[g.values.length];
    int[] attempts = new int[g.values.length];
    int count = 0;
    for (int i : order) {
      Graph.Pair p = g.pairs.get(i);
      int v = source[p.value()];
      if (destroyed[v] || attempts[v]++ >= MAX_ATTEMPTS) {
        continue;
      }
      int d = rank[p.node()];
      int[] rs = others[i];
      if (!dag.addEdgesInto(d, rs, rs.length)) {
        continue; // some other reader depends on the destroyer: the copy stays
      }
      destroyed[v] = true;
      chosen[i] = true;
      count++;
    }
    return count;
  }

  /** Sorts packed keys whose low 20 bits index {@code candidates}; returns pair indices. */
  private static int[] sortedCandidates(long[] keys, List<Integer> candidates, boolean reverse) {
    long[] k = keys.clone();
    Arrays.sort(k);
    int[] out = new int[k.length];
    for (int c = 0; c < k.length; c++) {
      out[reverse ? k.length - 1 - c : c] = candidates.get((int) (k[c] & 0xFFFFF));
    }
    return out;
  }

  private static int firstIndexOf(int[] a, int x) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == x) {
        return i;
      }
    }
    return -1;
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
