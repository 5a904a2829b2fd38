package io.memoflow.dag;

import static java.util.Objects.requireNonNull;

import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable set of {@link Computation}s whose edges are inferred from shared variables: a
 * computation that reads a variable depends on the one that produces it.
 *
 * <p>{@link #inputs()} are the variables read but not produced inside; {@link #outputs()} are
 * those produced but not read inside, plus any {@link #requestedOutputs() requested} with
 * {@link #withOutputs}. Composing composites flattens them into one set. Two composites are
 * equal when they hold the same computations and request the same outputs, whatever the order
 * they were built in.
 *
 * <p>Construction validates: every variable has at most one producer and there is no cycle
 * ({@link CycleException} names it). A computation given twice is kept once.
 *
 * <p><b>Order.</b> {@link #order()} is a topological order that keeps the order in which the
 * computations were given wherever the edges allow: a sequence that is already topological
 * (as every {@link Dag#builder() builder} produces) is kept as it is, and a computation given
 * before one of its producers is moved just after that producer. The order is deterministic
 * (the same sequence gives the same order, in every run) but depends on the sequence: two
 * equal composites built from different sequences may list their computations differently.
 *
 * <p>Instances are immutable and thread-safe. Lists and sets returned are unmodifiable; no
 * method accepts or returns null.
 */
public final class CompositeComputation {
  /*
   * Overview: the graph is kept as flat int arrays over positions in the order. Every output of
   * the computation at position q has a "slot" (outStart[q] .. outStart[q + 1] - 1, numbered by
   * position), every input a "ref": the slot of its producer, or ~g for graph input g
   * (inStart/inRef, compressed sparse rows). Building from arbitrary computations (of, compose)
   * resolves every input to a ref in bulk (BulkResolver: hashes read in one pass, pairs
   * radix-partitioned by hash, a small producer table per partition; linear in the number of
   * variables), then orders by an iterative depth-first search that visits computations in the
   * given order and emits each after its producers (Tarjan 1976, "Edge-disjoint spanning trees
   * and depth-first search"): a given sequence that is already topological comes out unchanged
   * (one sequential check finds that and skips the search), and meeting a computation that is
   * still on the search stack exposes a cycle, read off that stack. When two outputs are equal
   * (a computation given twice, or a second producer), the general path (assembleGeneral: one
   * hash table filled in order) drops the duplicate or names both producers.
   *
   * The builder knows each input's producer as it goes and hands over the arrays directly
   * (fromBuilder): build() then hashes no expression. The expression index, the
   * predecessor/successor rows and the consumer rows are built on first use; every query is
   * linear in what it touches.
   */

  private final Computation[] order;
  private final int[] outStart; // position -> first slot; outStart[size] = number of slots
  private final int[] inStart; // position -> first input ref
  private final int[] inRef; // slot >= 0 of the producer, or ~g for graph input g
  private final List<Expr> inputs;
  private final List<Expr> outputs;
  private final Set<Expr> requested;
  private volatile HashIndex index; // variable -> its ref (slot or ~g); built on first use
  private volatile Adjacency adjacency; // built on first use
  private int hash; // lazily computed; 0 = not yet

  /** Edges by position, and readers by ref; derived from inRef on first use. */
  private static final class Adjacency {
    final int[] slotPos; // slot -> position of its producer
    final int[] predStart, pred; // distinct predecessor positions, ascending
    final int[] succStart, succ; // distinct successor positions, ascending
    final int[] readStart, read; // ref (slot, then slots + g) -> distinct reader positions

    Adjacency(CompositeComputation g) {
      int m = g.order.length;
      int slots = g.outStart[m];
      int refs = slots + g.inputs.size();
      slotPos = new int[slots];
      for (int q = 0; q < m; q++) {
        for (int s = g.outStart[q]; s < g.outStart[q + 1]; s++) {
          slotPos[s] = q;
        }
      }
      predStart = new int[m + 1];
      int[] buf = new int[g.inRef.length];
      int[] succCount = new int[m + 1];
      int[] readCount = new int[refs + 1];
      int[] lastReader = new int[refs];
      Arrays.fill(lastReader, -1);
      int n = 0;
      for (int q = 0; q < m; q++) {
        int rowStart = n;
        for (int k = g.inStart[q]; k < g.inStart[q + 1]; k++) {
          int r = g.inRef[k];
          int ref = r >= 0 ? r : slots + ~r;
          if (lastReader[ref] != q) {
            lastReader[ref] = q;
            readCount[ref]++;
          }
          if (r < 0) {
            continue;
          }
          int p = slotPos[r];
          int j = n;
          while (j > rowStart && buf[j - 1] > p) {
            j--;
          }
          if (j > rowStart && buf[j - 1] == p) {
            continue; // a second edge from the same producer
          }
          System.arraycopy(buf, j, buf, j + 1, n - j);
          buf[j] = p;
          n++;
          succCount[p]++;
        }
        predStart[q + 1] = n;
      }
      pred = Arrays.copyOf(buf, n);
      succStart = new int[m + 1];
      for (int q = 0; q < m; q++) {
        succStart[q + 1] = succStart[q] + succCount[q];
      }
      succ = new int[n];
      int[] fill = Arrays.copyOf(succStart, m);
      for (int q = 0; q < m; q++) {
        for (int k = predStart[q]; k < predStart[q + 1]; k++) {
          succ[fill[pred[k]]++] = q; // ascending q: rows come out sorted
        }
      }
      readStart = new int[refs + 1];
      for (int r = 0; r < refs; r++) {
        readStart[r + 1] = readStart[r] + readCount[r];
      }
      read = new int[readStart[refs]];
      int[] rfill = Arrays.copyOf(readStart, refs);
      Arrays.fill(lastReader, -1);
      for (int q = 0; q < m; q++) {
        for (int k = g.inStart[q]; k < g.inStart[q + 1]; k++) {
          int r = g.inRef[k];
          int ref = r >= 0 ? r : slots + ~r;
          if (lastReader[ref] != q) {
            lastReader[ref] = q;
            read[rfill[ref]++] = q;
          }
        }
      }
    }
  }

  /** Takes ownership of arrays that already describe a valid, topologically ordered graph. */
  private CompositeComputation(
      Computation[] order,
      int[] outStart,
      int[] inStart,
      int[] inRef,
      List<Expr> inputs,
      int[] requestedRefs,
      Set<Expr> requested,
      HashIndex index,
      Object[] slotExprs) {
    this.order = order;
    this.outStart = outStart;
    this.inStart = inStart;
    this.inRef = inRef;
    this.inputs = Collections.unmodifiableList(inputs);
    this.requested = Collections.unmodifiableSet(requested);
    this.index = index;

    // Outputs: unconsumed or requested, in order of their producers; then requested graph inputs.
    // A bit per slot (a million slots fit in the L2 cache); slot expressions read from
    // slotExprs, in order, when the caller has them, else from each producer's outputs.
    int m = order.length;
    int slots = outStart[m];
    long[] consumed = new long[(slots + 63) >>> 6];
    for (int r : inRef) {
      if (r >= 0) {
        consumed[r >>> 6] |= 1L << r;
      }
    }
    for (int r : requestedRefs) {
      if (r >= 0) {
        consumed[r >>> 6] &= ~(1L << r);
      }
    }
    List<Object> outs = new ArrayList<>(); // Object: a cast to Expr would read each header
    if (slotExprs != null) {
      for (int w = 0; w < consumed.length; w++) {
        for (long kept = ~consumed[w]; kept != 0; kept &= kept - 1) {
          int s = (w << 6) + Long.numberOfTrailingZeros(kept);
          if (s < slots) {
            outs.add(slotExprs[s]);
          }
        }
      }
    } else {
      for (int q = 0; q < m; q++) {
        for (int s = outStart[q]; s < outStart[q + 1]; s++) {
          if ((consumed[s >>> 6] & (1L << s)) == 0) {
            outs.add(order[q].outputs().get(s - outStart[q]));
          }
        }
      }
    }
    for (int r : requestedRefs) {
      if (r < 0) {
        outs.add(inputs.get(~r));
      }
    }
    @SuppressWarnings("unchecked") // every element is an Expr: a slot's or an input's
    List<Expr> exprs = (List<Expr>) (List<?>) outs;
    this.outputs = Collections.unmodifiableList(exprs);
  }

  /**
   * Returns the composite of a builder's steps: {@code comps} in a topological order, with no
   * duplicate and no second producer; {@code inRef} holds slots and {@code ~d} for declared
   * input {@code d}. Takes ownership of the arrays.
   *
   * @throws IllegalArgumentException if a requested declared input is read by no step
   */
  static CompositeComputation fromBuilder(
      Computation[] comps,
      int[] outStart,
      int[] inStart,
      int[] inRef,
      List<Expr> declared,
      int[] requestedRefs,
      Set<Expr> requested) {
    int[] graphInput = new int[declared.size()];
    Arrays.fill(graphInput, -1);
    List<Expr> inputs = new ArrayList<>();
    for (int k = 0; k < inRef.length; k++) {
      int r = inRef[k];
      if (r < 0) {
        int g = graphInput[~r];
        if (g < 0) {
          g = graphInput[~r] = inputs.size();
          inputs.add(declared.get(~r));
        }
        inRef[k] = ~g;
      }
    }
    int[] req = requestedRefs.clone();
    for (int i = 0; i < req.length; i++) {
      if (req[i] < 0) {
        int g = graphInput[~req[i]];
        if (g < 0) {
          Expr x = declared.get(~req[i]);
          throw new IllegalArgumentException(
              "Requested output " + x + " is an input that no step reads, so it is not a"
                  + " variable of the composite. Read it in a step or do not request it.");
        }
        req[i] = ~g;
      }
    }
    return new CompositeComputation(
        comps, outStart, inStart, inRef, inputs, req, new LinkedHashSet<>(requested), null, null);
  }

  /**
   * Validates, deduplicates and orders arbitrary computations. Takes the bulk path ({@link
   * BulkResolver}) and falls back to the general one when two outputs are equal, which only the
   * general path resolves (a duplicate computation is dropped, a second producer is named).
   */
  private static CompositeComputation assemble(
      List<? extends Computation> raw, Collection<? extends Expr> req) {
    Computation[] comps = raw.toArray(new Computation[0]);
    for (Computation c : comps) {
      requireNonNull(c, "computation");
    }
    BulkResolver.Result r = BulkResolver.resolve(comps);
    if (r == null) {
      return assembleGeneral(comps, req);
    }
    int m = comps.length;
    int[] topo = null;
    if (!alreadyTopological(m, r.outStart, r.inStart, r.inRef)) {
      int[] slotComp = new int[r.outStart[m]];
      for (int i = 0; i < m; i++) {
        Arrays.fill(slotComp, r.outStart[i], r.outStart[i + 1], i);
      }
      topo = topologicalOrder(comps, m, r.inStart, r.inRef, slotComp);
    }
    Layout l = new Layout(comps, m, r.outStart, r.inStart, r.inRef, r.inputs, topo);
    HashIndex idx = req.isEmpty() ? null : buildIndex(l.order, l.outStart, l.inputs);
    return finish(l, idx, req, topo == null ? r.outExpr : null);
  }

  /**
   * Returns whether every input is a graph input or produced earlier in the given order; then
   * the depth-first search would emit the computations as given, and is skipped. One
   * sequential pass: slots are numbered in order, so "earlier" is "slot below my first slot".
   */
  private static boolean alreadyTopological(int m, int[] outStart, int[] inStart, int[] inRef) {
    for (int i = 0; i < m; i++) {
      int first = outStart[i];
      for (int k = inStart[i]; k < inStart[i + 1]; k++) {
        if (inRef[k] >= first) {
          return false;
        }
      }
    }
    return true;
  }

  /** The general path: one hash table over all variables, filled and queried in order. */
  static CompositeComputation assembleGeneral(
      Computation[] raw, Collection<? extends Expr> req) {
    int n0 = raw.length;
    HashIndex idx = new HashIndex(2 * n0 + 16);

    // Index outputs by slot; drop exact duplicates; reject a second producer.
    Computation[] kept = new Computation[n0];
    int[] keptOut = new int[n0 + 1];
    int m = 0, slots = 0;
    for (Computation c : raw) {
      requireNonNull(c, "computation");
      List<Expr> outs = c.outputs();
      int p0 = idx.find(outs.get(0));
      if (p0 >= 0) {
        Computation owner = kept[slotOwner(keptOut, m, idx.value(p0))];
        if (owner.equals(c)) {
          continue; // the same computation twice: a set holds it once
        }
        throw new IllegalArgumentException(Messages.twoProducers(outs.get(0), owner, c));
      }
      keptOut[m] = slots;
      for (Expr o : outs) {
        int p = idx.find(o);
        if (p >= 0) {
          throw new IllegalArgumentException(
              Messages.twoProducers(o, kept[slotOwner(keptOut, m, idx.value(p))], c));
        }
        idx.insert(p, o, null, slots++);
      }
      kept[m++] = c;
    }
    keptOut[m] = slots;

    // Resolve every input to a ref once; graph inputs numbered by first reader.
    int[] inStart = new int[m + 1];
    for (int i = 0; i < m; i++) {
      inStart[i + 1] = inStart[i] + kept[i].inputs().size();
    }
    int[] inRef = new int[inStart[m]];
    List<Expr> inputs = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      List<Expr> ins = kept[i].inputs();
      for (int k = 0; k < ins.size(); k++) {
        Expr x = ins.get(k);
        int p = idx.find(x);
        if (p < 0) {
          idx.insert(p, x, null, ~inputs.size());
          inputs.add(x);
          inRef[inStart[i] + k] = ~(inputs.size() - 1);
        } else {
          inRef[inStart[i] + k] = idx.value(p);
        }
      }
    }
    int[] slotComp = new int[slots];
    for (int i = 0; i < m; i++) {
      Arrays.fill(slotComp, keptOut[i], keptOut[i + 1], i);
    }

    int[] topo = topologicalOrder(kept, m, inStart, inRef, slotComp);
    Layout l = new Layout(kept, m, keptOut, inStart, inRef, inputs, topo);
    if (l.newSlot != null) {
      for (int p = 0; p < idx.capacity(); p++) {
        if (idx.keyAt(p) != null) {
          int r = idx.value(p);
          idx.setValue(p, r >= 0 ? l.newSlot[r] : ~l.newInput[~r]);
        }
      }
    }
    return finish(l, idx, req, null);
  }

  /**
   * Resolves the requested outputs in {@code idx} and builds the composite; {@code slotExprs}
   * holds each slot's expression of {@code l} (or is null: read from the computations).
   */
  private static CompositeComputation finish(
      Layout l, HashIndex idx, Collection<? extends Expr> req, Object[] slotExprs) {
    LinkedHashSet<Expr> requested = new LinkedHashSet<>();
    int[] requestedRefs = new int[req.size()];
    int nr = 0;
    for (Expr r : req) {
      requireNonNull(r, "requested output");
      int ref = idx.get(r);
      if (ref == HashIndex.ABSENT) {
        throw new IllegalArgumentException(Messages.unknownOutput(r, names(idx)));
      }
      if (requested.add(r)) {
        requestedRefs[nr++] = ref;
      }
    }
    return new CompositeComputation(
        l.order,
        l.outStart,
        l.inStart,
        l.inRef,
        l.inputs,
        Arrays.copyOf(requestedRefs, nr),
        requested,
        idx,
        slotExprs);
  }

  /**
   * The arrays of kept computations renumbered by their topological positions; the same
   * arrays when the given order already is topological ({@code topo} null or the identity;
   * {@code newSlot} is then null).
   */
  private static final class Layout {
    final Computation[] order;
    final int[] outStart, inStart, inRef;
    final List<Expr> inputs;
    final int[] newSlot, newInput; // old slot -> new slot, old graph input -> new; or null

    Layout(
        Computation[] kept,
        int m,
        int[] keptOut,
        int[] inStart,
        int[] inRef,
        List<Expr> inputs,
        int[] topo) {
      boolean identity = true;
      for (int q = 0; topo != null && q < m && identity; q++) {
        identity = topo[q] == q;
      }
      if (identity) {
        this.order = m == kept.length ? kept : Arrays.copyOf(kept, m);
        this.outStart = m + 1 == keptOut.length ? keptOut : Arrays.copyOf(keptOut, m + 1);
        this.inStart = inStart;
        this.inRef = inRef;
        this.inputs = inputs;
        this.newSlot = null;
        this.newInput = null;
        return;
      }
      // Renumber computations, slots and graph inputs by position.
      int slots = keptOut[m];
      Computation[] order = new Computation[m];
      int[] outStart = new int[m + 1];
      int[] newSlot = new int[slots];
      int[] newIn = new int[m + 1];
      int[] newRef = new int[inRef.length];
      for (int q = 0; q < m; q++) {
        int i = topo[q];
        order[q] = kept[i];
        int width = keptOut[i + 1] - keptOut[i];
        outStart[q + 1] = outStart[q] + width;
        for (int s = 0; s < width; s++) {
          newSlot[keptOut[i] + s] = outStart[q] + s;
        }
        int arity = inStart[i + 1] - inStart[i];
        System.arraycopy(inRef, inStart[i], newRef, newIn[q], arity);
        newIn[q + 1] = newIn[q] + arity;
      }
      int[] newInput = new int[inputs.size()];
      Arrays.fill(newInput, -1);
      List<Expr> reordered = new ArrayList<>(inputs.size());
      for (int k = 0; k < newRef.length; k++) {
        int r = newRef[k];
        if (r >= 0) {
          newRef[k] = newSlot[r];
        } else {
          if (newInput[~r] < 0) {
            newInput[~r] = reordered.size();
            reordered.add(inputs.get(~r));
          }
          newRef[k] = ~newInput[~r];
        }
      }
      this.order = order;
      this.outStart = outStart;
      this.inStart = newIn;
      this.inRef = newRef;
      this.inputs = reordered;
      this.newSlot = newSlot;
      this.newInput = newInput;
    }
  }

  /**
   * Returns positions in emission order: an iterative depth-first search over predecessors that
   * starts from each computation in the given order and emits a computation once all its
   * producers are emitted.
   *
   * @throws CycleException if the search meets a computation that is still on its stack
   */
  private static int[] topologicalOrder(
      Computation[] kept, int m, int[] inStart, int[] inRef, int[] slotComp) {
    byte[] state = new byte[m]; // 0 unvisited, 1 on the stack, 2 emitted
    int[] topo = new int[m];
    int[] stack = new int[m];
    int[] cursor = new int[m]; // the input being followed
    int t = 0;
    for (int i = 0; i < m; i++) {
      if (state[i] != 0) {
        continue;
      }
      int sp = 0;
      stack[sp++] = i;
      state[i] = 1;
      cursor[i] = inStart[i];
      while (sp > 0) {
        int u = stack[sp - 1];
        if (cursor[u] == inStart[u + 1]) {
          state[u] = 2;
          topo[t++] = u;
          sp--;
          continue;
        }
        int r = inRef[cursor[u]];
        if (r >= 0) {
          int p = slotComp[r];
          if (state[p] == 0) {
            state[p] = 1;
            cursor[p] = inStart[p];
            stack[sp++] = p;
            continue; // come back to this input once p is emitted
          }
          if (state[p] == 1) {
            throw new CycleException(cycleOnStack(kept, stack, sp, p, cursor, inStart));
          }
        }
        cursor[u]++;
      }
    }
    return topo;
  }

  /**
   * Reads the cycle off the search stack: each stack entry reads, at its cursor, a variable
   * produced by the entry above it, and the top entry reads one produced by {@code p}. Returns
   * it in data-flow direction, starting at the computation given first.
   */
  private static List<Object> cycleOnStack(
      Computation[] kept, int[] stack, int sp, int p, int[] cursor, int[] inStart) {
    int j = sp - 1;
    while (stack[j] != p) {
      j--;
    }
    int len = sp - j;
    // Data flows from stack[l + 1] to stack[l], and from p to the top: reverse the segment.
    int[] comps = new int[len];
    for (int l = 0; l < len; l++) {
      comps[l] = stack[sp - 1 - l];
    }
    int first = 0;
    for (int l = 1; l < len; l++) {
      if (comps[l] < comps[first]) {
        first = l;
      }
    }
    List<Object> cycle = new ArrayList<>(2 * len + 1);
    for (int l = 0; l <= len; l++) {
      int c = comps[(first + l) % len];
      cycle.add(kept[c].inputs().get(cursor[c] - inStart[c]));
      if (l < len) {
        cycle.add(kept[c]);
      }
    }
    return cycle;
  }

  /** Returns the kept computation that owns {@code slot}, by binary search of slot starts. */
  private static int slotOwner(int[] slotStart, int m, int slot) {
    int lo = 0, hi = m - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (slotStart[mid] <= slot) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  private static List<String> names(HashIndex idx) {
    List<String> names = new ArrayList<>(idx.size());
    for (int p = 0; p < idx.capacity(); p++) {
      Object k = idx.keyAt(p);
      if (k != null) {
        names.add(k.toString());
      }
    }
    return names;
  }

  // ---------------------------------------------------------------- factories

  /**
   * Returns the composite of these computations (duplicates kept once).
   *
   * @throws IllegalArgumentException if two computations produce one variable
   * @throws CycleException if the computations form a cycle
   */
  public static CompositeComputation of(Computation... computations) {
    return assemble(Arrays.asList(computations), List.of());
  }

  /**
   * Returns the composite of these computations (duplicates kept once). This is the way to
   * build a very large generated graph: all computations are known at once, so their edges are
   * found in bulk, in passes that stay cache-friendly at millions of computations. Given in a
   * topological order, they keep it.
   *
   * @throws IllegalArgumentException if two computations produce one variable
   * @throws CycleException if the computations form a cycle
   */
  public static CompositeComputation of(Collection<? extends Computation> computations) {
    return assemble(Arrays.asList(computations.toArray(new Computation[0])), List.of());
  }

  /**
   * Returns the composite of these computations, also requesting {@code outputs}.
   *
   * @throws IllegalArgumentException if a requested output is not a variable, or two
   *     computations produce one variable
   * @throws CycleException if the computations form a cycle
   */
  public static CompositeComputation of(
      Collection<? extends Computation> computations, Collection<? extends Expr> outputs) {
    return assemble(List.copyOf(computations), List.copyOf(outputs));
  }

  /**
   * Returns the flattened union of these composites: all their computations, all their
   * requested outputs. Associative and commutative (as sets: the {@link #order()} follows the
   * parts' orders, first part first); composing a composite with itself returns an equal one.
   *
   * @throws IllegalArgumentException if two computations produce one variable
   * @throws CycleException if the union has a cycle
   */
  public static CompositeComputation compose(CompositeComputation... parts) {
    return compose(Arrays.asList(parts));
  }

  /** Returns the flattened union of these composites; see {@link #compose(CompositeComputation...)}. */
  public static CompositeComputation compose(Collection<CompositeComputation> parts) {
    List<Computation> all = new ArrayList<>();
    LinkedHashSet<Expr> req = new LinkedHashSet<>();
    for (CompositeComputation p : parts) {
      all.addAll(Arrays.asList(p.order));
      req.addAll(p.requested);
    }
    return assemble(all, req);
  }

  /**
   * Returns this composite with {@code outputs} requested as well, so they are among {@link
   * #outputs()} even when read inside.
   *
   * @throws IllegalArgumentException if one of them is not a variable of this composite
   */
  public CompositeComputation withOutputs(Collection<? extends Expr> outputs) {
    LinkedHashSet<Expr> req = new LinkedHashSet<>(requested);
    req.addAll(outputs);
    return assemble(Arrays.asList(order), req);
  }

  /** Returns this composite with {@code outputs} requested as well; see {@link #withOutputs(Collection)}. */
  public CompositeComputation withOutputs(Expr... outputs) {
    return withOutputs(Arrays.asList(outputs));
  }

  // ---------------------------------------------------------------- views

  /** Returns the number of computations. */
  public int size() {
    return order.length;
  }

  /** Returns the computations as an unmodifiable set view iterating in {@link #order()}. */
  public Set<Computation> computations() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Computation> iterator() {
        return order().iterator();
      }

      @Override
      public int size() {
        return order.length;
      }

      @Override
      public boolean contains(Object o) {
        return o instanceof Computation c && CompositeComputation.this.contains(c);
      }
    };
  }

  /**
   * Returns the computations in a topological order (each after the producers of its inputs);
   * an unmodifiable list. The order keeps the sequence the computations were given in wherever
   * the edges allow; see the class documentation.
   */
  public List<Computation> order() {
    return Collections.unmodifiableList(Arrays.asList(order));
  }

  /** Returns whether this composite holds {@code c}. */
  public boolean contains(Computation c) {
    int q = positionOf(c.outputs().get(0));
    return q >= 0 && order[q].equals(c);
  }

  /** Returns the variables read but not produced here, in order of first reader. */
  public List<Expr> inputs() {
    return inputs;
  }

  /**
   * Returns the variables produced but not read here, plus every requested output, in
   * topological order of their producers (requested graph inputs last).
   */
  public List<Expr> outputs() {
    return outputs;
  }

  /** Returns the outputs requested with {@link #withOutputs}, in request order. */
  public Set<Expr> requestedOutputs() {
    return requested;
  }

  /** Returns every variable: inputs, then the outputs of each computation in order. */
  public List<Expr> variables() {
    List<Expr> vs = new ArrayList<>(inputs.size() + outStart[order.length]);
    vs.addAll(inputs);
    for (Computation c : order) {
      vs.addAll(c.outputs());
    }
    return Collections.unmodifiableList(vs);
  }

  /** Returns whether {@code variable} is read or produced here. */
  public boolean hasVariable(Expr variable) {
    return index().get(requireNonNull(variable, "variable")) != HashIndex.ABSENT;
  }

  /** Returns the computation that produces {@code variable}, if one here does. */
  public Optional<Computation> producerOf(Expr variable) {
    int q = positionOf(variable);
    return q < 0 ? Optional.empty() : Optional.of(order[q]);
  }

  /** Returns the computations that read {@code variable}, in {@link #order()}. */
  public List<Computation> consumersOf(Expr variable) {
    int r = index().get(requireNonNull(variable, "variable"));
    if (r == HashIndex.ABSENT) {
      return List.of();
    }
    Adjacency a = adjacency();
    int ref = r >= 0 ? r : outStart[order.length] + ~r;
    return positions(a.read, a.readStart[ref], a.readStart[ref + 1]);
  }

  /** Returns the distinct computations whose outputs {@code c} reads, in order. */
  public List<Computation> predecessors(Computation c) {
    int q = requirePosition(c);
    Adjacency a = adjacency();
    return positions(a.pred, a.predStart[q], a.predStart[q + 1]);
  }

  /** Returns the distinct computations that read an output of {@code c}, in order. */
  public List<Computation> successors(Computation c) {
    int q = requirePosition(c);
    Adjacency a = adjacency();
    return positions(a.succ, a.succStart[q], a.succStart[q + 1]);
  }

  /**
   * Returns the position of {@code c} in {@link #order()}.
   *
   * @throws IllegalArgumentException if {@code c} is not here
   */
  public int indexOf(Computation c) {
    return requirePosition(c);
  }

  /**
   * Returns the positions in {@link #order()} of the distinct predecessors of the computation at
   * {@code index}, ascending; a fresh array. For schedulers that work by index.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not a position of {@link #order()}
   */
  public int[] predecessorIndices(int index) {
    Objects.checkIndex(index, order.length);
    Adjacency a = adjacency();
    return Arrays.copyOfRange(a.pred, a.predStart[index], a.predStart[index + 1]);
  }

  /**
   * Returns the positions of the distinct successors of the computation at {@code index},
   * ascending; a fresh array.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not a position of {@link #order()}
   */
  public int[] successorIndices(int index) {
    Objects.checkIndex(index, order.length);
    Adjacency a = adjacency();
    return Arrays.copyOfRange(a.succ, a.succStart[index], a.succStart[index + 1]);
  }

  /**
   * Returns, for each input of the computation at {@code index} in order, the position of that
   * variable in {@link #variables()}; a fresh array. For schedulers that keep values by position.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not a position of {@link #order()}
   */
  public int[] inputVariableIndices(int index) {
    Objects.checkIndex(index, order.length);
    int[] out = new int[inStart[index + 1] - inStart[index]];
    for (int k = 0; k < out.length; k++) {
      out[k] = variablePosition(inRef[inStart[index] + k]);
    }
    return out;
  }

  /** Returns the position of {@code variable} in {@link #variables()}, or -1 if it is not here. */
  public int variableIndex(Expr variable) {
    int r = index().get(requireNonNull(variable, "variable"));
    return r == HashIndex.ABSENT ? -1 : variablePosition(r);
  }

  /** The position in {@link #variables()} of a ref: an output slot, or ~g for graph input g. */
  private int variablePosition(int ref) {
    return ref >= 0 ? inputs.size() + ref : ~ref;
  }

  /**
   * Returns whether {@code later} reads, directly or through other computations, an output of
   * {@code earlier}. A computation does not depend on itself.
   *
   * @throws IllegalArgumentException if either is not here
   */
  public boolean dependsOn(Computation later, Computation earlier) {
    int target = requirePosition(earlier);
    int from = requirePosition(later);
    if (target >= from) {
      return false; // topological order: nothing at or after 'later' feeds it
    }
    Adjacency a = adjacency();
    boolean[] seen = new boolean[from + 1];
    int[] stack = new int[from + 1];
    int sp = 0;
    stack[sp++] = from;
    seen[from] = true;
    while (sp > 0) {
      int q = stack[--sp];
      for (int k = a.predStart[q]; k < a.predStart[q + 1]; k++) {
        int p = a.pred[k];
        if (p == target) {
          return true;
        }
        if (p > target && !seen[p]) {
          seen[p] = true;
          stack[sp++] = p;
        }
      }
    }
    return false;
  }

  /**
   * Returns the sub-composite of the computations needed to produce {@code variables}
   * (their producers and everything those read from, transitively). Variables that are graph
   * inputs need nothing.
   *
   * @throws IllegalArgumentException if a variable is not here
   */
  public CompositeComputation upstream(Collection<? extends Expr> variables) {
    Adjacency a = adjacency();
    boolean[] keep = new boolean[order.length];
    int[] stack = new int[order.length];
    int sp = 0;
    for (Expr v : variables) {
      requireVariable(v);
      int q = positionOf(v);
      if (q >= 0 && !keep[q]) {
        keep[q] = true;
        stack[sp++] = q;
      }
    }
    while (sp > 0) {
      int q = stack[--sp];
      for (int k = a.predStart[q]; k < a.predStart[q + 1]; k++) {
        if (!keep[a.pred[k]]) {
          keep[a.pred[k]] = true;
          stack[sp++] = a.pred[k];
        }
      }
    }
    return subset(keep, List.of());
  }

  /**
   * Returns the sub-composite of the computations that read {@code variables}, directly or
   * through other computations.
   *
   * @throws IllegalArgumentException if a variable is not here
   */
  public CompositeComputation downstream(Collection<? extends Expr> variables) {
    Adjacency a = adjacency();
    int slots = outStart[order.length];
    boolean[] keep = new boolean[order.length];
    int[] stack = new int[order.length];
    int sp = 0;
    for (Expr v : variables) {
      requireVariable(v);
      int r = index().get(v);
      int ref = r >= 0 ? r : slots + ~r;
      for (int k = a.readStart[ref]; k < a.readStart[ref + 1]; k++) {
        int q = a.read[k];
        if (!keep[q]) {
          keep[q] = true;
          stack[sp++] = q;
        }
      }
    }
    while (sp > 0) {
      int q = stack[--sp];
      for (int k = a.succStart[q]; k < a.succStart[q + 1]; k++) {
        if (!keep[a.succ[k]]) {
          keep[a.succ[k]] = true;
          stack[sp++] = a.succ[k];
        }
      }
    }
    return subset(keep, List.of());
  }

  /**
   * Returns exactly the computations needed for {@code outputs}, with {@code outputs} requested:
   * what to run when only these results are wanted. A wanted graph input that no kept
   * computation reads is not a variable of the result, so it is not requested there.
   *
   * @throws IllegalArgumentException if an output is not a variable here
   */
  public CompositeComputation prune(Collection<? extends Expr> outputs) {
    CompositeComputation up = upstream(outputs);
    List<Expr> req = new ArrayList<>(outputs.size());
    for (Expr o : outputs) {
      if (positionOf(o) >= 0 || up.hasVariable(o)) {
        req.add(o);
      }
    }
    return assemble(Arrays.asList(up.order), req);
  }

  /** Returns exactly the computations needed for {@code outputs}; see {@link #prune(Collection)}. */
  public CompositeComputation prune(Expr... outputs) {
    return prune(Arrays.asList(outputs));
  }

  // ---------------------------------------------------------------- export

  /**
   * Returns a Graphviz DOT drawing: variables as ellipses, operations as boxes, edges labelled
   * with the operation's input and output names. Deterministic.
   */
  public String toDot() {
    return graphText().toDot();
  }

  /** Returns a Mermaid flowchart of the same drawing as {@link #toDot()}. Deterministic. */
  public String toMermaid() {
    return graphText().toMermaid();
  }

  /**
   * Returns the drawing of this composite: variable {@code v}k is position k of {@link
   * #variables()}, operation {@code c}q position q of {@link #order()}; each operation is
   * followed by its input edges, then its output edges.
   */
  private GraphText graphText() {
    GraphText.Builder b = GraphText.builder();
    List<Expr> vs = variables();
    for (int k = 0; k < vs.size(); k++) {
      b.variable("v" + k, vs.get(k).toString());
    }
    for (int q = 0; q < order.length; q++) {
      Operation op = order[q].operation();
      String id = "c" + q;
      b.operation(id, op.name());
      List<String> in = op.inputNames();
      for (int k = inStart[q]; k < inStart[q + 1]; k++) {
        b.edge("v" + variablePosition(inRef[k]), id, in.get(k - inStart[q]));
      }
      List<String> out = op.outputNames();
      for (int s = outStart[q]; s < outStart[q + 1]; s++) {
        b.edge(id, "v" + (inputs.size() + s), out.get(s - outStart[q]));
      }
    }
    return b.build();
  }

  /** Returns one line per computation in {@link #order()}, such as {@code (lo, hi) = MinMax(x, y)}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Computation c : order) {
      sb.append(c).append('\n');
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CompositeComputation other)
        || other.order.length != order.length
        || !other.requested.equals(requested)) {
      return false;
    }
    for (Computation c : order) {
      if (!other.contains(c)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      for (Computation c : order) {
        h += c.hashCode();
      }
      h = 31 * h + requested.hashCode();
      hash = h == 0 ? 1 : h;
    }
    return hash;
  }

  // ---------------------------------------------------------------- internals

  private HashIndex index() {
    HashIndex idx = index;
    if (idx == null) {
      index = idx = buildIndex(order, outStart, inputs);
    }
    return idx;
  }

  /** Returns the index of every variable: outputs to their slots, graph inputs to ~g. */
  private static HashIndex buildIndex(Computation[] order, int[] outStart, List<Expr> inputs) {
    HashIndex idx = new HashIndex(outStart[order.length] + inputs.size());
    for (int q = 0; q < order.length; q++) {
      List<Expr> outs = order[q].outputs();
      for (int k = 0; k < outs.size(); k++) {
        idx.putIfAbsent(outs.get(k), null, outStart[q] + k);
      }
    }
    for (int g = 0; g < inputs.size(); g++) {
      idx.putIfAbsent(inputs.get(g), null, ~g);
    }
    return idx;
  }

  private Adjacency adjacency() {
    Adjacency a = adjacency;
    if (a == null) {
      adjacency = a = new Adjacency(this);
    }
    return a;
  }

  private int positionOf(Expr variable) {
    int s = index().get(requireNonNull(variable, "variable"));
    return s < 0 ? -1 : slotOwner(outStart, order.length, s);
  }

  private int requirePosition(Computation c) {
    requireNonNull(c, "computation");
    int q = positionOf(c.outputs().get(0));
    if (q < 0 || !order[q].equals(c)) {
      throw new IllegalArgumentException(
          "Computation " + c + " is not part of this composite. Pass one of computations().");
    }
    return q;
  }

  private void requireVariable(Expr v) {
    requireNonNull(v, "variable");
    if (!hasVariable(v)) {
      List<String> close = Messages.closest(v.toString(), names(index()), 3);
      throw new IllegalArgumentException(
          "Variable " + v + " is not read or produced by this composite."
              + (close.isEmpty() ? "" : " Did you mean " + String.join(" or ", close) + "?")
              + " Pass one of variables().");
    }
  }

  private List<Computation> positions(int[] qs, int from, int to) {
    List<Computation> out = new ArrayList<>(to - from);
    for (int k = from; k < to; k++) {
      out.add(order[qs[k]]);
    }
    return Collections.unmodifiableList(out);
  }

  private CompositeComputation subset(boolean[] keep, Collection<Expr> req) {
    List<Computation> cs = new ArrayList<>();
    for (int q = 0; q < order.length; q++) {
      if (keep[q]) {
        cs.add(order[q]);
      }
    }
    return assemble(cs, req);
  }
}
