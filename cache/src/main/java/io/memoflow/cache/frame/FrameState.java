package io.memoflow.cache.frame;

import static java.util.Objects.requireNonNull;

import io.memoflow.cache.Ref;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/*
 * Overview: the mutable insides of a ComputationFrame. Variables map a name to the history ids
 * of their values; operation nodes map a name to the op's name, the variables their input and
 * output ports connect to, and the history ids of their calls. Variables and operation nodes
 * share one namespace (they are the columns of a table). Insertion order is kept everywhere,
 * so everything derived from a state (names, column order, rows) is deterministic.
 *
 * A structural collection call (list, set, map) gives one row per element, so a frame may hold
 * such a call for some of its elements only (a restriction kept the rows of those elements): the
 * node records, per call, the elements it holds when they are not all of them (OpNode.held).
 * Creation and growth hold every element; whereRows holds exactly the (call, element) pairs of
 * the kept rows; union, intersection and difference combine the pairs per call; evaluation
 * emits element rows only for held elements. So a frame holds (call, element) pairs for
 * collections, and single calls for every other op.
 *
 * Kept rows: a restriction (whereRows and everything built on it) keeps the rows of its parent's
 * table that passed, as maps from column name to history id (null cells left out). Elements alone
 * cannot say which combinations of them the kept rows used: re-joining a restricted frame's
 * elements can build rows the parent's table never had. A frame with kept rows evaluates to those
 * rows (cells limited to the elements it holds), so restricting then evaluating is evaluating then
 * filtering by construction. rows == null means "no restriction": the table is evaluated from the
 * elements. Growing forgets the rows (the grown frame is a new view evaluated from its elements);
 * union, intersection and difference combine them as sets, with null as the top element (see
 * ComputationFrame).
 *
 * A ComputationFrame never mutates its state: operations copy it, change the copy and wrap it.
 */
final class FrameState {
  final FrameUniverse u;
  final LinkedHashMap<String, LinkedHashSet<HistoryId>> vars = new LinkedHashMap<>();
  final LinkedHashMap<String, OpNode> ops = new LinkedHashMap<>();
  /** The rows a restriction kept (column name -> element, nulls left out), or null: evaluate the elements. */
  LinkedHashSet<Map<String, HistoryId>> rows;

  FrameState(FrameUniverse u) {
    this.u = u;
  }

  /** An operation node: the op it stands for, its port connections and its calls. */
  static final class OpNode {
    final String op;
    final LinkedHashMap<String, String> in = new LinkedHashMap<>();
    final LinkedHashMap<String, String> out = new LinkedHashMap<>();
    final LinkedHashSet<HistoryId> calls = new LinkedHashSet<>();
    /**
     * For structural calls holding only some of their elements: call -> the elements held (a
     * strict subset, possibly empty). A call without an entry holds all its elements.
     */
    final LinkedHashMap<HistoryId, LinkedHashSet<HistoryId>> held = new LinkedHashMap<>();

    OpNode(String op) {
      this.op = op;
    }

    OpNode copy(boolean withCalls) {
      OpNode n = new OpNode(op);
      n.in.putAll(in);
      n.out.putAll(out);
      if (withCalls) {
        n.calls.addAll(calls);
        held.forEach((c, els) -> n.held.put(c, new LinkedHashSet<>(els)));
      }
      return n;
    }

    LinkedHashMap<String, String> ports(boolean input) {
      return input ? in : out;
    }

    boolean connectedTo(String var) {
      return in.containsValue(var) || out.containsValue(var);
    }

    boolean sameShape(OpNode o) {
      return op.equals(o.op) && in.equals(o.in) && out.equals(o.out);
    }
  }

  FrameState copy() {
    return copy(u, true);
  }

  FrameState copy(FrameUniverse universe, boolean withElements) {
    FrameState s = new FrameState(universe);
    vars.forEach((k, v) -> s.vars.put(k, withElements ? new LinkedHashSet<>(v) : new LinkedHashSet<>()));
    ops.forEach((k, v) -> s.ops.put(k, v.copy(withElements)));
    if (withElements && rows != null) {
      s.rows = new LinkedHashSet<>(rows);
    }
    return s;
  }

  /** Returns a kept row: column name -> element for the non-null cells of {@code cells}. */
  static Map<String, HistoryId> keptRow(List<String> columns, List<HistoryId> cells) {
    Map<String, HistoryId> m = new LinkedHashMap<>();
    for (int j = 0; j < cells.size(); j++) {
      if (cells.get(j) != null) {
        m.put(columns.get(j), cells.get(j));
      }
    }
    return Map.copyOf(m);
  }

