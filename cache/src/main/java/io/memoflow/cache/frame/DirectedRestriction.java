package io.memoflow.cache.frame;

import io.memoflow.cache.frame.FrameState.OpNode;
import io.memoflow.cache.spi.HistoryId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/*
 * Overview: upstream / downstream of some nodes. The graph part is the nodes' closure (ancestors
 * or descendants); the element part walks from the given nodes' elements along that subgraph:
 * a value reaches the calls that output it (backward) or read it (forward), a call reaches its
 * inputs (backward) or outputs (forward). A collection call reached forward through some of its
 * elements holds only those.
 */
/** Restricts a frame state to what lies upstream or downstream of some nodes. Single use. */
final class DirectedRestriction {
  private final FrameState s;
  private final String[] nodes;
  private final boolean forward;
  /** The closure with every element of the frame (what may be reached). */
  private final FrameState full;
  /** The closure with the elements reached so far (the result). */
  private final FrameState t;
  /** Per operation node: value -> the calls it reaches along the walk's direction. */
  private final Map<String, Map<HistoryId, List<HistoryId>>> index = new LinkedHashMap<>();
  private final ArrayDeque<Map.Entry<String, HistoryId>> work = new ArrayDeque<>();
  /** Collection calls reached forward through some of their elements hold those only. */
  private final Map<HistoryId, Set<HistoryId>> reachedElements = new HashMap<>();
  /** Calls of the given nodes themselves: held whole. */
  private final Set<HistoryId> whole = new HashSet<>();

  DirectedRestriction(FrameState s, String[] nodes, boolean forward) {
    this.s = s;
    this.nodes = nodes;
    this.forward = forward;
    Set<String> keep = s.closure(List.of(nodes), forward);
    this.full = s.subgraph(keep, true);
    this.t = s.subgraph(keep, false);
  }

  /** Returns the restricted state. */
  FrameState run() {
    indexCalls();
    seed();
    while (!work.isEmpty()) {
      Map.Entry<String, HistoryId> item = work.poll();
      if (t.vars.containsKey(item.getKey())) {
        reachFromValue(item.getKey(), item.getValue());
      } else {
        reachFromCall(item.getKey(), item.getValue());
      }
    }
    holdReached();
    t.addCallRefs();
    return t;
  }

  /** Element-level index: from each value to the calls of each node it leads to. */
  private void indexCalls() {
    full.ops.forEach((k, n) -> {
      Map<HistoryId, List<HistoryId>> m = new HashMap<>();
      for (HistoryId c : n.calls) {
        FrameUniverse.CallInfo ci = s.u.call(c);
        if (forward) {
          n.in.keySet().forEach(p -> {
            for (HistoryId r : p.equals(FrameUniverse.ELEMENTS) ? full.heldElements(n, c) : ci.in(p)) {
              m.computeIfAbsent(r, x -> new ArrayList<>(1)).add(c);
            }
          });
        } else {
          n.out.keySet().forEach(p -> {
            HistoryId r = ci.out(p);
            if (r != null) {
              m.computeIfAbsent(r, x -> new ArrayList<>(1)).add(c);
            }
          });
        }
      }
      index.put(k, m);
    });
  }

  /** Starts the walk from every element of the given nodes. */
  private void seed() {
    for (String node : nodes) {
      Set<HistoryId> els = full.vars.containsKey(node) ? full.vars.get(node) : full.ops.get(node).calls;
      if (!full.vars.containsKey(node)) {
        whole.addAll(els);
      }
      for (HistoryId h : els) {
        work.add(Map.entry(node, h));
      }
    }
  }

  /** A value of variable {@code node}: reaches the calls that output it or read it. */
  private void reachFromValue(String node, HistoryId h) {
    if (!t.vars.get(node).add(h)) {
      return;
    }
    full.ops.forEach((k, n) -> {
      if ((forward ? n.in : n.out).containsValue(node)) {
        for (HistoryId c : index.get(k).getOrDefault(h, List.of())) {
          FrameUniverse.CallInfo ci = s.u.call(c);
          (forward ? n.in : n.out).forEach((p, v) -> {
            boolean here = v.equals(node) && (forward
                ? Arrays.asList(ci.in(p)).contains(h) : h.equals(ci.out(p)));
            if (here) {
              work.add(Map.entry(k, c));
              if (forward && p.equals(FrameUniverse.ELEMENTS)) {
                reachedElements.computeIfAbsent(c, x -> new HashSet<>()).add(h);
              }
            }
          });
        }
      }
    });
  }

  /** A call of operation node {@code node}: reaches its outputs (forward) or inputs (backward). */
  private void reachFromCall(String node, HistoryId h) {
    OpNode n = t.ops.get(node);
    if (!n.calls.add(h)) {
      return;
    }
    FrameUniverse.CallInfo ci = s.u.call(h);
    if (forward) {
      n.out.forEach((p, v) -> {
        HistoryId r = ci.out(p);
        if (r != null) {
          work.add(Map.entry(v, r));
        }
      });
    } else {
      n.in.forEach((p, v) -> {
        HistoryId[] refs = p.equals(FrameUniverse.ELEMENTS)
            ? full.heldElements(full.ops.get(node), h) : ci.in(p);
        for (HistoryId r : refs) {
          work.add(Map.entry(v, r));
        }
      });
    }
  }

  /** Collection calls hold the elements reached, or what they held before. */
  private void holdReached() {
    t.ops.forEach((k, n) -> {
      OpNode from = full.ops.get(k);
      for (HistoryId c : n.calls) {
        if (forward && !whole.contains(c) && reachedElements.containsKey(c)) {
          t.hold(n, c, reachedElements.get(c));
        } else if (from.held.containsKey(c)) {
          n.held.put(c, new LinkedHashSet<>(from.held.get(c)));
        }
      }
    });
  }
}
