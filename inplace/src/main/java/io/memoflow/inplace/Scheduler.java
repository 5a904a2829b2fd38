package io.memoflow.inplace;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Orders a graph's nodes for a low peak: several list schedules over the graph plus the
 * "other readers before the in-place destroyer" edges.
 */
final class Scheduler {
  /*
   * Overview: a Copy whose only reader is another node is fused with that reader into one unit
   * and runs right before it, so a copy is live only while its destroyer runs (as an
   * out-of-place kernel's output would be). Units are list-scheduled four ways, ties always by
   * the composite's canonical position: lowest position first (close to the composite's own
   * order), depth first (the most recently readied unit: finishes chains, which frees their
   * values), and twice memory-greedy -- the ready unit whose run adds the fewest bytes (new
   * buffers minus buffers freed), ties lowest-position or most-recently-readied. The caller
   * keeps the schedule with the lowest allocated peak, the first on ties: deterministic.
   *
   * Small graphs also get variants (see Key): memory-greedy by other keys (the ready unit
   * that frees the largest single value, the most bytes, or allocates the fewest), and
   * memory-greedy with ties broken by a fixed pseudo-random priority per canonical position
   * instead of the position itself. Every key depends only on the graph, so the variants are
   * as deterministic (and idempotent) as the four heuristics.
   */

  /** The heuristics, in the order they are tried. */
  enum Heuristic { CANONICAL, DEPTH_FIRST, MEMORY_CANONICAL, MEMORY_DEPTH_FIRST }

  /** The keys of the extra list schedules tried on small graphs. */
  enum Key {
    /** Fewest bytes added (new buffers minus freed), as MEMORY_CANONICAL. */
    DELTA,
    /** The largest single value freed first. */
    LARGEST_FREED,
    /** The most bytes freed first. */
    MOST_FREED,
    /** The fewest new bytes first. */
    FEWEST_ALLOCATED,
    /** No key: the order of the ties alone (with a seed, a pseudo-random topological order). */
    NONE
  }

  private final Graph g;
  private final int[][] inPlaceOperand;
  private int[] unitOf;
  private int[][] members; // unit -> member nodes ascending (only for representatives)
  private int[][] unitPreds;
  private int[][] unitSuccs;
  private int[][] externalInputs; // unit -> distinct values read from outside the unit
  private int[][] readerUnits; // value -> distinct reader units
  private long[] alloc; // unit -> bytes of new groups it writes
  private boolean[] destroyedInside; // value -> destroyed in place (so its buffer lives on)

  Scheduler(Graph g, int[][] inPlaceOperand) {
    this.g = g;
    this.inPlaceOperand = inPlaceOperand;
    if (!build(true)) {
      if (!build(false)) {
        throw new AssertionError("in-place ordering edges form a cycle");
      }
    }
  }

  /** Returns the number of units (fused copies count once with their reader). */
  int units() {
    int c = 0;
    for (int u = 0; u < unitOf.length; u++) {
      if (unitOf[u] == u) {
        c++;
      }
    }
    return c;
  }

  /** Returns the nodes in the order the heuristic gives. */
  int[] schedule(Heuristic h) {
    int n = g.nodeCount;
    int[] indeg = new int[n];
    for (int u = 0; u < n; u++) {
      if (unitOf[u] == u) {
        indeg[u] = unitPreds[u].length;
      }
    }
    boolean memory = h == Heuristic.MEMORY_CANONICAL || h == Heuristic.MEMORY_DEPTH_FIRST;
    boolean lifo = h == Heuristic.DEPTH_FIRST || h == Heuristic.MEMORY_DEPTH_FIRST;
    if (!memory) {
      return simple(lifo, indeg);
    }
    return keyed(Key.DELTA, lifo, 0, indeg);
  }

  /**
   * Returns the nodes in the order of a memory-greedy list schedule by {@code key}, ties by a
   * pseudo-random priority per canonical position drawn from {@code seed} (by the position
   * itself when the seed is 0).
   */
  int[] schedule(Key key, long seed) {
    int n = g.nodeCount;
    int[] indeg = new int[n];
    for (int u = 0; u < n; u++) {
      if (unitOf[u] == u) {
        indeg[u] = unitPreds[u].length;
      }
    }
    return keyed(key, false, seed, indeg);
  }

