package io.memoflow.inplace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The dynamic topological order (forward search with a backward search alongside) refuses an
 * edge set exactly when the destroyer already reaches one of the readers, and otherwise keeps
 * every edge, old and new, pointing forward, whichever of its two rewrites runs (the whole span,
 * or only the nodes found), with every node at a position of its own.
 */
class DynamicTopoOrderPropertiesTest {

  @Property(tries = 200)
  void refusesExactlyTheCyclesAndKeepsATopologicalOrder(@ForAll long seed,
      @ForAll @IntRange(min = 2, max = 60) int n, @ForAll @IntRange(min = 0, max = 4) int density) {
    Random rnd = new Random(seed);
    List<List<Integer>> succ = new ArrayList<>();
    int[][] preds = new int[n][];
    for (int v = 0; v < n; v++) {
      succ.add(new ArrayList<>());
    }
    for (int v = 0; v < n; v++) {
      List<Integer> ps = new ArrayList<>();
      for (int p = 0; p < v; p++) {
        if (rnd.nextInt(n) < density) {
          ps.add(p);
          succ.get(p).add(v);
        }
      }
      preds[v] = ps.stream().mapToInt(Integer::intValue).toArray();
    }
    DynamicTopoOrder dag = new DynamicTopoOrder(n, preds);
    for (int step = 0; step < 3 * n; step++) {
      int d = rnd.nextInt(n);
      int k = 1 + rnd.nextInt(3);
      int[] readers = new int[k];
      int c = 0;
      for (int i = 0; i < k; i++) {
        int r = rnd.nextInt(n);
        if (r != d) {
          readers[c++] = r;
        }
      }
      boolean cycle = false;
      boolean[] reach = reachable(succ, d);
      for (int i = 0; i < c; i++) {
        cycle |= reach[readers[i]];
      }
      assertEquals(!cycle, dag.addEdgesInto(d, readers, c), "edges into " + d);
      if (!cycle) {
        for (int i = 0; i < c; i++) {
          succ.get(readers[i]).add(d);
        }
      }
      boolean[] taken = new boolean[n];
      for (int v = 0; v < n; v++) {
        int at = dag.position(v);
        assertTrue(at >= 0 && at < n && !taken[at], "position " + at + " of " + v + " is not its own");
        taken[at] = true;
        for (int w : succ.get(v)) {
          assertTrue(dag.position(v) < dag.position(w), v + " -> " + w + " points backward");
        }
      }
    }
  }

  private static boolean[] reachable(List<List<Integer>> succ, int from) {
    boolean[] seen = new boolean[succ.size()];
    List<Integer> stack = new ArrayList<>(List.of(from));
    seen[from] = true;
    while (!stack.isEmpty()) {
      int v = stack.remove(stack.size() - 1);
      for (int w : succ.get(v)) {
        if (!seen[w]) {
          seen[w] = true;
          stack.add(w);
        }
      }
    }
    return seen;
  }
}
