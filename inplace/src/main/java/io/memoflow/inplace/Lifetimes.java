package io.memoflow.inplace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lifetimes of a graph's values under one order, merged into groups that share a buffer
 * through in-place writes, with the max-live lower bound and two buffer allocators.
 */
final class Lifetimes {
  /*
   * Overview: time t is the position of a step in the order; graph inputs start at -1 and
   * values that must survive (protected or never read) end at m, the number of steps. A value
   * lives on the closed interval [def, end], so an input read at t and an output written at t
   * overlap -- they may share memory only through a declared in-place write, which puts the
   * output in its operand's group. A group is a chain of values living back to back in one
   * buffer; its size is its largest member.
   *
   * The max-live bound is the most bytes live at once: per step, the sum over live groups of
   * the largest member live then. No allocation can use less. Two allocators turn groups into
   * buffers: a sweep in time order that takes the best-fitting free buffer (growing the largest
   * free one when none fits), and the offline "greedy by size" (groups by decreasing size, each
   * into the smallest buffer whose groups do not overlap it; Pisarchyk and Lee, "Efficient
   * memory management for deep neural net inference", 2020). With equal sizes both are exact
   * interval colourings (left-edge), so the peak equals the bound.
   */

  final int steps;
  final int[] group; // value -> group
  final int groupCount;
  final int[] groupStart;
  final int[] groupEnd;
  final long[] groupSize;
  final long maxLive;

  /**
   * @param seq the nodes in execution order
   * @param inPlaceOperand node -> output -> operand written over, or -1
   */
  Lifetimes(Graph g, int[] seq, int[][] inPlaceOperand) {
    int m = seq.length;
    steps = m;
    int[] pos = new int[g.nodeCount];
    for (int t = 0; t < m; t++) {
      pos[seq[t]] = t;
    }
    int n = g.values.length;
    int[] def = new int[n];
    int[] end = new int[n];
    for (int v = 0; v < n; v++) {
      def[v] = g.producer[v] < 0 ? -1 : pos[g.producer[v]];
      if (g.liveToEnd[v]) {
        end[v] = m;
      } else {
        int e = -1;
        for (int r : g.readers[v]) {
          e = Math.max(e, pos[r]);
        }
        end[v] = e;
      }
    }
    group = new int[n];
    int[] firstOf = new int[n]; // group -> first member
    int gc = 0;
    for (int v = 0; v < n && g.graphInput[v]; v++) {
      firstOf[gc] = v;
      group[v] = gc++;
    }
    for (int t = 0; t < m; t++) {
      int q = seq[t];
      int[] outs = g.outputs[q];
      for (int k = 0; k < outs.length; k++) {
        int j = inPlaceOperand[q][k];
        if (j >= 0) {
          group[outs[k]] = group[g.inputs[q][j]];
        } else {
          firstOf[gc] = outs[k];
          group[outs[k]] = gc++;
        }
      }
    }
    groupCount = gc;
    groupStart = new int[gc];
    groupEnd = new int[gc];
    groupSize = new long[gc];
    for (int k = 0; k < gc; k++) {
      groupStart[k] = def[firstOf[k]];
      groupEnd[k] = Integer.MIN_VALUE;
    }
    // Max-live bound: each member adds its size over its own steps, except the step it is
    // written in place, where its (larger) predecessor in the group is already counted.
    long[] diff = new long[m + 1];
    for (int v = 0; v < n; v++) {
      int k = group[v];
      groupEnd[k] = Math.max(groupEnd[k], end[v]);
      groupSize[k] = Math.max(groupSize[k], g.size[v]);
      if (m == 0) {
        continue;
      }
      int from = Math.max(0, firstOf[k] == v ? def[v] : def[v] + 1);
      int to = Math.min(m - 1, end[v]);
      if (from <= to) {
        diff[from] += g.size[v];
        diff[to + 1] -= g.size[v];
      }
    }
    long live = 0;
    long max = 0;
    for (int t = 0; t < m; t++) {
      live += diff[t];
      max = Math.max(max, live);
    }
    if (m == 0) {
      for (int k = 0; k < gc; k++) {
        max += groupSize[k];
      }
    }
    maxLive = max;
  }

