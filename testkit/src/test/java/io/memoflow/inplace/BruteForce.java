package io.memoflow.inplace;

import io.memoflow.dag.CompositeComputation;
import java.util.Arrays;
import java.util.Set;
import io.memoflow.dag.Expr;
import java.util.function.ToLongFunction;

/**
 * The fewest copies over all topological orders, by dynamic programming over the sets of
 * computations already run (every topological order is a path through these sets).
 */
final class BruteForce {
  private BruteForce() {}

  /** Returns the minimum number of copies for {@code composite} (at most 20 computations). */
  static int minCopies(CompositeComputation composite, Set<Expr> donated, ToLongFunction<Expr> sizes) {
    Graph g = new Graph(composite, sizes, donated);
    int n = g.nodeCount;
    if (n > 20) {
      throw new IllegalArgumentException("too many computations for brute force: " + n);
    }
    int[] predMask = new int[n];
    for (int q = 0; q < n; q++) {
      for (int p : g.preds(q)) {
        predMask[q] |= 1 << p;
      }
    }
    int pairs = 0;
    for (Graph.Pair p : g.pairs) {
      if (p.kind() != Graph.Kind.TOO_LARGE) {
        pairs++;
      }
    }
    // gainIfLast: for node q and candidate value v, the mask of v's other readers.
    int[] best = new int[1 << n];
    Arrays.fill(best, -1);
    best[0] = 0;
    for (int s = 0; s < (1 << n); s++) {
      if (best[s] < 0) {
        continue;
      }
      for (int q = 0; q < n; q++) {
        if ((s & (1 << q)) != 0 || (predMask[q] & ~s) != 0) {
          continue;
        }
        int gain = 0;
        for (Graph.Pair p : g.pairs) {
          if (p.node() == q && p.kind() == Graph.Kind.CANDIDATE) {
            boolean last = true;
            for (int r : g.readers[p.value()]) {
              if (r != q && (s & (1 << r)) == 0) {
                last = false;
                break;
              }
            }
            if (last) {
              gain++;
            }
          }
        }
        int t = s | (1 << q);
        best[t] = Math.max(best[t], best[s] + gain);
      }
    }
    return pairs - best[(1 << n) - 1];
  }
}