  private int[] keyed(Key which, boolean lifo, long seed, int[] indeg) {
    int n = g.nodeCount;
    int[] remaining = new int[g.values.length];
    for (int v = 0; v < remaining.length; v++) {
      remaining[v] = readerUnits[v].length;
    }
    long[] key = new long[n];
    long[] secondary = new long[n];
    boolean[] ready = new boolean[n];
    boolean[] done = new boolean[n];
    PriorityQueue<long[]> queue =
        new PriorityQueue<>(
            (a, b) -> {
              int c = Long.compare(a[0], b[0]);
              if (c == 0) {
                c = Long.compare(a[1], b[1]);
              }
              return c != 0 ? c : Long.compare(a[2], b[2]);
            });
    long stamp = 0;
    for (int u = 0; u < n; u++) {
      if (unitOf[u] == u && indeg[u] == 0) {
        ready[u] = true;
        secondary[u] = lifo ? -(stamp++) : tie(u, seed);
        key[u] = key(which, u, remaining);
        queue.add(new long[] {key[u], secondary[u], u});
      }
    }
    int[] seq = new int[n];
    int filled = 0;
    while (!queue.isEmpty()) {
      long[] top = queue.poll();
      int u = (int) top[2];
      if (done[u] || top[0] != key[u]) {
        continue; // stale entry
      }
      done[u] = true;
      for (int q : members[u]) {
        seq[filled++] = q;
      }
      for (int v : externalInputs[u]) {
        if (--remaining[v] == 1) {
          for (int r : readerUnits[v]) {
            if (!done[r] && ready[r]) {
              long k = key(which, r, remaining);
              if (k != key[r]) {
                key[r] = k;
                queue.add(new long[] {k, secondary[r], r});
              }
            }
          }
        }
      }
      for (int s : unitSuccs[u]) {
        if (--indeg[s] == 0) {
          ready[s] = true;
          secondary[s] = lifo ? -(stamp++) : tie(s, seed);
          key[s] = key(which, s, remaining);
          queue.add(new long[] {key[s], secondary[s], s});
        }
      }
    }
    if (filled != n) {
      throw new AssertionError("schedule stopped after " + filled + " of " + n);
    }
    return seq;
  }

  /**
   * The schedules whose keys never change: lowest position first (a min-heap of positions) or
   * the most recently readied unit first (a stack) -- what the general loop does with constant
   * keys, without its queue of boxed entries.
   */
  private int[] simple(boolean lifo, int[] indeg) {
    int n = g.nodeCount;
    LongMinHeap heap = lifo ? null : new LongMinHeap(n);
    int[] stack = lifo ? new int[n] : null;
    int sp = 0;
    for (int u = 0; u < n; u++) {
      if (unitOf[u] == u && indeg[u] == 0) {
        if (lifo) {
          stack[sp++] = u;
        } else {
          heap.add(u);
        }
      }
    }
    int[] seq = new int[n];
    int filled = 0;
    while (lifo ? sp > 0 : !heap.isEmpty()) {
      int u = lifo ? stack[--sp] : (int) heap.poll();
      for (int q : members[u]) {
        seq[filled++] = q;
      }
      for (int s : unitSuccs[u]) {
        if (--indeg[s] == 0) {
          if (lifo) {
            stack[sp++] = s;
          } else {
            heap.add(s);
          }
        }
      }
    }
    if (filled != n) {
      throw new AssertionError("schedule stopped after " + filled + " of " + n);
    }
    return seq;
  }

  /** A unit's tie-breaking priority: its position, or a fixed mix of it and the seed. */
  private static long tie(int u, long seed) {
    if (seed == 0) {
      return u;
    }
    long z = seed * 0x9E3779B97F4A7C15L + u;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return ((z ^ (z >>> 31)) & ~0xFFFFFL) | u; // distinct per unit
  }

  private long key(Key which, int u, int[] remaining) {
    switch (which) {
      case DELTA:
        return delta(u, remaining);
      case FEWEST_ALLOCATED:
        return alloc[u];
      case NONE:
        return 0;
      default:
        long most = 0;
        long sum = 0;
        for (int v : externalInputs[u]) {
          if (remaining[v] == 1 && !g.liveToEnd[v] && !destroyedInside[v]) {
            most = Math.max(most, g.size[v]);
            sum += g.size[v];
          }
        }
        return which == Key.LARGEST_FREED ? -most : -sum;
    }
  }

  private long delta(int u, int[] remaining) {
    long freed = 0;
    for (int v : externalInputs[u]) {
      if (remaining[v] == 1 && !g.liveToEnd[v] && !destroyedInside[v]) {
        freed += g.size[v];
      }
    }
    return alloc[u] - freed;
  }

  private boolean build(boolean fuse) {
    int n = g.nodeCount;
    groupUnits(fuse);
    countAllocations();
    linkUnits();
    findExternalInputs();
    return acyclic(n);
  }

  /** Groups nodes into units (one node each, or the graph's fused chains) with their members. */
  private void groupUnits(boolean fuse) {
    int n = g.nodeCount;
    if (fuse) {
      unitOf = g.fusedUnits();
    } else {
      unitOf = new int[n];
      for (int q = 0; q < n; q++) {
        unitOf[q] = q;
      }
    }
    int[] memberCount = new int[n];
    for (int q = 0; q < n; q++) {
      memberCount[unitOf[q]]++;
    }
    members = new int[n][];
    int[] fill = new int[n];
    for (int q = 0; q < n; q++) {
      int u = unitOf[q];
      if (members[u] == null) {
        members[u] = new int[memberCount[u]];
      }
      members[u][fill[u]++] = q;
    }
  }

