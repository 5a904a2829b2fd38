package io.memoflow.cache.frame;

import static java.util.Objects.requireNonNull;

import io.memoflow.cache.Call;
import io.memoflow.cache.Op;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import io.memoflow.cache.frame.FrameState.OpNode;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageException;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A view of the stored call graph: a bipartite graph of variables and operation nodes (the
 * shape of a {@link CompositeComputation}) plus, for each variable, a set of stored values
 * (by history id) and, for each operation node, a set of stored calls, such that every call's
 * inputs and outputs are in the variables its node's ports connect to.
 *
 * <pre>{@code
 * ComputationFrame cf = ComputationFrame.of(storage, inc).grow();   // inc and all around it
 * FrameTable t = cf.toTable();         // one row per partial computation
 * System.out.println(t.sortedBy("x0"));
 * cf.whereValue("x0", x -> (Integer) x > 2).delete();   // forget those calls and dependents
 * }</pre>
 *
 * <p>Frames are immutable and thread-safe: every operation returns a new frame. Variables and
 * operation nodes share one namespace (they are the table's columns); new nodes are named
 * after the port or op they come from ({@code x0}, {@code output_0}, {@code inc}), with
 * {@code _1}, {@code _2}, ... appended when taken, and can be {@linkplain #rename renamed}.
 * Names, column order and rows are deterministic for a given store. The elements of
 * collections ({@link Session#list}, {@link Session#set}, {@link Session#map}) connect to
 * their structural call's node through one port, {@code elements}.
 *
 * <p>A frame reads the store when it is created and grown, and values when they are asked
 * for; it sees committed calls and those of sessions still open.
 *
 * <p>A restriction ({@link #whereRows} and the {@code where...} methods built on it) keeps the
 * rows of this frame's table that pass, so evaluating a restricted frame gives exactly those
 * rows. Subframes, renaming and set operations carry the kept rows along; growing starts a new,
 * unrestricted view from the frame's elements. See cache/FRAMES.md, "Restricting".
 */
public final class ComputationFrame {
  private final FrameState s;
  /** The rows this frame's table is built from (kept or evaluated), computed on first need. */
  private volatile Set<Map<String, HistoryId>> tableRows;

  private ComputationFrame(FrameState s) {
    this.s = s;
  }

  /**
   * Returns the rows this frame's table is built from, as kept rows: the rows a restriction kept
   * as they were kept, or the rows evaluated from the elements of an unrestricted frame.
   */
  private Set<Map<String, HistoryId>> rowSet() {
    if (s.rows != null) {
      return s.rows;
    }
    Set<Map<String, HistoryId>> r = tableRows;
    if (r == null) {
      FrameEvaluator ev = new FrameEvaluator(s);
      r = new HashSet<>();
      for (HistoryId[] row : ev.tableRows()) {
        r.add(FrameState.keptRow(ev.columns, Arrays.asList(row)));
      }
      tableRows = r;
    }
    return r;
  }

  // ---- creation ----

  /** Returns a frame of every stored call of {@code op} (any version); see {@link #ofOp}. */
  public static ComputationFrame of(Storage storage, Op op) {
    requireNonNull(op, "op");
    return ofOp(storage, op.name());
  }

  /**
   * Returns a frame of every stored call of the op named {@code op} (any version): one
   * operation node, one variable per input port and per output.
   */
  public static ComputationFrame ofOp(Storage storage, String op) {
    requireNonNull(storage, "storage");
    requireNonNull(op, "op");
    FrameState s = new FrameState(new FrameUniverse(storage));
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
    return new ComputationFrame(s);
  }

  private static String newVar(FrameState s, String base) {
    String name = s.freshName(base);
    s.vars.put(name, new LinkedHashSet<>());
    return name;
  }

  /** Returns a frame of one variable, {@code v}, holding {@code refs}. */
  public static ComputationFrame of(Storage storage, Ref<?>... refs) {
    return of(storage, Map.of("v", Arrays.asList(refs)));
  }

  /**
   * Returns a frame of one variable per entry of {@code refs}, named by its key and holding its
   * refs; no operation nodes yet (grow it to find them).
   *
   * @throws IllegalArgumentException if a name is blank
   */
  public static ComputationFrame of(Storage storage,
      Map<String, ? extends Collection<? extends Ref<?>>> refs) {
    requireNonNull(storage, "storage");
    requireNonNull(refs, "refs");
    FrameState s = new FrameState(new FrameUniverse(storage));
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
    return new ComputationFrame(s);
  }

  // ---- structure ----

  /** Returns the storage this frame reads. */
  public Storage storage() {
    return s.u.storage;
  }

  /** Returns the variable names, in insertion order (an unmodifiable snapshot). */
  public Set<String> variables() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(s.vars.keySet()));
  }

  /** Returns the operation node names, in insertion order (an unmodifiable snapshot). */
  public Set<String> operations() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(s.ops.keySet()));
  }

  /** Returns every node name (variables and operations) in topological order. */
  public List<String> nodes() {
    return List.copyOf(s.topologicalOrder());
  }

  /**
   * Returns the op an operation node stands for.
   *
   * @throws IllegalArgumentException if there is no such operation node
   */
  public String opOf(String node) {
    return op(node).op;
  }

  /** Returns an operation node's input ports and the variables they read (unmodifiable). */
  public Map<String, String> inputsOf(String node) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(op(node).in));
  }

  /** Returns an operation node's output ports and the variables they write (unmodifiable). */
  public Map<String, String> outputsOf(String node) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(op(node).out));
  }

  /**
   * Returns the history ids of a variable's values (unmodifiable snapshot, insertion order).
   *
   * @throws IllegalArgumentException if there is no such variable
   */
  public Set<HistoryId> historyIds(String variable) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(var(variable)));
  }

  /** Returns a variable's values as refs (values load lazily), in insertion order. */
  public List<Ref<?>> refs(String variable) {
    List<Ref<?>> out = new ArrayList<>();
    for (HistoryId h : var(variable)) {
      out.add(s.u.ref(h));
    }
    return out;
  }

  /**
   * Returns the values of a variable, loading them (insertion order).
   *
   * @throws StorageException if a value is no longer stored
   */
  public List<Object> values(String variable) {
    List<Object> out = new ArrayList<>();
    for (Ref<?> r : refs(variable)) {
      out.add(r.value());
    }
    return out;
  }

  /**
   * Returns an operation node's calls, in insertion order.
   *
   * @throws IllegalArgumentException if there is no such operation node
   */
  public List<Call> calls(String node) {
    List<Call> out = new ArrayList<>();
    for (HistoryId h : op(node).calls) {
      out.add(s.u.call(h).call());
    }
    return out;
  }

  /** Returns the history ids of an operation node's calls (unmodifiable snapshot). */
  public Set<HistoryId> callIds(String node) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(op(node).calls));
  }

  /** Returns the number of distinct calls over all operation nodes. */
  public int callCount() {
    return allCalls().size();
  }

  /** Returns the number of distinct values over all variables. */
  public int valueCount() {
    Set<HistoryId> all = new HashSet<>();
    s.vars.values().forEach(all::addAll);
    return all.size();
  }

  private Set<HistoryId> allCalls() {
    Set<HistoryId> all = new LinkedHashSet<>();
    s.ops.values().forEach(n -> all.addAll(n.calls));
    return all;
  }

  private LinkedHashSet<HistoryId> var(String name) {
    LinkedHashSet<HistoryId> v = s.vars.get(requireNonNull(name, "variable"));
    if (v == null) {
      throw new IllegalArgumentException(unknown("variable", name, s.vars.keySet()));
    }
    return v;
  }

  private OpNode op(String name) {
    OpNode n = s.ops.get(requireNonNull(name, "node"));
    if (n == null) {
      throw new IllegalArgumentException(unknown("operation node", name, s.ops.keySet()));
    }
    return n;
  }

  private void checkNode(String name) {
    if (!s.has(requireNonNull(name, "node"))) {
      List<String> all = new ArrayList<>(s.vars.keySet());
      all.addAll(s.ops.keySet());
      throw new IllegalArgumentException(unknown("node", name, all));
    }
  }

  private static String unknown(String kind, String name, Collection<String> known) {
    return "This frame has no " + kind + " '" + name + "'. Its " + kind + "s are " + known
        + "; see ComputationFrame.nodes().";
  }

  /**
   * Returns this frame with node {@code from} named {@code to}.
   *
   * @throws IllegalArgumentException if {@code from} does not exist or {@code to} is taken or blank
   */
  public ComputationFrame rename(String from, String to) {
    checkNode(from);
    requireNonNull(to, "to");
    if (to.isBlank() || s.has(to)) {
      throw new IllegalArgumentException("Cannot rename '" + from + "' to '" + to + "': "
          + (to.isBlank() ? "the name is blank" : "a node of that name exists") + ". Pick another name.");
    }
    FrameState t = new FrameState(s.u);
    s.vars.forEach((k, v) -> t.vars.put(k.equals(from) ? to : k, new LinkedHashSet<>(v)));
    s.ops.forEach((k, v) -> {
      OpNode n = v.copy(true);
      n.in.replaceAll((p, var) -> var.equals(from) ? to : var);
      n.out.replaceAll((p, var) -> var.equals(from) ? to : var);
      t.ops.put(k.equals(from) ? to : k, n);
    });
    if (s.rows != null) {
      t.rows = new LinkedHashSet<>();
      for (Map<String, HistoryId> r : s.rows) {
        Map<String, HistoryId> m = new LinkedHashMap<>();
        r.forEach((col, id) -> m.put(col.equals(from) ? to : col, id));
        t.rows.add(Map.copyOf(m));
      }
    }
    return new ComputationFrame(t);
  }

  // ---- growing ----

  /**
   * Returns this frame grown backward until nothing changes: the calls that created its values,
   * the calls that created their inputs, and so on. Reuses the nodes already there. Like every
   * growth, it starts from the frame's elements and forgets the rows a restriction kept: the
   * grown frame's table is evaluated from its elements.
   */
  public ComputationFrame growBackward() {
    return grown(s.vars.keySet(), true, false, true);
  }

  /** Returns this frame grown forward until nothing changes: every call that consumed its values, transitively. */
  public ComputationFrame growForward() {
    return grown(s.vars.keySet(), false, true, true);
  }

  /**
   * Returns this frame grown backward and forward until nothing changes (the full connected call
   * graph); a restriction's kept rows are forgotten, as for {@link #growBackward()}.
   */
  public ComputationFrame grow() {
    return grown(s.vars.keySet(), true, true, true);
  }

  /**
   * Returns this frame grown one step backward from the given variables (the creators of their values).
   *
   * @throws IllegalArgumentException if a variable does not exist
   */
  public ComputationFrame growBackwardFrom(String... variables) {
    return grown(checkVars(variables), true, false, false);
  }

  /**
   * Returns this frame grown one step forward from the given variables (the consumers of their values).
   *
   * @throws IllegalArgumentException if a variable does not exist
   */
  public ComputationFrame growForwardFrom(String... variables) {
    return grown(checkVars(variables), false, true, false);
  }

  private List<String> checkVars(String... variables) {
    for (String v : variables) {
      var(v);
    }
    return List.of(variables);
  }

  private ComputationFrame grown(Collection<String> from, boolean back, boolean fwd, boolean fixpoint) {
    FrameState t = s.copy();
    // A grown frame is a new view: its table is evaluated from its elements (see FRAMES.md).
    t.rows = null;
    FrameGrowth.grow(t, new ArrayList<>(from), back, fwd, fixpoint);
    return new ComputationFrame(t);
  }

  // ---- restricting ----

  /**
   * Returns the part of this frame upstream of the given nodes: those nodes and their
   * ancestors, holding only the elements in the histories of the given nodes' elements. A
   * restricted frame's kept rows are cut to those nodes (and, when evaluated, to those elements).
   *
   * @throws IllegalArgumentException if a node does not exist
   */
  public ComputationFrame upstream(String... nodes) {
    return directed(nodes, false);
  }

  /**
   * Returns the part of this frame downstream of the given nodes: those nodes and their
   * descendants, holding only the elements that depend on the given nodes' elements. A
   * restricted frame's kept rows are cut to those nodes (and, when evaluated, to those elements).
   *
   * @throws IllegalArgumentException if a node does not exist
   */
  public ComputationFrame downstream(String... nodes) {
    return directed(nodes, true);
  }

  private ComputationFrame directed(String[] nodes, boolean forward) {
    for (String n : nodes) {
      checkNode(n);
    }
    Set<String> keep = s.closure(List.of(nodes), forward);
    FrameState full = subgraph(keep, true);
    FrameState t = subgraph(keep, false);
    // Element-level closure: from the given nodes' elements along the kept graph.
    Map<String, Map<HistoryId, List<HistoryId>>> index = new LinkedHashMap<>();
    full.ops.forEach((k, n) -> {
      Map<HistoryId, List<HistoryId>> m = new java.util.HashMap<>();
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
    java.util.ArrayDeque<Map.Entry<String, HistoryId>> work = new java.util.ArrayDeque<>();
    // Collection calls reached forward through some of their elements hold those only.
    Map<HistoryId, Set<HistoryId>> reachedElements = new java.util.HashMap<>();
    Set<HistoryId> whole = new HashSet<>();
    for (String node : nodes) {
      Set<HistoryId> els = full.vars.containsKey(node) ? full.vars.get(node) : full.ops.get(node).calls;
      if (!full.vars.containsKey(node)) {
        whole.addAll(els);
      }
      for (HistoryId h : els) {
        work.add(Map.entry(node, h));
      }
    }
    while (!work.isEmpty()) {
      Map.Entry<String, HistoryId> item = work.poll();
      String node = item.getKey();
      HistoryId h = item.getValue();
      LinkedHashSet<HistoryId> vs = t.vars.get(node);
      if (vs != null) {
        if (!vs.add(h)) {
          continue;
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
      } else {
        OpNode n = t.ops.get(node);
        if (!n.calls.add(h)) {
          continue;
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
    }
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
    t.addCallRefs();
    return new ComputationFrame(t);
  }

  /** The induced subgraph on {@code keep}; elements copied or left empty. */
  private FrameState subgraph(Set<String> keep, boolean withElements) {
    FrameState t = new FrameState(s.u);
    s.vars.forEach((k, v) -> {
      if (keep.contains(k)) {
        t.vars.put(k, withElements ? new LinkedHashSet<>(v) : new LinkedHashSet<>());
      }
    });
    s.ops.forEach((k, v) -> {
      if (keep.contains(k)) {
        OpNode n = v.copy(withElements);
        n.in.values().removeIf(var -> !keep.contains(var));
        n.out.values().removeIf(var -> !keep.contains(var));
        t.ops.put(k, n);
      }
    });
    t.rows = FrameState.project(s.rows, keep);
    return t;
  }

  /**
   * Returns the subframe on the given nodes: the graph they induce, each keeping its elements. A
   * restricted frame's kept rows are cut to those nodes (equal cut rows given once).
   *
   * @throws IllegalArgumentException if a node does not exist
   */
  public ComputationFrame subframe(Collection<String> nodes) {
    for (String n : nodes) {
      checkNode(n);
    }
    return new ComputationFrame(subgraph(new HashSet<>(nodes), true));
  }

  /**
   * Returns the frame of the rows of {@link #toTable()} whose value in {@code variable} is one
   * of {@code refs}: evaluating it gives exactly those rows. The graph stays the same.
   *
   * @throws IllegalArgumentException if there is no such variable
   */
  public ComputationFrame whereRefs(String variable, Collection<? extends Ref<?>> refs) {
    var(variable);
    Set<HistoryId> ids = new HashSet<>();
    for (Ref<?> r : refs) {
      ids.add(r.historyId());
    }
    return whereRows(row -> ids.contains(row.historyId(variable)));
  }

  /**
   * Returns the frame of the rows whose value in {@code variable} satisfies {@code test}
   * (values are loaded; rows where the variable is empty are dropped).
   *
   * @throws IllegalArgumentException if there is no such variable
   */
  public ComputationFrame whereValue(String variable, Predicate<Object> test) {
    requireNonNull(test, "test");
    LinkedHashSet<HistoryId> ids = var(variable);
    Set<HistoryId> ok = new HashSet<>();
    for (HistoryId h : ids) {
      if (test.test(s.u.ref(h).value())) {
        ok.add(h);
      }
    }
    return whereRows(row -> ok.contains(row.historyId(variable)));
  }

  /**
   * Returns the frame of the rows whose call in operation node {@code node} satisfies
   * {@code test} (rows where the node is empty are dropped).
   *
   * @throws IllegalArgumentException if there is no such operation node
   */
  public ComputationFrame whereCall(String node, Predicate<? super Call> test) {
    requireNonNull(test, "test");
    op(node);
    return whereRows(row -> {
      Call c = row.call(node);
      return c != null && test.test(c);
    });
  }

  /**
   * Returns the frame of the rows whose call in operation node {@code node} has one of the
   * given versions ({@link Call#version()}), each given in full ({@code op.version()}, e.g.
   * {@code "1"} or {@code "code:8904f121002becc6ded35112e6dcac20"}) or in the short form
   * {@link FrameTable#toText()} prints ({@code "code:8904f121"}).
   *
   * @throws IllegalArgumentException if there is no such operation node or no version is given
   */
  public ComputationFrame whereVersion(String node, String... versions) {
    if (versions.length == 0) {
      throw new IllegalArgumentException("whereVersion(\"" + node + "\") needs at least one version.");
    }
    Set<String> vs = Set.of(versions);
    return whereCall(node, c -> vs.contains(c.version())
        || vs.contains(FrameTable.shortVersion(c.version())));
  }

  /**
   * Returns the frame of the rows of {@link #toTable()} that satisfy {@code keep}: it keeps those
   * rows and holds exactly their elements; the graph stays the same. Evaluating it gives exactly
   * those rows ({@code f.whereRows(p).toTable()} has the rows of {@code f.toTable().filter(p)}),
   * and restricting it again filters them again.
   */
  public ComputationFrame whereRows(Predicate<? super FrameTable.Row> keep) {
    requireNonNull(keep, "keep");
    FrameEvaluator ev = new FrameEvaluator(s);
    FrameTable table = new FrameTable(s.u, ev.columns, ev.isVar, ev.tableRows()).filter(keep);
    FrameState t = s.copy(s.u, false);
    t.rows = new LinkedHashSet<>();
    List<String> cols = table.columns();
    // Per column of a collection node whose elements port is connected: the column of that
    // variable, so each kept row holds its (call, element) pair and nothing more.
    int[] elementsCol = new int[cols.size()];
    for (int j = 0; j < cols.size(); j++) {
      OpNode n = ev.isVar[j] ? null : s.ops.get(cols.get(j));
      String w = n == null || !FrameUniverse.structural(n.op) ? null : n.in.get(FrameUniverse.ELEMENTS);
      elementsCol[j] = w == null ? -1 : cols.indexOf(w);
    }
    Map<String, Map<HistoryId, Set<HistoryId>>> pairs = new LinkedHashMap<>();
    for (FrameTable.Row row : table.rows()) {
      List<HistoryId> ids = row.historyIds();
      t.rows.add(FrameState.keptRow(cols, ids));
      for (int j = 0; j < cols.size(); j++) {
        HistoryId h = ids.get(j);
        if (h != null) {
          String c = cols.get(j);
          if (ev.isVar[j]) {
            t.vars.get(c).add(h);
          } else {
            t.ops.get(c).calls.add(h);
            if (elementsCol[j] >= 0) {
              Set<HistoryId> els = pairs.computeIfAbsent(c, k -> new java.util.HashMap<>())
                  .computeIfAbsent(h, k -> new HashSet<>());
              HistoryId e = ids.get(elementsCol[j]);
              if (e != null) {
                els.add(e);
              }
            }
          }
        }
      }
    }
    t.ops.forEach((k, n) -> {
      Map<HistoryId, Set<HistoryId>> p = pairs.get(k);
      for (HistoryId c : n.calls) {
        if (p != null) {
          t.hold(n, c, p.get(c));
        } else if (s.ops.get(k).held.containsKey(c)) {
          n.held.put(c, new LinkedHashSet<>(s.ops.get(k).held.get(c)));
        }
      }
    });
    return new ComputationFrame(t);
  }

  // ---- set operations ----

  /**
   * Returns the union: nodes matched by name, edges and elements united. Kept rows: if both
   * frames are restricted, the rows either keeps; if either is not, the union is not restricted
   * (its table is evaluated from the united elements).
   *
   * @throws IllegalArgumentException if a name is a variable in one frame and an operation in
   *     the other, names nodes of different ops, connects one port to different variables, the
   *     result has a cycle, or the frames read different storages
   */
  public ComputationFrame union(ComputationFrame other) {
    FrameState t = s.copy(FrameUniverse.merge(s.u, other.s.u), true);
    other.s.vars.forEach((k, v) -> {
      if (t.ops.containsKey(k)) {
        throw new IllegalArgumentException(kindClash(k));
      }
      t.vars.computeIfAbsent(k, x -> new LinkedHashSet<>()).addAll(v);
    });
    other.s.ops.forEach((k, o) -> {
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
    if (s.rows == null || other.s.rows == null) {
      t.rows = null;
    } else {
      t.rows.addAll(other.s.rows);
    }
    t.topologicalOrder();
    t.addCallRefs();
    return new ComputationFrame(t);
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

  /**
   * Returns the intersection: the nodes and edges both frames have (matched by name), each
   * node holding the elements both hold. Kept rows: those both keep; a frame that is not
   * restricted keeps every row, so the other frame's rows.
   *
   * @throws IllegalArgumentException if the frames read different storages
   */
  public ComputationFrame intersection(ComputationFrame other) {
    FrameState t = new FrameState(FrameUniverse.merge(s.u, other.s.u));
    s.vars.forEach((k, v) -> {
      LinkedHashSet<HistoryId> o = other.s.vars.get(k);
      if (o != null) {
        LinkedHashSet<HistoryId> both = new LinkedHashSet<>(v);
        both.retainAll(o);
        t.vars.put(k, both);
      }
    });
    s.ops.forEach((k, n) -> {
      OpNode o = other.s.ops.get(k);
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
    // Kept rows: those both keep; an unrestricted frame (null) keeps the other's.
    if (s.rows != null || other.s.rows != null) {
      t.rows = new LinkedHashSet<>(s.rows != null ? s.rows : other.s.rows);
      if (s.rows != null && other.s.rows != null) {
        t.rows.retainAll(other.s.rows);
      }
    }
    return new ComputationFrame(t);
  }

  /**
   * Returns the difference: this frame's graph, its operation nodes without the calls
   * {@code other} holds in the node of the same name, its variables without the values
   * {@code other} holds in the variable of the same name but with every value a remaining call
   * needs. So {@code a.difference(b).union(a.intersection(b))} equals {@code a}. If this frame is
   * restricted, it keeps its rows minus the rows {@code other}'s table is built from; evaluated,
   * each row shows only the elements the difference holds.
   *
   * @throws IllegalArgumentException if the frames read different storages
   */
  public ComputationFrame difference(ComputationFrame other) {
    FrameState t = s.copy(FrameUniverse.merge(s.u, other.s.u), true);
    t.vars.forEach((k, v) -> {
      LinkedHashSet<HistoryId> o = other.s.vars.get(k);
      if (o != null) {
        v.removeAll(o);
      }
    });
    t.ops.forEach((k, n) -> {
      OpNode o = other.s.ops.get(k);
      if (o != null && o.op.equals(n.op)) {
        for (java.util.Iterator<HistoryId> it = n.calls.iterator(); it.hasNext(); ) {
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
      t.rows.removeAll(other.rowSet());
    }
    return new ComputationFrame(t);
  }

  /**
   * Returns whether every node of this frame is in {@code other} (same name and kind, same op,
   * its port connections among the other's) holding at least this frame's elements, and, if
   * {@code other} is restricted, every row this frame's table is built from is one it keeps.
   */
  public boolean isSubframeOf(ComputationFrame other) {
    if (other.s.rows != null && !other.s.rows.containsAll(rowSet())) {
      return false;
    }
    for (Map.Entry<String, LinkedHashSet<HistoryId>> e : s.vars.entrySet()) {
      LinkedHashSet<HistoryId> o = other.s.vars.get(e.getKey());
      if (o == null || !o.containsAll(e.getValue())) {
        return false;
      }
    }
    for (Map.Entry<String, OpNode> e : s.ops.entrySet()) {
      OpNode n = e.getValue();
      OpNode o = other.s.ops.get(e.getKey());
      if (o == null || !o.op.equals(n.op) || !o.in.entrySet().containsAll(n.in.entrySet())
          || !o.out.entrySet().containsAll(n.out.entrySet()) || !o.calls.containsAll(n.calls)) {
        return false;
      }
      for (Map.Entry<HistoryId, LinkedHashSet<HistoryId>> h : o.held.entrySet()) {
        if (n.calls.contains(h.getKey())
            && !h.getValue().containsAll(Arrays.asList(s.heldElements(n, h.getKey())))) {
          return false;
        }
      }
    }
    return true;
  }

  // ---- evaluation ----

  /**
   * Evaluates the frame to a table: one row per partial computation, joined over shared
   * variables, with a column per variable (values, loaded lazily) and per operation node
   * (calls), and nulls where a branch was not taken. See cache/FRAMES.md for the exact rules.
   *
   * @throws IllegalArgumentException if the frame's graph has a cycle (possible only after
   *     {@link #union})
   */
  public FrameTable toTable() {
    FrameEvaluator ev = new FrameEvaluator(s);
    return new FrameTable(s.u, ev.columns, ev.isVar, ev.tableRows());
  }

  // ---- drawing ----

  /**
   * Returns the frame's graph as a composite computation: one computation per operation node
   * (operation named after the op, its connected ports in call order), variables as symbols
   * named after the frame's variables. Variables that no operation node touches are left out.
   *
   * @throws IllegalStateException if a variable has several producing nodes (a composite allows
   *     one); restrict the frame with {@link #subframe} first
   */
  public CompositeComputation toComposite() {
    Map<String, List<String>> producers = new LinkedHashMap<>();
    s.ops.forEach((k, n) -> n.out.values().forEach(v -> producers.computeIfAbsent(v, x -> new ArrayList<>()).add(k)));
    producers.forEach((v, ps) -> {
      if (ps.size() > 1) {
        throw new IllegalStateException("Variable '" + v + "' is produced by several operation nodes "
            + ps + "; a CompositeComputation allows one. Take a subframe without all but one of them.");
      }
    });
    List<Computation> cs = new ArrayList<>();
    for (String k : s.topologicalOrder()) {
      OpNode n = s.ops.get(k);
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

  /**
   * Returns a readable listing: one line per operation node in topological order, like
   * {@code y = inc(x)} or {@code lo, hi = minmax(a, b)} (the node's name is added in brackets
   * when it differs from the op's), then the variables no node touches.
   */
  public String listing() {
    StringBuilder sb = new StringBuilder();
    Set<String> touched = new HashSet<>();
    for (String k : s.topologicalOrder()) {
      OpNode n = s.ops.get(k);
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
    for (String v : s.vars.keySet()) {
      if (!touched.contains(v)) {
        sb.append(v).append('\n');
      }
    }
    return sb.toString();
  }

  /** Returns the graph in Graphviz DOT: variables as ellipses, operation nodes as boxes, with element counts. */
  public String toDot() {
    StringBuilder sb = new StringBuilder("digraph frame {\n  rankdir=LR;\n");
    Map<String, String> ids = ids();
    s.vars.forEach((k, v) -> sb.append("  ").append(ids.get(k)).append(" [shape=ellipse, label=\"")
        .append(escape(k)).append("\\n").append(v.size()).append(" values\"];\n"));
    s.ops.forEach((k, n) -> {
      sb.append("  ").append(ids.get(k)).append(" [shape=box, label=\"").append(escape(label(k, n)))
          .append("\\n").append(n.calls.size()).append(" calls\"];\n");
      n.in.forEach((p, v) -> sb.append("  ").append(ids.get(v)).append(" -> ").append(ids.get(k))
          .append(" [label=\"").append(escape(p)).append("\"];\n"));
      n.out.forEach((p, v) -> sb.append("  ").append(ids.get(k)).append(" -> ").append(ids.get(v))
          .append(" [label=\"").append(escape(p)).append("\"];\n"));
    });
    return sb.append("}\n").toString();
  }

  /** Returns the graph as a Mermaid flowchart: variables rounded, operation nodes as boxes, with element counts. */
  public String toMermaid() {
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    Map<String, String> ids = ids();
    s.vars.forEach((k, v) -> sb.append("  ").append(ids.get(k)).append("([\"").append(mermaid(k))
        .append("<br/>").append(v.size()).append(" values\"])\n"));
    s.ops.forEach((k, n) -> {
      sb.append("  ").append(ids.get(k)).append("[\"").append(mermaid(label(k, n))).append("<br/>")
          .append(n.calls.size()).append(" calls\"]\n");
      n.in.forEach((p, v) -> sb.append("  ").append(ids.get(v)).append(" -- \"").append(mermaid(p))
          .append("\" --> ").append(ids.get(k)).append('\n'));
      n.out.forEach((p, v) -> sb.append("  ").append(ids.get(k)).append(" -- \"").append(mermaid(p))
          .append("\" --> ").append(ids.get(v)).append('\n'));
    });
    return sb.toString();
  }

  private static String label(String name, OpNode n) {
    return name.equals(n.op) ? name : name + ": " + n.op;
  }

  private Map<String, String> ids() {
    Map<String, String> ids = new LinkedHashMap<>();
    s.vars.keySet().forEach(k -> ids.put(k, "v" + ids.size()));
    s.ops.keySet().forEach(k -> ids.put(k, "op" + ids.size()));
    return ids;
  }

  private static String escape(String x) {
    return x.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String mermaid(String x) {
    return x.replace("\"", "#quot;");
  }

  // ---- deletion ----

  /**
   * Deletes every call in this frame and every stored call that depends on them (consumed one
   * of their outputs, transitively), then removes the values no remaining call references.
   * Running the deleted calls again executes them. Delete while no session writes.
   *
   * @return how many calls and values were removed
   */
  public Deletion delete() {
    int calls = s.u.storage.delete(allCalls(), true);
    long values = s.u.storage.cleanup();
    return new Deletion(calls, values);
  }

  /**
   * What {@link #delete()} removed.
   *
   * @param calls the number of calls deleted (the frame's and their dependents)
   * @param values the number of values no call referenced any more, removed
   */
  public record Deletion(int calls, long values) {}

  // ---- object ----

  /**
   * Equal when both have the same nodes, connections and elements, and their tables are built
   * from the same rows: the kept rows of a restricted frame, the evaluated rows of another (so a
   * union of restrictions that keeps every row of a frame equals it). The storage is not compared.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof ComputationFrame f && s.equals(f.s)
        && (s.rows == null && f.s.rows == null || rowSet().equals(f.rowSet()));
  }

  @Override
  public int hashCode() {
    return s.hashCode();
  }

  /** Returns a summary (counts) followed by the {@linkplain #listing() listing}. */
  @Override
  public String toString() {
    return "ComputationFrame with " + s.vars.size() + " variable(s) (" + valueCount() + " values), "
        + s.ops.size() + " operation(s) (" + callCount() + " calls)\n" + listing();
  }
}