  /**
   * Returns {@code rows} with every column outside {@code keep} left out, rows left empty
   * dropped (null stays null: an unrestricted frame stays unrestricted).
   */
  static LinkedHashSet<Map<String, HistoryId>> project(Set<Map<String, HistoryId>> rows, Set<String> keep) {
    if (rows == null) {
      return null;
    }
    LinkedHashSet<Map<String, HistoryId>> out = new LinkedHashSet<>();
    for (Map<String, HistoryId> r : rows) {
      Map<String, HistoryId> p = new LinkedHashMap<>();
      r.forEach((col, id) -> {
        if (keep.contains(col)) {
          p.put(col, id);
        }
      });
      if (!p.isEmpty()) {
        out.add(Map.copyOf(p));
      }
    }
    return out;
  }

  /** Returns the elements (refs at port {@code elements}) call {@code c} of node {@code n} holds, in call order. */
  HistoryId[] heldElements(OpNode n, HistoryId c) {
    HistoryId[] all = u.call(c).in(FrameUniverse.ELEMENTS);
    Set<HistoryId> part = n.held.get(c);
    if (part == null) {
      return all;
    }
    return java.util.Arrays.stream(all).filter(part::contains).toArray(HistoryId[]::new);
  }

  /** Records that call {@code c} of node {@code n} holds {@code els} (of its elements); all of them: no entry. */
  void hold(OpNode n, HistoryId c, Collection<HistoryId> els) {
    HistoryId[] all = u.call(c).in(FrameUniverse.ELEMENTS);
    LinkedHashSet<HistoryId> part = new LinkedHashSet<>();
    for (HistoryId r : all) {
      if (els.contains(r)) {
        part.add(r);
      }
    }
    if (part.size() == new HashSet<>(java.util.Arrays.asList(all)).size()) {
      n.held.remove(c);
    } else {
      n.held.put(c, part);
    }
  }

  boolean has(String name) {
    return vars.containsKey(name) || ops.containsKey(name);
  }

  /** Returns {@code base}, or {@code base_1}, {@code base_2}, ... whichever is free first. */
  String freshName(String base) {
    if (!has(base)) {
      return base;
    }
    for (int i = 1; ; i++) {
      String n = base + "_" + i;
      if (!has(n)) {
        return n;
      }
    }
  }

  /** Returns the nodes directly downstream of {@code node}. */
  List<String> successors(String node) {
    OpNode n = ops.get(node);
    if (n != null) {
      return new ArrayList<>(new LinkedHashSet<>(n.out.values()));
    }
    List<String> out = new ArrayList<>();
    ops.forEach((name, o) -> {
      if (o.in.containsValue(node)) {
        out.add(name);
      }
    });
    return out;
  }

  /** Returns the nodes directly upstream of {@code node}. */
  List<String> predecessors(String node) {
    OpNode n = ops.get(node);
    if (n != null) {
      return new ArrayList<>(new LinkedHashSet<>(n.in.values()));
    }
    List<String> out = new ArrayList<>();
    ops.forEach((name, o) -> {
      if (o.out.containsValue(node)) {
        out.add(name);
      }
    });
    return out;
  }

  /** Returns whether a path leads from {@code from} to {@code to} (a node reaches itself). */
  boolean reaches(String from, String to) {
    return closure(List.of(from), true).contains(to);
  }