  /** Marks values destroyed in place and sums what each unit allocates (outputs not in place). */
  private void countAllocations() {
    int n = g.nodeCount;
    destroyedInside = new boolean[g.values.length];
    alloc = new long[n];
    for (int q = 0; q < n; q++) {
      int[] outs = g.outputs[q];
      for (int k = 0; k < outs.length; k++) {
        int j = inPlaceOperand[q][k];
        if (j >= 0) {
          destroyedInside[g.inputs[q][j]] = true;
        } else {
          alloc[unitOf[q]] += g.size[outs[k]];
        }
      }
    }
  }

  /** Unit edges: the graph's edges and the in-place ordering edges, between distinct units. */
  private void linkUnits() {
    int n = g.nodeCount;
    int[][] edges = {new int[16], new int[16]}; // from, to
    int e = 0;
    for (int q = 0; q < n; q++) {
      for (int p : g.preds(q)) {
        if (unitOf[p] != unitOf[q]) {
          edges = edge(edges, e++, unitOf[p], unitOf[q]);
        }
      }
      for (int k = 0; k < g.outputs[q].length; k++) {
        int j = inPlaceOperand[q][k];
        if (j >= 0) {
          for (int r : g.readers[g.inputs[q][j]]) {
            if (unitOf[r] != unitOf[q]) {
              edges = edge(edges, e++, unitOf[r], unitOf[q]);
            }
          }
        }
      }
    }
    unitPreds = adjacency(n, edges[1], edges[0], e);
    unitSuccs = adjacency(n, edges[0], edges[1], e);
  }

  /** Each unit's inputs from outside it, and for each value the units that read it. */
  private void findExternalInputs() {
    int n = g.nodeCount;
    externalInputs = new int[n][];
    int[] seen = new int[g.values.length];
    Arrays.fill(seen, -1);
    int[][] readerLists = new int[g.values.length][];
    int[] readerCount = new int[g.values.length];
    int[] buf = new int[8]; // one unit's external inputs, reused
    int[] none = new int[0];
    for (int u = 0; u < n; u++) {
      if (unitOf[u] != u) {
        externalInputs[u] = none;
        continue;
      }
      int c = 0;
      for (int q : members[u]) {
        for (int v : g.inputs[q]) {
          int pq = g.producer[v];
          if (seen[v] != u && (pq < 0 || unitOf[pq] != u)) {
            seen[v] = u;
            if (c == buf.length) {
              buf = Arrays.copyOf(buf, c * 2);
            }
            buf[c++] = v;
            if (readerLists[v] == null) {
              readerLists[v] = new int[2];
            } else if (readerCount[v] == readerLists[v].length) {
              readerLists[v] = Arrays.copyOf(readerLists[v], readerCount[v] * 2);
            }
            readerLists[v][readerCount[v]++] = u;
          }
        }
      }
      externalInputs[u] = Arrays.copyOf(buf, c);
    }
    readerUnits = new int[g.values.length][];
    for (int v = 0; v < readerUnits.length; v++) {
      readerUnits[v] = readerLists[v] == null ? new int[0] : Arrays.copyOf(readerLists[v], readerCount[v]);
    }
  }

  private boolean acyclic(int n) {
    int[] indeg = new int[n];
    int[] stack = new int[n];
    int sp = 0;
    int units = 0;
    for (int u = 0; u < n; u++) {
      if (unitOf[u] == u) {
        units++;
        indeg[u] = unitPreds[u].length;
        if (indeg[u] == 0) {
          stack[sp++] = u;
        }
      }
    }
    int seen = 0;
    while (sp > 0) {
      int u = stack[--sp];
      seen++;
      for (int s : unitSuccs[u]) {
        if (--indeg[s] == 0) {
          stack[sp++] = s;
        }
      }
    }
    return seen == units;
  }

  private static int[][] edge(int[][] edges, int e, int from, int to) {
    if (e == edges[0].length) {
      edges = new int[][] {Arrays.copyOf(edges[0], 2 * e), Arrays.copyOf(edges[1], 2 * e)};
    }
    edges[0][e] = from;
    edges[1][e] = to;
    return edges;
  }

  /** Returns, per node, the distinct {@code to[i]} of the edges with {@code from[i]} == node, ascending. */
  private static int[][] adjacency(int n, int[] from, int[] to, int edges) {
    int[] count = new int[n];
    for (int i = 0; i < edges; i++) {
      count[from[i]]++;
    }
    int[][] adj = new int[n][];
    for (int u = 0; u < n; u++) {
      adj[u] = new int[count[u]];
    }
    int[] fill = new int[n];
    for (int i = 0; i < edges; i++) {
      adj[from[i]][fill[from[i]]++] = to[i];
    }
    for (int u = 0; u < n; u++) {
      int[] a = adj[u];
      Arrays.sort(a);
      int c = 0;
      for (int i = 0; i < a.length; i++) {
        if (i == 0 || a[i] != a[i - 1]) {
          a[c++] = a[i];
        }
      }
      adj[u] = Arrays.copyOf(a, c);
    }
    return adj;
  }
}
