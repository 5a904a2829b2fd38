package io.memoflow.dag;

import static io.memoflow.dag.CompositeComputation.slotOwner;
import static java.util.Objects.requireNonNull;

import io.memoflow.dag.TopologicalOrder.Layout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Assembles composites: validates computations, resolves every input to its producer or to a
 * graph input, orders them ({@link TopologicalOrder}) and hands {@link CompositeComputation} its
 * arrays. Not API.
 */
final class CompositeAssembly {
  /*
   * Overview: owns the three ways into a composite. The bulk path (assemble) resolves every
   * input at once (BulkResolver: hashes read in one pass, pairs radix-partitioned by hash, a
   * small producer table per partition; linear in the number of variables, and laid out so that
   * the cache misses of a million computations overlap). When two outputs are equal (a
   * computation given twice, or a second producer), the general path (assembleGeneral: one hash
   * table filled in order) drops the duplicate or names both producers. The builder knows each
   * input's producer as it goes and hands its arrays over directly (fromBuilder), so build()
   * hashes no expression. The bulk and general paths order what they resolved
   * (TopologicalOrder) and end in finish(), which resolves the requested outputs; the builder
   * resolved its own. outputs() computes every composite's outputs, one bit per slot.
   */

  private CompositeAssembly() {}

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
  static CompositeComputation assemble(
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
    if (!TopologicalOrder.alreadyTopological(m, r.outStart, r.inStart, r.inRef)) {
      int[] slotComp = new int[r.outStart[m]];
      for (int i = 0; i < m; i++) {
        Arrays.fill(slotComp, r.outStart[i], r.outStart[i + 1], i);
      }
      topo = TopologicalOrder.of(comps, m, r.inStart, r.inRef, slotComp);
    }
    Layout l = new Layout(comps, m, r.outStart, r.inStart, r.inRef, r.inputs, topo);
    HashIndex idx = req.isEmpty() ? null : buildIndex(l.order, l.outStart, l.inputs);
    return finish(l, idx, req, topo == null ? r.outExpr : null);
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

    int[] topo = TopologicalOrder.of(kept, m, inStart, inRef, slotComp);
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
   * Returns a composite's outputs: the expressions of its slots that no input reads or that are
   * requested, in order of their producers, then its requested graph inputs. A bit per slot (a
   * million slots fit in the L2 cache); slot expressions are read from {@code slotExprs}, in
   * order, when the caller has them (null: from each producer's outputs).
   */
  static List<Expr> outputs(
      Computation[] order,
      int[] outStart,
      int[] inRef,
      List<Expr> inputs,
      int[] requestedRefs,
      Object[] slotExprs) {
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
    return Collections.unmodifiableList(exprs);
  }

  /** Returns the index of every variable: outputs to their slots, graph inputs to ~g. */
  static HashIndex buildIndex(Computation[] order, int[] outStart, List<Expr> inputs) {
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

  /** Returns the text of every key of {@code idx}, for "did you mean" suggestions. */
  static List<String> names(HashIndex idx) {
    List<String> names = new ArrayList<>(idx.size());
    for (int p = 0; p < idx.capacity(); p++) {
      Object k = idx.keyAt(p);
      if (k != null) {
        names.add(k.toString());
      }
    }
    return names;
  }
}
