package io.memoflow.cache.frame;

import io.memoflow.cache.frame.FrameState.OpNode;
import io.memoflow.cache.spi.HistoryId;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The set algebra of frames on their states: union, intersection, difference and the subframe
 * test (the rules are documented on {@link ComputationFrame}'s methods). Each returns a new
 * state and leaves its arguments alone. Stateless.
 */
final class FrameSetAlgebra {
  private FrameSetAlgebra() {}

  /** The union of {@code a} and {@code b}; see {@link ComputationFrame#union}. */
  static FrameState union(FrameState a, FrameState b) {
    FrameState t = a.copy(FrameUniverse.merge(a.u, b.u), true);
    b.vars.forEach((k, v) -> {
      if (t.ops.containsKey(k)) {
        throw new IllegalArgumentException(kindClash(k));
      }
      t.vars.computeIfAbsent(k, x -> new LinkedHashSet<>()).addAll(v);
    });
    b.ops.forEach((k, o) -> {
      if (t.vars.containsKey(k)) {
        throw new IllegalArgumentException(kindClash(k));
      }
      OpNode n = t.ops.get(k);
      if (n == null) {
        t.ops.put(k, o.copy(true));
        return;
      }
      if (!n.op.equals(o.op)) {
        throw new IllegalArgumentException("Cannot unite frames: node '" + k + "' stands for op '"
            + n.op + "' in one and '" + o.op + "' in the other. Rename one of them first.");
      }
      mergePorts(k, n.in, o.in);
      mergePorts(k, n.out, o.out);
      for (HistoryId c : o.calls) {
        if (!n.calls.add(c)) {
          // Held in both: the union of the elements held (all, if either holds all).
          Set<HistoryId> mine = n.held.get(c);
          Set<HistoryId> theirs = o.held.get(c);
          if (mine == null || theirs == null) {
            n.held.remove(c);
          } else {
            Set<HistoryId> both = new HashSet<>(mine);
            both.addAll(theirs);
            t.hold(n, c, both);
          }
        } else if (o.held.containsKey(c)) {
          n.held.put(c, new LinkedHashSet<>(o.held.get(c)));
        }
      }
    });
    // Kept rows: the union of both; an unrestricted frame (null) absorbs them.
    if (a.rows == null || b.rows == null) {
      t.rows = null;
    } else {
      t.rows.addAll(b.rows);
    }
    t.topologicalOrder();
    t.addCallRefs();
    return t;
  }

  private static String kindClash(String k) {
    return "Cannot unite frames: '" + k + "' is a variable in one and an operation node in the"
        + " other. Rename one of them first.";
  }

  private static void mergePorts(String node, Map<String, String> into, Map<String, String> from) {
    from.forEach((p, v) -> {
      String w = into.putIfAbsent(p, v);
      if (w != null && !w.equals(v)) {
        throw new IllegalArgumentException("Cannot unite frames: port '" + p + "' of node '" + node
            + "' reads or writes '" + w + "' in one and '" + v + "' in the other. Rename to match first.");
      }
    });
  }

  /** The intersection of {@code a} and {@code b}; see {@link ComputationFrame#intersection}. */
  static FrameState intersection(FrameState a, FrameState b) {
    FrameState t = new FrameState(FrameUniverse.merge(a.u, b.u));
    a.vars.forEach((k, v) -> {
      LinkedHashSet<HistoryId> o = b.vars.get(k);
      if (o != null) {
        LinkedHashSet<HistoryId> both = new LinkedHashSet<>(v);
        both.retainAll(o);
        t.vars.put(k, both);
      }
    });
    a.ops.forEach((k, n) -> {
      OpNode o = b.ops.get(k);
      if (o != null && o.op.equals(n.op)) {
        OpNode m = new OpNode(n.op);
        n.in.forEach((p, v) -> {
          if (v.equals(o.in.get(p))) {
            m.in.put(p, v);
          }
        });
        n.out.forEach((p, v) -> {
          if (v.equals(o.out.get(p))) {
            m.out.put(p, v);
          }
        });
        m.calls.addAll(n.calls);
        m.calls.retainAll(o.calls);
        for (HistoryId c : m.calls) {
          // The elements both hold.
          Set<HistoryId> mine = n.held.get(c);
          Set<HistoryId> theirs = o.held.get(c);
          if (mine != null || theirs != null) {
            Set<HistoryId> both = new HashSet<>(mine != null ? mine : theirs);
            if (mine != null && theirs != null) {
              both.retainAll(theirs);
            }
            t.hold(m, c, both);
          }
        }
        t.ops.put(k, m);
      }
    });
    // Kept rows: those both keep; an unrestricted frame (null) keeps the other'a.
    if (a.rows != null || b.rows != null) {
      t.rows = new LinkedHashSet<>(a.rows != null ? a.rows : b.rows);
      if (a.rows != null && b.rows != null) {
        t.rows.retainAll(b.rows);
      }
    }
    return t;
  }

  /**
   * {@code a} without what {@code b} holds; {@code bRows} gives the rows {@code b}'s table is
   * built from (evaluated only when needed). See {@link ComputationFrame#difference}.
   */
  static FrameState difference(FrameState a, FrameState b,
      Supplier<Set<Map<String, HistoryId>>> bRows) {
    FrameState t = a.copy(FrameUniverse.merge(a.u, b.u), true);
    t.vars.forEach((k, v) -> {
      LinkedHashSet<HistoryId> o = b.vars.get(k);
      if (o != null) {
        v.removeAll(o);
      }
    });
    t.ops.forEach((k, n) -> {
      OpNode o = b.ops.get(k);
      if (o != null && o.op.equals(n.op)) {
        for (Iterator<HistoryId> it = n.calls.iterator(); it.hasNext(); ) {
          HistoryId c = it.next();
          if (!o.calls.contains(c)) {
            continue;
          }
          // A collection call stays for the elements the other frame does not hold.
          Set<HistoryId> rest = new LinkedHashSet<>(Arrays.asList(t.heldElements(n, c)));
          rest.removeAll(Arrays.asList(t.heldElements(o, c)));
          if (rest.isEmpty()) {
            it.remove();
            n.held.remove(c);
          } else {
            t.hold(n, c, rest);
          }
        }
      }
    });
    t.addCallRefs();
    if (t.rows != null) {
      // Kept rows: those of this frame that the other frame's table does not have.
      t.rows.removeAll(bRows.get());
    }
    return t;
  }

  /**
   * Whether {@code a} is a subframe of {@code b}; {@code aRows} gives the rows {@code a}'s table
   * is built from (evaluated only when needed). See {@link ComputationFrame#isSubframeOf}.
   */
  static boolean isSubframe(FrameState a, Supplier<Set<Map<String, HistoryId>>> aRows,
      FrameState b) {
    if (b.rows != null && !b.rows.containsAll(aRows.get())) {
      return false;
    }
    for (Map.Entry<String, LinkedHashSet<HistoryId>> e : a.vars.entrySet()) {
      LinkedHashSet<HistoryId> o = b.vars.get(e.getKey());
      if (o == null || !o.containsAll(e.getValue())) {
        return false;
      }
    }
    for (Map.Entry<String, OpNode> e : a.ops.entrySet()) {
      OpNode n = e.getValue();
      OpNode o = b.ops.get(e.getKey());
      if (o == null || !o.op.equals(n.op) || !o.in.entrySet().containsAll(n.in.entrySet())
          || !o.out.entrySet().containsAll(n.out.entrySet()) || !o.calls.containsAll(n.calls)) {
        return false;
      }
      for (Map.Entry<HistoryId, LinkedHashSet<HistoryId>> h : o.held.entrySet()) {
        if (n.calls.contains(h.getKey())
            && !h.getValue().containsAll(Arrays.asList(a.heldElements(n, h.getKey())))) {
          return false;
        }
      }
    }
    return true;
  }
}
