package io.memoflow.dag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Resolves every input of a known set of computations to the slot of its producer, or to a
 * graph input, in passes laid out for memory-level parallelism rather than one dependent hash
 * lookup per input. Not API; may change without notice.
 */
final class BulkResolver {
  /*
   * Overview. A lookup in one big hash table costs, at a million variables, a chain of cache
   * misses (the expression, its hash, the table cell, the key for the equality check), and a
   * loop that resolves inputs one by one waits for each chain in turn. Here the work is split
   * into passes whose loads do not depend on one another, so the processor overlaps the misses:
   *   1. read every output's and input's expression and hash into flat arrays, in order
   *      (independent loads: one iteration never waits for the previous one); the references
   *      are gathered unread, and each expression is read once, for its hash;
   *   2. radix-partition the (hash, slot) and (hash, input) pairs by the hash's high bits into
   *      partitions of a few thousand variables each (a counting sort: two sequential passes);
   *   3. per partition, build a small producer table and resolve that partition's inputs
   *      against it by hash alone; the tables stay in the L2 cache, and the loop touches only
   *      int arrays (two equal outputs are still found with equals(), on a hash match);
   *   4. confirm every match in one pass over the inputs: the input's expression is the
   *      producer's (a reference comparison, equals() when the objects differ). The rare match
   *      of a hash shared by different expressions is resolved again by equality, within its
   *      partition.
   * Inputs with no producer are graph inputs, numbered afterwards by first reader. Two equal
   * outputs (a computation given twice, or a second producer) end the pass with null: the
   * caller then takes the general path, which drops the duplicate or names the producers.
   */

  private static void mixedHashes(Object[] exprs, int[] into, int count) {
    for (int j = 0; j < count; j++) {
      into[j] = exprs[j].hashCode() * 0x9E3779B9;
    }
  }

  /** About this many variables per partition: a table of twice that many cells fits in L2. */
  private static final int PARTITION_TARGET = 4096;
  /** At most 2^MAX_BITS partitions, so the scatter writes few enough streams at once. */
  private static final int MAX_BITS = 10;

  /** Slot and input layout of computations in their given order, inputs resolved. */
  static final class Result {
    final int[] outStart; // computation -> first slot; outStart[n] = number of slots
    final int[] inStart; // computation -> first input
    final int[] inRef; // slot of the producer, or ~g for graph input g
    final List<Expr> inputs; // graph inputs, by first reader
    final Object[] outExpr; // slot -> its expression (an Expr), at least outStart[n] long

    private Result(
        int[] outStart, int[] inStart, int[] inRef, List<Expr> inputs, Object[] outExpr) {
      this.outStart = outStart;
      this.inStart = inStart;
      this.inRef = inRef;
      this.inputs = inputs;
      this.outExpr = outExpr;
    }
  }

  private BulkResolver() {}

  /**
   * Returns the layout of {@code comps} (none null) with every input resolved, or null if two
   * outputs are equal.
   */
  static Result resolve(Computation[] comps) {
    Gathered g = gather(comps);

    // Pass 2: partition by the hash's high bits, keeping the given order within a partition.
    int bits = 0;
    while ((g.slots >> bits) > PARTITION_TARGET && bits < MAX_BITS) {
      bits++;
    }
    Partitions out = new Partitions(g.outHash, g.slots, bits);
    Partitions in = new Partitions(g.inHash, g.refs, bits);

    int[] inRef = matchByHash(g.outExpr, g.refs, bits, out, in);
    if (inRef == null) {
      return null; // two equal outputs: the general path decides
    }
    confirm(g, bits, out, in, inRef);
    List<Expr> inputs = numberGraphInputs(g.inExpr, g.refs, inRef, in.pos);
    return new Result(g.outStart, g.inStart, inRef, inputs, g.outExpr);
  }

  /** Pass 1's flat arrays: every output's and input's expression and mixed hash, in order. */
  private static final class Gathered {
    int[] outStart, inStart; // as in Result
    int[] outHash, inHash;
    Object[] outExpr, inExpr; // Object[], not Expr[]: see gather
    int slots, refs; // how many outputs and inputs
  }