  /** A buffer assignment: group -> buffer, and each buffer's size. */
  record Allocation(int[] bufferOf, long[] bufferSize, long peak) {}

  /** Sweeps time, taking the best-fitting free buffer for each new group. */
  Allocation sweep() {
    int[] byStart = sortedBy(groupStart);
    int[] byEnd = sortedBy(groupEnd);
    int[] bufferOf = new int[groupCount];
    long[] bsize = new long[Math.max(4, groupCount)];
    int buffers = 0;
    TreeMap<Long, ArrayDeque<Integer>> free = new TreeMap<>();
    int si = 0;
    int ei = 0;
    for (int t = -1; t <= steps && si < groupCount; t++) {
      while (ei < groupCount && groupEnd[byEnd[ei]] < t) {
        int b = bufferOf[byEnd[ei++]];
        free.computeIfAbsent(bsize[b], s -> new ArrayDeque<>()).push(b);
      }
      while (si < groupCount && groupStart[byStart[si]] == t) {
        int k = byStart[si++];
        long need = groupSize[k];
        Map.Entry<Long, ArrayDeque<Integer>> e = free.ceilingEntry(need);
        if (e == null) {
          e = free.lastEntry(); // grow the largest free buffer rather than add a new one
        }
        int b;
        if (e != null) {
          b = e.getValue().pop();
          if (e.getValue().isEmpty()) {
            free.remove(e.getKey());
          }
          bsize[b] = Math.max(bsize[b], need);
        } else {
          b = buffers++;
          bsize[b] = need;
        }
        bufferOf[k] = b;
      }
    }
    return finish(bufferOf, Arrays.copyOf(bsize, buffers));
  }

  /** Greedy by size: groups by decreasing size, each into the smallest buffer free over its lifetime. */
  Allocation greedyBySize() {
    return greedyBySize(false);
  }

  /**
   * Greedy by size; with {@code exact}, a group only joins a buffer of exactly its size (so every
   * buffer holds values of one size: per size, an exact interval colouring).
   */
  Allocation greedyBySize(boolean exact) {
    /*
     * Equal to the textbook loop "each group into the newest buffer free over its lifetime" but
     * without scanning buffers: the free time of every buffer is kept as gaps (start, end,
     * buffer). Within one size, groups come by increasing start, so a sweep activates the gaps
     * that start at or before the group's start and asks the active ones for the newest buffer
     * whose gap ends at or after the group's end (a max segment tree over gap ends). Using a gap
     * leaves the part after the group, activated later; the part before can serve no later group
     * of this size but is kept for the smaller sizes that follow. O(sizes * n log n): n log n
     * when values come in a few shapes, as in BLAS/LAPACK pipelines.
     */
    int[] order = bySizeThenStart();
    int[] bufferOf = new int[groupCount];
    long[] bsize = new long[Math.max(4, groupCount)];
    int buffers = 0;
    int last = steps + 1; // times are shifted by one: 0 .. steps + 1
    BufferGaps gaps = new BufferGaps(last + 1);
    for (int from = 0; from < groupCount; ) {
      long size = groupSize[order[from]];
      int to = from;
      while (to < groupCount && groupSize[order[to]] == size) {
        to++;
      }
      gaps.startClass(exact ? buffers : 0);
      for (int i = from; i < to; i++) {
        int k = order[i];
        int s = groupStart[k] + 1;
        int e = Math.max(s, groupEnd[k] + 1);
        int b = gaps.take(s, e);
        if (b < 0) {
          b = buffers++;
          bsize[b] = size;
          if (s > 0) {
            gaps.add(0, s - 1, b, false);
          }
          if (e < last) {
            gaps.add(e + 1, last, b, true);
          }
        }
        bufferOf[k] = b;
      }
      from = to;
    }
    return finish(bufferOf, Arrays.copyOf(bsize, buffers));
  }