  /** Returns {@code start} and every node downstream ({@code forward}) or upstream of it. */
  Set<String> closure(Iterable<String> start, boolean forward) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> work = new ArrayDeque<>();
    for (String s : start) {
      if (seen.add(s)) {
        work.add(s);
      }
    }
    while (!work.isEmpty()) {
      String n = work.poll();
      for (String m : forward ? successors(n) : predecessors(n)) {
        if (seen.add(m)) {
          work.add(m);
        }
      }
    }
    return seen;
  }

  /**
   * Returns every node in a topological order: variables and operation nodes interleaved, ties
   * broken by insertion order (variables before operations).
   *
   * @throws IllegalArgumentException if the graph has a cycle
   */
  List<String> topologicalOrder() {
    List<String> all = new ArrayList<>(vars.keySet());
    all.addAll(ops.keySet());
    Map<String, Integer> indeg = new LinkedHashMap<>();
    for (String n : all) {
      indeg.put(n, predecessors(n).size());
    }
    List<String> order = new ArrayList<>(all.size());
    Set<String> done = new HashSet<>();
    while (order.size() < all.size()) {
      String next = null;
      for (String n : all) {
        if (!done.contains(n) && indeg.get(n) == 0) {
          next = n;
          break;
        }
      }
      if (next == null) {
        List<String> rest = new ArrayList<>(all);
        rest.removeAll(done);
        throw new IllegalArgumentException(
            "The frame's graph has a cycle through " + rest
                + ". Combine frames whose nodes of the same name play the same role, or rename"
                + " nodes first.");
      }
      done.add(next);
      order.add(next);
      for (String m : successors(next)) {
        indeg.merge(m, -1, Integer::sum);
      }
    }
    return order;
  }

  /**
   * Adds the refs every call needs at its connected ports (keeps the frame's invariant: each
   * call's values are in the variables its node connects to; of a collection's elements, those
   * it holds).
   */
  void addCallRefs() {
    ops.forEach((name, n) -> {
      for (HistoryId c : n.calls) {
        FrameUniverse.CallInfo ci = u.call(c);
        n.in.forEach((port, var) -> {
          // A collection call may hold some of its elements only (a restricted frame).
          HistoryId[] refs = port.equals(FrameUniverse.ELEMENTS) ? heldElements(n, c) : ci.in(port);
          vars.get(var).addAll(java.util.Arrays.asList(refs));
        });
        n.out.forEach((port, var) -> {
          HistoryId r = ci.out(port);
          if (r != null) {
            vars.get(var).add(r);
          }
        });
      }
    });
  }

  /**
   * Compares the graph and the elements; the kept rows are compared by ComputationFrame (an
   * unrestricted frame is compared by the rows it evaluates to), so they are not part of this.
   */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FrameState s) || !vars.equals(s.vars) || !ops.keySet().equals(s.ops.keySet())) {
      return false;
    }
    for (Map.Entry<String, OpNode> e : ops.entrySet()) {
      OpNode a = e.getValue();
      OpNode b = s.ops.get(e.getKey());
      if (!a.sameShape(b) || !a.calls.equals(b.calls) || !a.held.equals(b.held)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = vars.hashCode();
    for (Map.Entry<String, OpNode> e : ops.entrySet()) {
      h = 31 * h + Objects.hash(e.getKey(), e.getValue().op, e.getValue().in, e.getValue().out,
          e.getValue().calls, e.getValue().held);
    }
    return h;
  }

  /** The induced subgraph on {@code keep}; elements copied or left empty. */
  FrameState subgraph(Set<String> keep, boolean withElements) {
    FrameState t = new FrameState(u);
    vars.forEach((k, v) -> {
      if (keep.contains(k)) {
        t.vars.put(k, withElements ? new LinkedHashSet<>(v) : new LinkedHashSet<>());
      }
    });
    ops.forEach((k, v) -> {
      if (keep.contains(k)) {
        OpNode n = v.copy(withElements);
        n.in.values().removeIf(var -> !keep.contains(var));
        n.out.values().removeIf(var -> !keep.contains(var));
        t.ops.put(k, n);
      }
    });
    t.rows = project(rows, keep);
    return t;
  }

  // ---- building (for ComputationFrame) ----

  /** A state of one operation node holding every stored call of {@code op} (see {@code ofOp}). */
  static FrameState ofOp(FrameUniverse u, String op) {
    FrameState s = new FrameState(u);
    OpNode node = new OpNode(op);
    s.ops.put(op, node);
    for (FrameUniverse.CallInfo ci : s.u.callsOf(op)) {
      node.calls.add(ci.id);
      for (int i = 0; i < ci.inPorts.length; i++) {
        String v = node.in.computeIfAbsent(ci.inPorts[i], p -> newVar(s, p));
        s.vars.get(v).addAll(Arrays.asList(ci.inRefs[i]));
      }
      for (int i = 0; i < ci.outPorts.length; i++) {
        String v = node.out.computeIfAbsent(ci.outPorts[i], p -> newVar(s, p));
        s.vars.get(v).add(ci.outRefs[i]);
      }
    }
    return s;
  }

  private static String newVar(FrameState s, String base) {
    String name = s.freshName(base);
    s.vars.put(name, new LinkedHashSet<>());
    return name;
  }

  /** A state of one variable per entry of {@code refs} (see {@code ComputationFrame.of}). */
  static FrameState ofVariables(FrameUniverse u,
      Map<String, ? extends Collection<? extends Ref<?>>> refs) {
    FrameState s = new FrameState(u);
    refs.forEach((name, rs) -> {
      requireNonNull(name, "variable name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("A frame variable needs a non-blank name; got '" + name + "'.");
      }
      LinkedHashSet<HistoryId> ids = new LinkedHashSet<>();
      for (Ref<?> r : rs) {
        requireNonNull(r, "ref");
        s.u.addRef(r);
        ids.add(r.historyId());
      }
      s.vars.put(name, ids);
    });
    return s;
  }

  /** This state with node {@code from} named {@code to} (checked by the caller). */
  FrameState renamed(String from, String to) {
    FrameState t = new FrameState(u);
    vars.forEach((k, v) -> t.vars.put(k.equals(from) ? to : k, new LinkedHashSet<>(v)));
    ops.forEach((k, v) -> {
      OpNode n = v.copy(true);
      n.in.replaceAll((p, var) -> var.equals(from) ? to : var);
      n.out.replaceAll((p, var) -> var.equals(from) ? to : var);
      t.ops.put(k.equals(from) ? to : k, n);
    });
    if (rows != null) {
      t.rows = new LinkedHashSet<>();
      for (Map<String, HistoryId> r : rows) {
        Map<String, HistoryId> m = new LinkedHashMap<>();
        r.forEach((col, id) -> m.put(col.equals(from) ? to : col, id));
        t.rows.add(Map.copyOf(m));
      }
    }
    return t;
  }

  /** The graph as a composite computation; see {@link ComputationFrame#toComposite()}. */
  CompositeComputation toComposite() {
    Map<String, List<String>> producers = new LinkedHashMap<>();
    ops.forEach((k, n) -> n.out.values().forEach(v -> producers.computeIfAbsent(v, x -> new ArrayList<>()).add(k)));
    producers.forEach((v, ps) -> {
      if (ps.size() > 1) {
        throw new IllegalStateException("Variable '" + v + "' is produced by several operation nodes "
            + ps + "; a CompositeComputation allows one. Take a subframe without all but one of them.");
      }
    });
    List<Computation> cs = new ArrayList<>();
    for (String k : topologicalOrder()) {
      OpNode n = ops.get(k);
      if (n == null) {
        continue;
      }
      Operation op = Operation.of(n.op, List.copyOf(n.in.keySet()), List.copyOf(n.out.keySet()));
      cs.add(Computation.of(op, symbols(n.in.values()), symbols(n.out.values())));
    }
    return CompositeComputation.of(cs);
  }

  private static List<Expr> symbols(Collection<String> names) {
    List<Expr> out = new ArrayList<>(names.size());
    for (String n : names) {
      out.add(Expr.symbol(n));
    }
    return out;
  }

  // ---- lookups and listing (for ComputationFrame) ----

  /** The values of variable {@code name}; throws if there is none. */
  LinkedHashSet<HistoryId> variable(String name) {
    LinkedHashSet<HistoryId> v = vars.get(requireNonNull(name, "variable"));
    if (v == null) {
      throw new IllegalArgumentException(unknown("variable", name, vars.keySet()));
    }
    return v;
  }

  /** Operation node {@code name}; throws if there is none. */
  OpNode opNode(String name) {
    OpNode n = ops.get(requireNonNull(name, "node"));
    if (n == null) {
      throw new IllegalArgumentException(unknown("operation node", name, ops.keySet()));
    }
    return n;
  }

  /** Throws if there is no node {@code name}. */
  void checkNode(String name) {
    if (!has(requireNonNull(name, "node"))) {
      List<String> all = new ArrayList<>(vars.keySet());
      all.addAll(ops.keySet());
      throw new IllegalArgumentException(unknown("node", name, all));
    }
  }

  private static String unknown(String kind, String name, Collection<String> known) {
    return "This frame has no " + kind + " '" + name + "'. Its " + kind + "s are " + known
        + "; see ComputationFrame.nodes().";
  }

  /** The readable listing; see {@link ComputationFrame#listing()}. */
  String listing() {
    StringBuilder sb = new StringBuilder();
    Set<String> touched = new HashSet<>();
    for (String k : topologicalOrder()) {
      OpNode n = ops.get(k);
      if (n == null) {
        continue;
      }
      touched.addAll(n.in.values());
      touched.addAll(n.out.values());
      sb.append(String.join(", ", n.out.values())).append(n.out.isEmpty() ? "" : " = ")
          .append(n.op).append('(').append(String.join(", ", n.in.values())).append(')');
      if (!k.equals(n.op)) {
        sb.append("  [").append(k).append(']');
      }
      sb.append('\n');
    }
    for (String v : vars.keySet()) {
      if (!touched.contains(v)) {
        sb.append(v).append('\n');
      }
    }
    return sb.toString();
  }
}