  /**
   * Pass 1: expressions in order, then their mixed hashes in a loop of its own: small enough
   * that the processor keeps many iterations, hence many inputs' cache misses, in flight.
   */
  private static Gathered gather(Computation[] comps) {
    int n = comps.length;
    int[] outStart = new int[n + 1];
    int[] inStart = new int[n + 1];
    int cap = 2 * n + 8;
    int[] outHash = new int[cap];
    // Object[], not Expr[]: storing into an Expr[] (or casting to Expr) reads each element's
    // class from its header, a cache miss per input at a million computations; an Object[]
    // takes references unread, so only the hash loop below touches the expressions.
    Object[] outExpr = new Object[cap];
    int[] inHash = new int[cap];
    Object[] inExpr = new Object[cap];
    int slots = 0, refs = 0;

    for (int i = 0; i < n; i++) {
      Computation c = comps[i];
      List<?> outs = c.outputs();
      List<?> ins = c.inputs();
      int no = outs.size(), ni = ins.size();
      if (slots + no > outHash.length) {
        int grown = Math.max(2 * outHash.length, slots + no);
        outHash = Arrays.copyOf(outHash, grown);
        outExpr = Arrays.copyOf(outExpr, grown);
      }
      if (refs + ni > inHash.length) {
        int grown = Math.max(2 * inHash.length, refs + ni);
        inHash = Arrays.copyOf(inHash, grown);
        inExpr = Arrays.copyOf(inExpr, grown);
      }
      for (int k = 0; k < no; k++) {
        outExpr[slots++] = outs.get(k);
      }
      for (int k = 0; k < ni; k++) {
        inExpr[refs++] = ins.get(k);
      }
      outStart[i + 1] = slots;
      inStart[i + 1] = refs;
    }
    mixedHashes(outExpr, outHash, slots);
    mixedHashes(inExpr, inHash, refs);

    Gathered g = new Gathered();
    g.outStart = outStart;
    g.inStart = inStart;
    g.outHash = outHash;
    g.inHash = inHash;
    g.outExpr = outExpr;
    g.inExpr = inExpr;
    g.slots = slots;
    g.refs = refs;
    return g;
  }

  /**
   * Positions sorted by the top bits of their hash (pass 2): partition p holds entries {@code
   * start[p]} to {@code start[p + 1] - 1}, in the given order.
   */
  private static final class Partitions {
    final int[] start;
    final int[] hash; // in partition order
    final int[] pos; // the slot or input position of each entry

    Partitions(int[] hashes, int len, int bits) {
      start = new int[(1 << bits) + 1];
      hash = new int[len];
      pos = new int[len];
      scatter(hashes, len, bits, start, hash, pos);
    }
  }

  /**
   * Pass 3: per partition, a producer table, then that partition's inputs, resolved by hash
   * alone: an input whose hash no output has becomes a graph input named by its first reader.
   * Returns each input's ref, or null if two outputs are equal.
   */
  private static int[] matchByHash(
      Object[] outExpr, int refs, int bits, Partitions out, Partitions in) {
    int parts = out.start.length - 1;
    int[] outPart = out.start, pOutHash = out.hash, pOutSlot = out.pos;
    int[] inPart = in.start, pInHash = in.hash, pInK = in.pos;
    int maxOut = 0, maxIn = 0;
    for (int p = 0; p < parts; p++) {
      maxOut = Math.max(maxOut, outPart[p + 1] - outPart[p]);
      maxIn = Math.max(maxIn, inPart[p + 1] - inPart[p]);
    }
    int tcap = tableCapacity(maxOut);
    int tbits = Integer.numberOfTrailingZeros(tcap);
    int tmask = tcap - 1;
    int[] tHash = new int[tcap];
    int[] tSlot = new int[tcap];
    int ucap = tableCapacity(maxIn);
    int ubits = Integer.numberOfTrailingZeros(ucap);
    int umask = ucap - 1;
    int[] uHash = new int[ucap];
    int[] uFirst = new int[ucap];
    int[] inRef = new int[refs];
    for (int p = 0; p < parts; p++) {
      Arrays.fill(tSlot, -1);
      for (int j = outPart[p]; j < outPart[p + 1]; j++) {
        int h = pOutHash[j];
        int s = pOutSlot[j];
        int pos = cell(h, bits, tbits);
        for (int t; (t = tSlot[pos]) >= 0; pos = (pos + 1) & tmask) {
          if (tHash[pos] == h && same(outExpr[t], outExpr[s])) {
            return null; // two equal outputs: the general path decides
          }
        }
        tHash[pos] = h;
        tSlot[pos] = s;
      }
      boolean unresolved = false;
      for (int j = inPart[p]; j < inPart[p + 1]; j++) {
        int h = pInHash[j];
        int k = pInK[j];
        int pos = cell(h, bits, tbits);
        int ref = -1;
        for (int t; (t = tSlot[pos]) >= 0; pos = (pos + 1) & tmask) {
          if (tHash[pos] == h) {
            ref = t;
            break;
          }
        }
        if (ref < 0) {
          // A graph input: the first reader in this partition (lowest k) with this hash names it.
          if (!unresolved) {
            Arrays.fill(uFirst, -1);
            unresolved = true;
          }
          int upos = cell(h, bits, ubits);
          int first = k;
          for (int f; (f = uFirst[upos]) >= 0; upos = (upos + 1) & umask) {
            if (uHash[upos] == h) {
              first = f;
              break;
            }
          }
          if (first == k) {
            uHash[upos] = h;
            uFirst[upos] = k;
          }
          ref = ~first;
        }
        inRef[k] = ref;
      }
    }
    return inRef;
  }