  /**
   * Returns the groups by decreasing size, then increasing start, then index: one primitive sort
   * of (size rank, start, group) packed in a long, 21 bits each (a boxed sort beyond that).
   */
  int[] bySizeThenStart() {
    int n = groupCount;
    long[] distinct = groupSize.clone();
    Arrays.sort(distinct);
    int d = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || distinct[i] != distinct[i - 1]) {
        distinct[d++] = distinct[i];
      }
    }
    int[] order = new int[n];
    int limit = 1 << 21;
    if (n < limit && d < limit && steps + 1 < limit) {
      long[] keys = new long[n];
      for (int k = 0; k < n; k++) {
        long sizeRank = d - 1 - Arrays.binarySearch(distinct, 0, d, groupSize[k]); // largest first
        keys[k] = (sizeRank << 42) | ((long) (groupStart[k] + 1) << 21) | k;
      }
      Arrays.sort(keys);
      for (int i = 0; i < n; i++) {
        order[i] = (int) (keys[i] & (limit - 1));
      }
      return order;
    }
    Integer[] boxed = new Integer[n];
    for (int k = 0; k < n; k++) {
      boxed[k] = k;
    }
    Arrays.sort(boxed, (a, b) -> {
      int c = Long.compare(groupSize[b], groupSize[a]);
      if (c == 0) {
        c = Integer.compare(groupStart[a], groupStart[b]);
      }
      return c != 0 ? c : Integer.compare(a, b);
    });
    for (int i = 0; i < n; i++) {
      order[i] = boxed[i];
    }
    return order;
  }

  /**
   * Greedy by breadth: steps by decreasing bytes live, and at each the live groups by decreasing
   * size, each into the smallest free buffer that fits, else the largest free one (grown), else
   * a new buffer. Quadratic in the worst case: used on small graphs only.
   */
  Allocation greedyByBreadth() {
    int m = Math.max(1, steps);
    int[][] live = new int[m][];
    int[] count = new int[m];
    for (int k = 0; k < groupCount; k++) {
      for (int t = Math.max(0, groupStart[k]); t <= Math.min(m - 1, groupEnd[k]); t++) {
        count[t]++;
      }
    }
    long[] breadth = new long[m];
    for (int t = 0; t < m; t++) {
      live[t] = new int[count[t]];
      count[t] = 0;
    }
    for (int k = 0; k < groupCount; k++) {
      for (int t = Math.max(0, groupStart[k]); t <= Math.min(m - 1, groupEnd[k]); t++) {
        live[t][count[t]++] = k;
        breadth[t] += groupSize[k];
      }
    }
    Integer[] stepOrder = new Integer[m];
    for (int t = 0; t < m; t++) {
      stepOrder[t] = t;
    }
    Arrays.sort(stepOrder, (a, b) -> {
      int c = Long.compare(breadth[b], breadth[a]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    int[] bufferOf = new int[groupCount];
    Arrays.fill(bufferOf, -1);
    List<TreeMap<Integer, Integer>> occupied = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    for (int t : stepOrder) {
      Integer[] gs = new Integer[live[t].length];
      for (int i = 0; i < gs.length; i++) {
        gs[i] = live[t][i];
      }
      Arrays.sort(gs, (a, b) -> {
        int c = Long.compare(groupSize[b], groupSize[a]);
        return c != 0 ? c : Integer.compare(a, b);
      });
      for (int k : gs) {
        if (bufferOf[k] >= 0) {
          continue;
        }
        bufferOf[k] = placeByBreadth(k, occupied, sizes);
      }
    }
    for (int k = 0; k < groupCount; k++) {
      if (bufferOf[k] < 0) { // a group outside every step: only when there are no steps
        bufferOf[k] = occupied.size();
        occupied.add(new TreeMap<>());
        sizes.add(groupSize[k]);
      }
    }
    long[] bsize = new long[sizes.size()];
    for (int b = 0; b < bsize.length; b++) {
      bsize[b] = sizes.get(b);
    }
    return finish(bufferOf, bsize);
  }

  /**
   * Places group {@code k} for {@link #greedyByBreadth}: in the smallest free buffer that fits
   * it, else the largest free one (grown), else a new one; returns the buffer.
   */
  private int placeByBreadth(int k, List<TreeMap<Integer, Integer>> occupied, List<Long> sizes) {
    int fit = -1;
    int largest = -1;
    for (int b = 0; b < occupied.size(); b++) {
      if (!free(occupied.get(b), groupStart[k], groupEnd[k])) {
        continue;
      }
      long bs = sizes.get(b);
      if (bs >= groupSize[k] && (fit < 0 || bs < sizes.get(fit))) {
        fit = b;
      }
      if (largest < 0 || bs > sizes.get(largest)) {
        largest = b;
      }
    }
    int chosen = fit >= 0 ? fit : largest;
    if (chosen < 0) {
      chosen = occupied.size();
      occupied.add(new TreeMap<>());
      sizes.add(groupSize[k]);
    } else if (sizes.get(chosen) < groupSize[k]) {
      sizes.set(chosen, groupSize[k]);
    }
    occupied.get(chosen).put(groupStart[k], groupEnd[k]);
    return chosen;
  }

  /**
   * Improves an allocation by local moves until none helps: move the group that sets a buffer's
   * size to another buffer free over its lifetime when the buffer shrinks by more than the other
   * grows, and empty a buffer entirely when its groups fit elsewhere for fewer bytes than it
   * holds. Every move lowers the peak, so this ends.
   */
  Allocation improve(Allocation start) {
    int[] bufferOf = start.bufferOf().clone();
    int nb = start.bufferSize().length;
    List<TreeMap<Integer, Integer>> occ = new ArrayList<>(); // start -> group
    List<TreeMap<Long, Integer>> sizeCount = new ArrayList<>();
    for (int b = 0; b < nb; b++) {
      occ.add(new TreeMap<>());
      sizeCount.add(new TreeMap<>());
    }
    for (int k = 0; k < groupCount; k++) {
      occ.get(bufferOf[k]).put(groupStart[k], k);
      sizeCount.get(bufferOf[k]).merge(groupSize[k], 1, Integer::sum);
    }
    boolean improved = true;
    for (int round = 0; improved && round < 8; round++) {
      improved = false;
      for (int b = 0; b < nb; b++) {
        if (occ.get(b).isEmpty()) {
          continue;
        }
        if (emptyBuffer(b, bufferOf, occ, sizeCount)) {
          improved = true;
        } else if (moveSizeSetter(b, bufferOf, occ, sizeCount)) {
          improved = true;
        }
      }
    }
    return compact(bufferOf, occ, sizeCount);
  }

  /**
   * Move 2 of {@link #improve}: moves every group of buffer {@code b} into other buffers when
   * their growth is less than {@code b}'s size; returns whether it did.
   */
  private boolean emptyBuffer(int b, int[] bufferOf, List<TreeMap<Integer, Integer>> occ,
      List<TreeMap<Long, Integer>> sizeCount) {
    int nb = occ.size();
    long size = sizeCount.get(b).lastKey();
    List<Integer> members = new ArrayList<>(occ.get(b).values());
    members.sort((x, y) -> Long.compare(groupSize[y], groupSize[x]));
    long growth = 0;
    int[] target = new int[members.size()];
    long[] newSize = new long[nb];
    for (int c = 0; c < nb; c++) {
      newSize[c] = occ.get(c).isEmpty() ? 0 : sizeCount.get(c).lastKey();
    }
    List<int[]> placed = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < members.size() && ok; i++) {
      int k = members.get(i);
      int best = -1;
      long bestGrowth = Long.MAX_VALUE;
      for (int c = 0; c < nb; c++) {
        if (c == b || occ.get(c).isEmpty() || !freeOf(occ.get(c), placed, c, groupStart[k], groupEnd[k])) {
          continue;
        }
        long gr = Math.max(0, groupSize[k] - newSize[c]);
        if (gr < bestGrowth || (gr == bestGrowth && newSize[c] < newSize[best])) {
          best = c;
          bestGrowth = gr;
        }
      }
      if (best < 0) {
        ok = false;
      } else {
        growth += bestGrowth;
        newSize[best] = Math.max(newSize[best], groupSize[k]);
        target[i] = best;
        placed.add(new int[] {best, groupStart[k], groupEnd[k]});
        ok = growth < size;
      }
    }
    if (!(ok && growth < size)) {
      return false;
    }
    for (int i = 0; i < members.size(); i++) {
      move(members.get(i), b, target[i], bufferOf, occ, sizeCount);
    }
    return true;
  }

  /**
   * Move 1 of {@link #improve}: moves the one group that sets buffer {@code b}'s size into
   * another buffer when that grows it less than {@code b} shrinks; returns whether it did.
   */
  private boolean moveSizeSetter(int b, int[] bufferOf, List<TreeMap<Integer, Integer>> occ,
      List<TreeMap<Long, Integer>> sizeCount) {
    int nb = occ.size();
    long size = sizeCount.get(b).lastKey();
    int top = -1;
    for (int k : occ.get(b).values()) {
      if (groupSize[k] == size) {
        top = k;
        break;
      }
    }
    if (sizeCount.get(b).get(size) > 1) {
      return false;
    }
    Long lower = sizeCount.get(b).lowerKey(size);
    long shrink = size - (lower == null ? 0 : lower);
    int best = -1;
    long bestGrowth = Long.MAX_VALUE;
    for (int c = 0; c < nb; c++) {
      if (c == b || occ.get(c).isEmpty()
          || !freeOf(occ.get(c), List.of(), c, groupStart[top], groupEnd[top])) {
        continue;
      }
      long gr = Math.max(0, size - sizeCount.get(c).lastKey());
      if (gr < bestGrowth) {
        best = c;
        bestGrowth = gr;
      }
    }
    if (best >= 0 && bestGrowth < shrink) {
      move(top, b, best, bufferOf, occ, sizeCount);
      return true;
    }
    return false;
  }

  /** Drops the empty buffers of {@link #improve}'s result and renumbers the rest. */
  private Allocation compact(int[] bufferOf, List<TreeMap<Integer, Integer>> occ,
      List<TreeMap<Long, Integer>> sizeCount) {
    int nb = occ.size();
    int[] renumber = new int[nb];
    List<Long> sizes = new ArrayList<>();
    for (int b = 0; b < nb; b++) {
      if (occ.get(b).isEmpty()) {
        renumber[b] = -1;
      } else {
        renumber[b] = sizes.size();
        sizes.add(sizeCount.get(b).lastKey());
      }
    }
    for (int k = 0; k < groupCount; k++) {
      bufferOf[k] = renumber[bufferOf[k]];
    }
    long[] bsize = new long[sizes.size()];
    for (int b = 0; b < bsize.length; b++) {
      bsize[b] = sizes.get(b);
    }
    return finish(bufferOf, bsize);
  }

  private boolean freeOf(TreeMap<Integer, Integer> occ, List<int[]> placed, int c, int s, int e) {
    Map.Entry<Integer, Integer> before = occ.floorEntry(e);
    if (before != null && groupEnd[before.getValue()] >= s) {
      return false;
    }
    for (int[] p : placed) {
      if (p[0] == c && p[1] <= e && s <= p[2]) {
        return false;
      }
    }
    return true;
  }

  private void move(int k, int from, int to, int[] bufferOf, List<TreeMap<Integer, Integer>> occ,
      List<TreeMap<Long, Integer>> sizeCount) {
    occ.get(from).remove(groupStart[k]);
    sizeCount.get(from).merge(groupSize[k], -1, (a, b) -> a + b == 0 ? null : a + b);
    occ.get(to).put(groupStart[k], k);
    sizeCount.get(to).merge(groupSize[k], 1, Integer::sum);
    bufferOf[k] = to;
  }

  private static boolean free(TreeMap<Integer, Integer> occ, int s, int e) {
    Map.Entry<Integer, Integer> before = occ.floorEntry(e);
    return before == null || before.getValue() < s;
  }

  private static Allocation finish(int[] bufferOf, long[] bsize) {
    long peak = 0;
    for (long s : bsize) {
      peak += s;
    }
    return new Allocation(bufferOf, bsize, peak);
  }

  private int[] sortedBy(int[] key) {
    long[] keyed = new long[groupCount];
    for (int k = 0; k < groupCount; k++) {
      keyed[k] = ((long) (key[k] + 1) << 32) | k;
    }
    Arrays.sort(keyed);
    int[] out = new int[groupCount];
    for (int k = 0; k < groupCount; k++) {
      out[k] = (int) keyed[k];
    }
    return out;
  }
}
