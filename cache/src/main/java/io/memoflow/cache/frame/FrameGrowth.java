package io.memoflow.cache.frame;

import io.memoflow.cache.frame.FrameState.OpNode;
import io.memoflow.cache.frame.FrameUniverse.CallInfo;
import io.memoflow.cache.spi.HistoryId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/*
 * Overview: growing a frame along the stored call graph, in place on a copied FrameState.
 *
 * Backward, for a value r of variable v: the call that created r (Storage.creator) joins an
 * operation node that outputs the same port into v. Forward, for r: every call that consumed r
 * (Storage.consumers) joins an operation node whose input port (the one r was passed to) reads
 * v. Calls are grouped by (variable, op, port, direction) so each group picks its node once:
 * a node already connected that way, else a node of the same op holding one of the calls with
 * that port free, else a new node. A call joining a node brings all its values: each of the
 * node's ports that is not yet connected is connected to the variable already holding the
 * most of the call's values there (if that makes no cycle and the node does not use the
 * variable yet), else to a new variable named after the port. So growing reuses nodes, closes
 * diamonds, and never puts two ports of one node on one variable.
 *
 * A call joins a frame once: a call already in some node is not added again (a recursive
 * program, inc(inc(x)), stays one node whose input and output variables share values, rather
 * than being unrolled). Every step that changes anything adds a call, so growing terminates.
 *
 * Work is driven by frontiers: only values added since a direction last looked at them are
 * looked up again, and by id (Storage internals: no Call objects are built), a call's record
 * being read only when the call is not in the frame yet. Growing to a fixpoint is therefore
 * linear in the calls it reaches.
 */
final class FrameGrowth {
  private final FrameState s;
  private final FrameUniverse u;
  private final Set<HistoryId> callsInFrame = new HashSet<>();
  private Map<String, List<HistoryId>> added = new LinkedHashMap<>();

  private FrameGrowth(FrameState s) {
    this.s = s;
    this.u = s.u;
    for (OpNode n : s.ops.values()) {
      callsInFrame.addAll(n.calls);
    }
  }

  /**
   * Grows {@code s} from the values of {@code from}: backward and/or forward, one step or until
   * nothing changes.
   */
  static void grow(FrameState s, Collection<String> from, boolean back, boolean forward,
      boolean fixpoint) {
    FrameGrowth g = new FrameGrowth(s);
    Map<String, List<HistoryId>> start = new LinkedHashMap<>();
    for (String v : from) {
      start.put(v, new ArrayList<>(s.vars.get(v)));
    }
    Map<String, List<HistoryId>> fb = back ? start : Map.of();
    Map<String, List<HistoryId>> ff = forward ? start : Map.of();
    while (!fb.isEmpty() || !ff.isEmpty()) {
      if (back) {
        g.stepBack(fb);
      }
      Map<String, List<HistoryId>> a1 = g.drain();
      if (forward) {
        g.stepForward(merge(ff, a1));
      }
      Map<String, List<HistoryId>> a2 = g.drain();
      if (!fixpoint) {
        return;
      }
      fb = back ? merge(a1, a2) : Map.of();
      ff = forward ? a2 : Map.of();
    }
  }

