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
import io.memoflow.dag.GraphText;
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
    return new ComputationFrame(FrameState.ofOp(new FrameUniverse(storage), op));
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
    return new ComputationFrame(FrameState.ofVariables(new FrameUniverse(storage), refs));
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
    return s.opNode(node).op;
  }

  /** Returns an operation node's input ports and the variables they read (unmodifiable). */
  public Map<String, String> inputsOf(String node) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(s.opNode(node).in));
  }

  /** Returns an operation node's output ports and the variables they write (unmodifiable). */
  public Map<String, String> outputsOf(String node) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(s.opNode(node).out));
  }

  /**
   * Returns the history ids of a variable's values (unmodifiable snapshot, insertion order).
   *
   * @throws IllegalArgumentException if there is no such variable
   */
  public Set<HistoryId> historyIds(String variable) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(s.variable(variable)));
  }

  /** Returns a variable's values as refs (values load lazily), in insertion order. */
  public List<Ref<?>> refs(String variable) {
    List<Ref<?>> out = new ArrayList<>();
    for (HistoryId h : s.variable(variable)) {
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
    for (HistoryId h : s.opNode(node).calls) {
      out.add(s.u.call(h).call());
    }
    return out;
  }

  /** Returns the history ids of an operation node's calls (unmodifiable snapshot). */
  public Set<HistoryId> callIds(String node) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(s.opNode(node).calls));
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

  /**
   * Returns this frame with node {@code from} named {@code to}.
   *
   * @throws IllegalArgumentException if {@code from} does not exist or {@code to} is taken or blank
   */
  public ComputationFrame rename(String from, String to) {
    s.checkNode(from);
    requireNonNull(to, "to");
    if (to.isBlank() || s.has(to)) {
      throw new IllegalArgumentException("Cannot rename '" + from + "' to '" + to + "': "
          + (to.isBlank() ? "the name is blank" : "a node of that name exists") + ". Pick another name.");
    }
    return new ComputationFrame(s.renamed(from, to));
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
      s.variable(v);
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
      s.checkNode(n);
    }
    return new ComputationFrame(new DirectedRestriction(s, nodes, forward).run());
  }

  /**
   * Returns the subframe on the given nodes: the graph they induce, each keeping its elements. A
   * restricted frame's kept rows are cut to those nodes (equal cut rows given once).
   *
   * @throws IllegalArgumentException if a node does not exist
   */
  public ComputationFrame subframe(Collection<String> nodes) {
    for (String n : nodes) {
      s.checkNode(n);
    }
    return new ComputationFrame(s.subgraph(new HashSet<>(nodes), true));
  }

  /**
   * Returns the frame of the rows of {@link #toTable()} whose value in {@code variable} is one
   * of {@code refs}: evaluating it gives exactly those rows. The graph stays the same.
   *
   * @throws IllegalArgumentException if there is no such variable
   */
  public ComputationFrame whereRefs(String variable, Collection<? extends Ref<?>> refs) {
    s.variable(variable);
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
    LinkedHashSet<HistoryId> ids = s.variable(variable);
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
    s.opNode(node);
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
    return new ComputationFrame(RowRestriction.keep(s, keep));
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
    return new ComputationFrame(FrameSetAlgebra.union(s, other.s));
  }

  /**
   * Returns the intersection: the nodes and edges both frames have (matched by name), each
   * node holding the elements both hold. Kept rows: those both keep; a frame that is not
   * restricted keeps every row, so the other frame's rows.
   *
   * @throws IllegalArgumentException if the frames read different storages
   */
  public ComputationFrame intersection(ComputationFrame other) {
    return new ComputationFrame(FrameSetAlgebra.intersection(s, other.s));
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
    return new ComputationFrame(FrameSetAlgebra.difference(s, other.s, other::rowSet));
  }

  /**
   * Returns whether every node of this frame is in {@code other} (same name and kind, same op,
   * its port connections among the other's) holding at least this frame's elements, and, if
   * {@code other} is restricted, every row this frame's table is built from is one it keeps.
   */
  public boolean isSubframeOf(ComputationFrame other) {
    return FrameSetAlgebra.isSubframe(s, this::rowSet, other.s);
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
    return s.toComposite();
  }

  /**
   * Returns a readable listing: one line per operation node in topological order, like
   * {@code y = inc(x)} or {@code lo, hi = minmax(a, b)} (the node's name is added in brackets
   * when it differs from the op's), then the variables no node touches.
   */
  public String listing() {
    return s.listing();
  }

  /** Returns the graph in Graphviz DOT: variables as ellipses, operation nodes as boxes, with element counts. */
  public String toDot() {
    return graphText().toDot();
  }

  /** Returns the graph as a Mermaid flowchart: variables rounded, operation nodes as boxes, with element counts. */
  public String toMermaid() {
    return graphText().toMermaid();
  }

  /**
   * Returns the graph as a standalone SVG drawing (see {@link GraphText#toSvg()}): variables as
   * ellipses, operation nodes as boxes, with element counts.
   */
  public String toSvg() {
    return graphText().toSvg();
  }

  /** The frame as a graph of variables and operation nodes, for the one DOT/Mermaid/SVG writer. */
  private GraphText graphText() {
    Map<String, String> ids = ids();
    GraphText.Builder b = GraphText.builder().name("frame");
    s.vars.forEach((k, v) -> b.variable(ids.get(k), k + "\n" + v.size() + (v.size() == 1 ? " value" : " values")));
    s.ops.forEach((k, n) -> {
      b.operation(ids.get(k), label(k, n) + "\n" + n.calls.size()
          + (n.calls.size() == 1 ? " call" : " calls"));
      n.in.forEach((p, v) -> b.edge(ids.get(v), ids.get(k), p));
      n.out.forEach((p, v) -> b.edge(ids.get(k), ids.get(v), p));
    });
    return b.build();
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
