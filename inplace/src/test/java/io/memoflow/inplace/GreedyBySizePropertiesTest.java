package io.memoflow.inplace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The fast greedy by size (free gaps in a segment tree) makes exactly the choices of the
 * textbook quadratic loop: each group, by decreasing size, into the newest buffer free over its
 * lifetime.
 */
class GreedyBySizePropertiesTest {

  @Property(tries = 60)
  void greedyBySize_equalsTheQuadraticLoop(@ForAll long seed, @ForAll @IntRange(min = 1, max = 120) int n,
      @ForAll boolean exact, @ForAll boolean scattered) {
    InplaceComposites.Scenario s = InplaceComposites.symbolic(seed, n,
        scattered ? InplaceComposites.Sizes.SCATTERED : InplaceComposites.Sizes.MIXED,
        InplaceComposites.Overwrites.BLAS);
    Graph g = new Graph(s.composite(), s.sizes(), s.donated(), exact);
    int[][] none = new int[g.nodeCount][];
    for (int q = 0; q < g.nodeCount; q++) {
      none[q] = new int[g.outputs[q].length];
      Arrays.fill(none[q], -1);
    }
    int[] seq = new int[g.nodeCount];
    for (int q = 0; q < seq.length; q++) {
      seq[q] = q;
    }
    Lifetimes life = new Lifetimes(g, seq, none);
    Lifetimes.Allocation fast = life.greedyBySize(exact);
    int[] expected = quadratic(life, exact);
    assertArrayEquals(expected, fast.bufferOf());
    assertEquals(Arrays.stream(fast.bufferSize()).sum(), fast.peak());
  }

  private static int[] quadratic(Lifetimes l, boolean exact) {
    Integer[] order = new Integer[l.groupCount];
    for (int k = 0; k < order.length; k++) {
      order[k] = k;
    }
    Arrays.sort(order, (a, b) -> {
      int c = Long.compare(l.groupSize[b], l.groupSize[a]);
      if (c == 0) {
        c = Integer.compare(l.groupStart[a], l.groupStart[b]);
      }
      return c != 0 ? c : Integer.compare(a, b);
    });
    int[] bufferOf = new int[l.groupCount];
    List<TreeMap<Integer, Integer>> occupied = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    for (int k : order) {
      int s = l.groupStart[k];
      int e = Math.max(s, l.groupEnd[k]);
      int chosen = -1;
      for (int b = occupied.size() - 1; b >= 0; b--) {
        if (exact && sizes.get(b) != l.groupSize[k]) {
          continue;
        }
        Map.Entry<Integer, Integer> before = occupied.get(b).floorEntry(e);
        if (before == null || before.getValue() < s) {
          chosen = b;
          break;
        }
      }
      if (chosen < 0) {
        chosen = occupied.size();
        occupied.add(new TreeMap<>());
        sizes.add(l.groupSize[k]);
      }
      occupied.get(chosen).put(s, e);
      bufferOf[k] = chosen;
    }
    return bufferOf;
  }
}