  /** Both frontiers (a value in both is looked up twice, which changes nothing). */
  private static Map<String, List<HistoryId>> merge(Map<String, List<HistoryId>> a,
      Map<String, List<HistoryId>> b) {
    if (b.isEmpty()) {
      return a;
    }
    if (a.isEmpty()) {
      return b;
    }
    Map<String, List<HistoryId>> m = new LinkedHashMap<>();
    a.forEach((k, v) -> m.put(k, new ArrayList<>(v)));
    b.forEach((k, v) -> m.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    return m;
  }

  private Map<String, List<HistoryId>> drain() {
    Map<String, List<HistoryId>> d = added;
    added = new LinkedHashMap<>();
    return d;
  }

  private void addRef(String var, HistoryId r) {
    if (s.vars.get(var).add(r)) {
      added.computeIfAbsent(var, k -> new ArrayList<>()).add(r);
    }
  }

  /** The variables holding value {@code r} (few: a scan of the frame's variables). */
  private List<String> varsOf(HistoryId r) {
    List<String> out = new ArrayList<>(1);
    s.vars.forEach((v, refs) -> {
      if (refs.contains(r)) {
        out.add(v);
      }
    });
    return out;
  }

  private record Group(String var, String op, String port) {}

  private void stepBack(Map<String, List<HistoryId>> frontier) {
    Map<Group, LinkedHashSet<CallInfo>> groups = new LinkedHashMap<>();
    frontier.forEach((v, refs) -> {
      for (HistoryId r : refs) {
        HistoryId c = u.creatorId(r);
        if (c == null || callsInFrame.contains(c)) {
          continue;
        }
        CallInfo ci = u.info(c);
        String port = ci == null ? null : ci.outPortOf(r);
        if (port == null) {
          continue;
        }
        groups.computeIfAbsent(new Group(v, ci.op, port), k -> new LinkedHashSet<>()).add(ci);
      }
    });
    groups.forEach((g, calls) -> addGroup(g, false, calls));
  }

  private void stepForward(Map<String, List<HistoryId>> frontier) {
    Map<Group, LinkedHashSet<CallInfo>> groups = new LinkedHashMap<>();
    frontier.forEach((v, refs) -> {
      for (HistoryId r : refs) {
        for (HistoryId c : u.consumerIds(r)) {
          if (callsInFrame.contains(c)) {
            continue;
          }
          CallInfo ci = u.info(c);
          if (ci == null) {
            continue;
          }
          for (int i = 0; i < ci.inPorts.length; i++) {
            if (!contains(ci.inRefs[i], r)) {
              continue;
            }
            groups.computeIfAbsent(new Group(v, ci.op, ci.inPorts[i]), k -> new LinkedHashSet<>())
                .add(ci);
          }
        }
      }
    });
    groups.forEach((g, calls) -> addGroup(g, true, calls));
  }

  /** Adds the group's calls not yet in the frame (an earlier group may have brought them). */
  private void addGroup(Group g, boolean input, Collection<CallInfo> calls) {
    List<CallInfo> fresh = new ArrayList<>(calls.size());
    for (CallInfo c : calls) {
      if (!callsInFrame.contains(c.id)) {
        fresh.add(c);
      }
    }
    if (!fresh.isEmpty()) {
      addCalls(nodeFor(g, input, fresh), fresh);
    }
  }

  private static boolean contains(HistoryId[] xs, HistoryId x) {
    for (HistoryId y : xs) {
      if (y.equals(x)) {
        return true;
      }
    }
    return false;
  }

  /** The node a group of calls joins: connected that way already, else reusable, else new. */
  private OpNode nodeFor(Group g, boolean input, Collection<CallInfo> calls) {
    OpNode first = null;
    for (OpNode n : s.ops.values()) {
      if (n.op.equals(g.op) && g.var.equals(n.ports(input).get(g.port))) {
        if (containsAny(n, calls)) {
          return n;
        }
        if (first == null) {
          first = n;
        }
      }
    }
    if (first != null) {
      return first;
    }
    for (Map.Entry<String, OpNode> e : s.ops.entrySet()) {
      OpNode n = e.getValue();
      if (n.op.equals(g.op) && !n.ports(input).containsKey(g.port) && !n.connectedTo(g.var)
          && containsAny(n, calls) && !makesCycle(e.getKey(), g.var, input)) {
        n.ports(input).put(g.port, g.var);
        return n;
      }
    }
    OpNode n = new OpNode(g.op);
    s.ops.put(s.freshName(g.op), n);
    n.ports(input).put(g.port, g.var);
    return n;
  }

  private static boolean containsAny(OpNode n, Collection<CallInfo> calls) {
    for (CallInfo c : calls) {
      if (n.calls.contains(c.id)) {
        return true;
      }
    }
    return false;
  }

  /** Whether connecting {@code var} to node {@code node} (as an input or output) closes a cycle. */
  private boolean makesCycle(String node, String var, boolean input) {
    return input ? s.reaches(node, var) : s.reaches(var, node);
  }

  private void addCalls(OpNode n, Collection<CallInfo> calls) {
    String name = nameOf(n);
    for (CallInfo ci : calls) {
      if (!callsInFrame.add(ci.id) | !n.calls.add(ci.id)) {
        continue;
      }
      for (int i = 0; i < ci.inPorts.length; i++) {
        String w = n.in.get(ci.inPorts[i]);
        if (w == null) {
          w = connect(name, n, ci.inPorts[i], true, ci.inRefs[i]);
        }
        for (HistoryId r : ci.inRefs[i]) {
          addRef(w, r);
        }
      }
      for (int i = 0; i < ci.outPorts.length; i++) {
        String w = n.out.get(ci.outPorts[i]);
        if (w == null) {
          w = connect(name, n, ci.outPorts[i], false, new HistoryId[] {ci.outRefs[i]});
        }
        addRef(w, ci.outRefs[i]);
      }
    }
  }

  private String nameOf(OpNode n) {
    for (Map.Entry<String, OpNode> e : s.ops.entrySet()) {
      if (e.getValue() == n) {
        return e.getKey();
      }
    }
    throw new AssertionError(n);
  }

  /** Connects a free port to the variable holding most of {@code refs}, or to a new one. */
  private String connect(String name, OpNode n, String port, boolean input, HistoryId[] refs) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (HistoryId r : refs) {
      for (String v : varsOf(r)) {
        counts.merge(v, 1, Integer::sum);
      }
    }
    String best = null;
    int bestCount = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      String v = e.getKey();
      if (e.getValue() > bestCount && !n.connectedTo(v) && !makesCycle(name, v, input)) {
        best = v;
        bestCount = e.getValue();
      }
    }
    if (best == null) {
      best = s.freshName(port);
      s.vars.put(best, new LinkedHashSet<>());
    }
    n.ports(input).put(port, best);
    return best;
  }
}
