package io.memoflow.inplace;

import io.memoflow.dag.Computation;
import io.memoflow.dag.Digest;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/* Overview: the canonical topological order of a graph's nodes: nodes sorted by the digest of
 * their first output, then Kahn's algorithm taking the ready node of lowest key rank first, so
 * the order depends on the set of computations only, never on the order they were given in. */

/** Orders the nodes of a {@link Graph} canonically. Stateless. */
final class CanonicalOrder {
  private CanonicalOrder() {}

  /**
   * Fills the nodes, keys and position-to-node map of {@code g} with the canonical order: a
   * topological order that depends only on the set of computations, never on the order they
   * were given in. Computations are ranked by the digest of their first output (unique: a
   * variable has one producer); Kahn's algorithm then emits, at each step, the ready computation
   * of lowest rank.
   */
  static void fill(
      Graph g, IntFunction<int[]> predsOfGiven, List<Computation> given, Digest[] keys) {
    int n = g.nodeCount;
    Digest[] k = keys;
    if (k == null) {
      k = new Digest[n];
      for (int i = 0; i < n; i++) {
        Computation c = given.get(i);
        k[i] = c.outputs().isEmpty()
            ? Digest.hasher("computation").add(c.toString()).digest()
            : c.outputs().get(0).digest();
      }
    }
    int[] byKey = sortedByKey(k);
    int[] rank = new int[n];
    for (int r = 0; r < n; r++) {
      rank[byKey[r]] = r;
    }
    // Successors by rank, each list ascending (filled in increasing rank).
    int[][] predsG = new int[n][];
    int[] indeg = new int[n];
    int[] sc = new int[n];
    for (int i = 0; i < n; i++) {
      int[] ps = predsOfGiven.apply(i);
      predsG[i] = ps;
      indeg[rank[i]] = ps.length;
      for (int p : ps) {
        sc[rank[p]]++;
      }
    }
    int[][] succRanks = new int[n][];
    for (int r = 0; r < n; r++) {
      succRanks[r] = new int[sc[r]];
      sc[r] = 0;
    }
    for (int r = 0; r < n; r++) {
      for (int p : predsG[byKey[r]]) {
        int pr = rank[p];
        succRanks[pr][sc[pr]++] = r;
      }
    }
    LongMinHeap ready = new LongMinHeap(n);
    for (int r = 0; r < n; r++) {
      if (indeg[r] == 0) {
        ready.add(r);
      }
    }
    int q = 0;
    while (!ready.isEmpty()) {
      int r = (int) ready.poll();
      int i = byKey[r];
      g.nodes[q] = given.get(i);
      g.key[q] = k[i];
      g.keyRank[q] = r;
      g.nodeOfKeyRank[r] = q;
      g.nodeOfPosition[i] = q;
      q++;
      for (int x : succRanks[r]) {
        if (--indeg[x] == 0) {
          ready.add(x);
        }
      }
    }
  }

  /**
   * Returns the indices of {@code k} by increasing digest (equal digests by index): a primitive
   * sort on the leading bits of each digest packed with its index, then the rare runs whose
   * leading bits agree sorted by the whole digest.
   */
  static int[] sortedByKey(Digest[] k) {
    int n = k.length;
    int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1));
    long low = (1L << bits) - 1;
    long[] packed = new long[n];
    for (int i = 0; i < n; i++) {
      packed[i] = ((k[i].hi() & ~low) | i) ^ Long.MIN_VALUE; // unsigned order as signed
    }
    Arrays.sort(packed);
    int[] out = new int[n];
    for (int r = 0; r < n; r++) {
      out[r] = (int) (packed[r] & low);
    }
    for (int from = 0; from < n; ) {
      int to = from + 1;
      while (to < n && (packed[to] & ~low) == (packed[from] & ~low)) {
        to++;
      }
      if (to - from > 1) {
        Integer[] run = new Integer[to - from];
        for (int r = from; r < to; r++) {
          run[r - from] = out[r];
        }
        Arrays.sort(run, (a, b) -> {
          int c = k[a].compareTo(k[b]);
          return c != 0 ? c : Integer.compare(a, b);
        });
        for (int r = from; r < to; r++) {
          out[r] = run[r - from];
        }
      }
      from = to;
    }
    return out;
  }
}