  /**
   * Confirms each match, in a loop of independent loads (the misses overlap); a hash that
   * matched another expression is resolved again by equality.
   */
  private static void confirm(Gathered g, int bits, Partitions out, Partitions in, int[] inRef) {
    int refs = g.refs;
    Object[] inExpr = g.inExpr, outExpr = g.outExpr;
    int[] inHash = g.inHash;
    for (int k = 0; k < refs; k++) {
      int r = inRef[k];
      Object e = inExpr[k];
      Object o = r >= 0 ? outExpr[r] : inExpr[~r];
      if (o != e && !o.equals(e)) { // the same reference: nothing read but the two arrays
        inRef[k] = resolveSlowly(e, inHash[k], bits, outExpr, out, inExpr, in);
      }
    }
  }

  /**
   * Numbers the graph inputs by first reader (that reader comes first in input order) and
   * rewrites each {@code ~first reader} ref to {@code ~g}; {@code gid} is scratch space of
   * {@code refs} ints.
   */
  private static List<Expr> numberGraphInputs(Object[] inExpr, int refs, int[] inRef, int[] gid) {
    List<Expr> inputs = new ArrayList<>();
    for (int k = 0; k < refs; k++) {
      int r = inRef[k];
      if (r < 0) {
        int first = ~r;
        if (first == k) {
          gid[k] = inputs.size();
          inputs.add((Expr) inExpr[k]);
        }
        inRef[k] = ~gid[first];
      }
    }
    return inputs;
  }

  /**
   * Resolves an input whose hash matched a different expression (rare: two variables with one
   * hash code): scans its partition for an equal output, else for the first equal input, which
   * names the graph input. The scan reaches the input itself at the latest.
   */
  private static int resolveSlowly(
      Object e, int h, int bits, Object[] outExpr, Partitions out, Object[] inExpr, Partitions in) {
    int p = part(h, bits);
    for (int j = out.start[p]; j < out.start[p + 1]; j++) {
      if (out.hash[j] == h && same(outExpr[out.pos[j]], e)) {
        return out.pos[j];
      }
    }
    for (int j = in.start[p]; ; j++) { // reaches k itself at the latest
      if (in.hash[j] == h && same(inExpr[in.pos[j]], e)) {
        return ~in.pos[j];
      }
    }
  }

  /** Counting sort of positions 0..len-1 by the top {@code bits} bits of their hash; stable. */
  private static void scatter(
      int[] hash, int len, int bits, int[] start, int[] outHash, int[] outPos) {
    int parts = start.length - 1;
    int[] fill = new int[parts];
    for (int k = 0; k < len; k++) {
      fill[part(hash[k], bits)]++;
    }
    for (int p = 0; p < parts; p++) {
      start[p + 1] = start[p] + fill[p];
      fill[p] = start[p];
    }
    for (int k = 0; k < len; k++) {
      int h = hash[k];
      int at = fill[part(h, bits)]++;
      outHash[at] = h;
      outPos[at] = k;
    }
  }

  private static int part(int h, int bits) {
    return (int) ((h & 0xFFFFFFFFL) >>> (32 - bits));
  }

  /** The home cell of a hash in a table of 2^tbits cells: the bits below the partition bits. */
  private static int cell(int h, int bits, int tbits) {
    return (int) (((((long) h) << bits) & 0xFFFFFFFFL) >>> (32 - tbits));
  }

  private static int tableCapacity(int entries) {
    int cap = 16;
    while (cap < 2L * entries) {
      cap <<= 1;
    }
    return cap;
  }

  private static boolean same(Object a, Object b) {
    return a == b || a.equals(b);
  }
}
