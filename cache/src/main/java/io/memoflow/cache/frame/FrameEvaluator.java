package io.memoflow.cache.frame;

import io.memoflow.cache.frame.FrameState.OpNode;
import io.memoflow.cache.frame.FrameUniverse.CallInfo;
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
 * Overview: turning a frame into a table of partial computations.
 *
 * Columns are the frame's nodes in topological order; a row holds, per column, one value
 * (history id of a ref) or one call, or null. Because a value has exactly one creator call,
 * the history of an element (everything upstream of it in the frame) is determined: walking
 * backward from a value picks the call that created it in a node producing its variable, from
 * a call the values at its connected input ports. Choices only arise where a port holds several
 * values (the elements of a collection: one row per element) or a variable has several
 * producing nodes holding the creator; every choice gives its own row. A step that would
 * contradict the row (the frame's graph joins two variables the call graph keeps apart) is
 * skipped; the skipped element is then seeded on its own below, so every element of the frame
 * appears in some row and every row is consistent.
 *
 * Seeds: elements are visited from the most downstream column up; each element no row covers
 * yet seeds the rows of its history. The seed rows are then joined into the maximal consistent
 * unions of seed rows linked by shared values (see joinAll): so branches that were not taken
 * stay null, each row is the union of histories that fit together, a seed that fits several
 * rows appears in each of them, and the result does not depend on the order of the seeds.
 *
 * A restricted frame (one with kept rows, FrameState.rows) is not evaluated this way: its table
 * is its kept rows, each cell kept only if the frame holds that element (see keptRows).
 *
 * Cost: linear in elements and rows where seed rows never disagree (each group of linked seeds
 * is one row); where they do, exponential at worst in the disagreeing seeds of one group.
 */
final class FrameEvaluator {
  private final FrameState s;
  private final FrameUniverse u;
  final List<String> columns;
  final boolean[] isVar;
  private final int n;
  private final String[][] inPorts;
  private final int[][] inVars;
  private final String[][] outPorts;
  private final int[][] outVars;
  private final List<int[]> producers; // var col -> [opCol...]
  private final List<String[]> producerPorts;
  private final Map<Integer, Map<HistoryId, HistoryId>> outIndex = new HashMap<>();

  FrameEvaluator(FrameState s) {
    this.s = s;
    this.u = s.u;
    this.columns = s.topologicalOrder();
    this.n = columns.size();
    Map<String, Integer> idx = new HashMap<>();
    for (int i = 0; i < n; i++) {
      idx.put(columns.get(i), i);
    }
    isVar = new boolean[n];
    inPorts = new String[n][];
    inVars = new int[n][];
    outPorts = new String[n][];
    outVars = new int[n][];
    producers = new ArrayList<>(n);
    producerPorts = new ArrayList<>(n);
    List<List<Integer>> prodTmp = new ArrayList<>();
    List<List<String>> prodPortTmp = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      isVar[i] = s.vars.containsKey(columns.get(i));
      prodTmp.add(new ArrayList<>());
      prodPortTmp.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      if (isVar[i]) {
        continue;
      }
      OpNode node = s.ops.get(columns.get(i));
      inPorts[i] = node.in.keySet().toArray(new String[0]);
      inVars[i] = node.in.values().stream().mapToInt(idx::get).toArray();
      outPorts[i] = node.out.keySet().toArray(new String[0]);
      outVars[i] = node.out.values().stream().mapToInt(idx::get).toArray();
      for (int k = 0; k < outPorts[i].length; k++) {
        prodTmp.get(outVars[i][k]).add(i);
        prodPortTmp.get(outVars[i][k]).add(outPorts[i][k]);
      }
      Map<HistoryId, HistoryId> oi = new HashMap<>(node.calls.size() * 2);
      for (HistoryId c : node.calls) {
        CallInfo ci = u.call(c);
        for (HistoryId r : ci.outRefs) {
          oi.put(r, c);
        }
      }
      outIndex.put(i, oi);
    }
    for (int i = 0; i < n; i++) {
      producers.add(prodTmp.get(i).stream().mapToInt(Integer::intValue).toArray());
      producerPorts.add(prodPortTmp.get(i).toArray(new String[0]));
    }
  }

  Set<HistoryId> elements(int col) {
    String name = columns.get(col);
    return isVar[col] ? s.vars.get(name) : s.ops.get(name).calls;
  }

  /**
   * Returns the frame's table rows: its kept rows if a restriction made it, else the rows
   * evaluated from its elements.
   */
  List<HistoryId[]> tableRows() {
    return s.rows == null ? rows() : keptRows();
  }

  /**
   * The kept rows in column order, in the order they were kept. A cell stays only where the
   * frame holds the element (and, for a collection call, holds it for that row's element): a
   * difference may have taken elements out of a kept row. Rows left empty are dropped, equal
   * ones given once.
   */
  private List<HistoryId[]> keptRows() {
    int[] elementsVar = new int[n];
    for (int j = 0; j < n; j++) {
      elementsVar[j] = -1;
      for (int k = 0; !isVar[j] && k < inPorts[j].length; k++) {
        if (inPorts[j][k].equals(FrameUniverse.ELEMENTS)) {
          elementsVar[j] = inVars[j][k];
        }
      }
    }
    LinkedHashSet<List<HistoryId>> out = new LinkedHashSet<>();
    for (Map<String, HistoryId> kept : s.rows) {
      HistoryId[] row = new HistoryId[n];
      for (int j = 0; j < n; j++) {
        HistoryId h = kept.get(columns.get(j));
        if (h != null && elements(j).contains(h)) {
          row[j] = h;
        }
      }
      for (int j = 0; j < n; j++) {
        int w = elementsVar[j];
        if (w >= 0 && row[j] != null && row[w] != null) {
          Set<HistoryId> part = s.ops.get(columns.get(j)).held.get(row[j]);
          if (part != null && !part.contains(row[w])) {
            row[j] = null;
          }
        }
      }
      if (Arrays.stream(row).anyMatch(java.util.Objects::nonNull)) {
        out.add(Arrays.asList(row));
      }
    }
    List<HistoryId[]> rows = new ArrayList<>(out.size());
    for (List<HistoryId> r : out) {
      rows.add(r.toArray(new HistoryId[0]));
    }
    return rows;
  }

  /** Returns the rows evaluated from the frame's elements: one array per row, one history id or null per column. */
  List<HistoryId[]> rows() {
    // Columns are visited once each, from the last: a row seeded at column col only needs to
    // mark what it covers in the columns still to visit (j < col).
    List<Set<HistoryId>> covered = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      covered.add(new HashSet<>(Math.max(16, elements(i).size() * 4 / 3 + 1)));
    }
    Map<Integer, List<HistoryId[]>> tables = new LinkedHashMap<>();
    for (int col = n - 1; col >= 0; col--) {
      Set<HistoryId> cov = covered.get(col);
      for (HistoryId e : elements(col)) {
        if (cov.contains(e)) {
          continue;
        }
        for (HistoryId[] row : history(col, e)) {
          tables.computeIfAbsent(col, k -> new ArrayList<>()).add(row);
          boolean[] truncated = truncated(row, col);
          for (int j = 0; j < col; j++) {
            if (row[j] != null && !truncated[j]) {
              covered.get(j).add(row[j]);
            }
          }
        }
      }
    }
    return joinAll(new ArrayList<>(tables.values()));
  }

  /**
   * Marks, for the columns before {@code upTo}, the elements of {@code row} whose history in the
   * row is cut short: a value whose creator the frame holds but the row does not (the step
   * contradicted the row and was skipped), or anything downstream of such a value. Such an
   * element is not covered by the row: it is seeded with its own full history, so that where it
   * is seeded, and so the table, does not depend on other elements that a restriction may drop.
   */
  private boolean[] truncated(HistoryId[] row, int upTo) {
    boolean[] cut = new boolean[n];
    for (int j = 0; j < upTo; j++) {
      HistoryId id = row[j];
      if (id == null) {
        continue;
      }
      if (!isVar[j]) {
        for (int w : inVars[j]) {
          cut[j] |= row[w] != null && cut[w];
        }
        continue;
      }
      int[] prods = producers.get(j);
      String[] ports = producerPorts.get(j);
      boolean created = false;
      boolean inRow = false;
      for (int k = 0; k < prods.length && !inRow; k++) {
        HistoryId c = outIndex.get(prods[k]).get(id);
        if (c != null && ports[k].equals(u.call(c).outPortOf(id))) {
          created = true;
          if (c.equals(row[prods[k]])) {
            inRow = true;
            cut[j] = cut[prods[k]];
          }
        }
      }
      if (created && !inRow) {
        cut[j] = true;
      }
    }
    return cut;
  }

  // ---- histories ----

  private static final class Partial {
    final HistoryId[] row;
    final ArrayDeque<Integer> pending;

    Partial(HistoryId[] row, ArrayDeque<Integer> pending) {
      this.row = row;
      this.pending = pending;
    }

    Partial copy() {
      return new Partial(row.clone(), new ArrayDeque<>(pending));
    }
  }

  /** Returns the rows of the history of element {@code id} of column {@code col}. */
  List<HistoryId[]> history(int col, HistoryId id) {
    List<HistoryId[]> out = new ArrayList<>(1);
    ArrayDeque<Partial> work = new ArrayDeque<>();
    Partial start = new Partial(new HistoryId[n], new ArrayDeque<>(4));
    if (isVar[col]) {
      start.row[col] = id;
      start.pending.push(col);
      work.push(start);
    } else {
      work.addAll(place(start, col, id, false));
    }
    while (!work.isEmpty()) {
      Partial p = work.pop();
      if (p.pending.isEmpty()) {
        out.add(p.row);
        continue;
      }
      int v = p.pending.pop();
      HistoryId r = p.row[v];
      int[] prods = producers.get(v);
      String[] ports = producerPorts.get(v);
      List<Integer> optCols = new ArrayList<>(1);
      List<HistoryId> optCalls = new ArrayList<>(1);
      boolean satisfied = false;
      for (int k = 0; k < prods.length; k++) {
        HistoryId c = outIndex.get(prods[k]).get(r);
        if (c != null && ports[k].equals(u.call(c).outPortOf(r))) {
          if (c.equals(p.row[prods[k]])) {
            satisfied = true;
          }
          optCols.add(prods[k]);
          optCalls.add(c);
        }
      }
      if (satisfied || optCols.isEmpty()) {
        work.push(p);
        continue;
      }
      List<Partial> next = new ArrayList<>(1);
      boolean copy = optCols.size() > 1;
      for (int k = 0; k < optCols.size(); k++) {
        next.addAll(place(p, optCols.get(k), optCalls.get(k), copy));
      }
      if (next.isEmpty()) {
        work.push(p);
      } else {
        work.addAll(next);
      }
    }
    return out;
  }

  /** Puts call {@code c} in column {@code op} of {@code p}: one partial per choice, none if it contradicts. */
  private List<Partial> place(Partial p, int op, HistoryId c, boolean copy) {
    if (p.row[op] != null && !p.row[op].equals(c)) {
      return List.of();
    }
    CallInfo ci = u.call(c);
    for (int k = 0; k < outPorts[op].length; k++) {
      HistoryId r = ci.out(outPorts[op][k]);
      int w = outVars[op][k];
      if (r != null && p.row[w] != null && !p.row[w].equals(r)) {
        return List.of();
      }
    }
    List<Integer> choiceVars = new ArrayList<>(0);
    List<HistoryId[]> choices = new ArrayList<>(0);
    int branches = 1;
    for (int k = 0; k < inPorts[op].length; k++) {
      HistoryId[] refs = ci.in(inPorts[op][k]);
      int w = inVars[op][k];
      if (refs.length > 1) {
        refs = present(op, c, refs, w);
      }
      if (refs.length == 0) {
        continue;
      }
      if (p.row[w] != null) {
        if (!Arrays.asList(refs).contains(p.row[w])) {
          return List.of();
        }
        continue;
      }
      choiceVars.add(w);
      choices.add(refs);
      branches *= refs.length;
    }
    List<Partial> out = new ArrayList<>(branches);
    for (int b = 0; b < branches; b++) {
      Partial q = copy || branches > 1 ? p.copy() : p;
      q.row[op] = c;
      for (int k = 0; k < outPorts[op].length; k++) {
        HistoryId r = ci.out(outPorts[op][k]);
        if (r != null) {
          q.row[outVars[op][k]] = r;
        }
      }
      boolean ok = true;
      int rest = b;
      for (int k = 0; k < choiceVars.size() && ok; k++) {
        HistoryId[] refs = choices.get(k);
        HistoryId r = refs[rest % refs.length];
        rest /= refs.length;
        int w = choiceVars.get(k);
        if (q.row[w] == null) {
          q.row[w] = r;
          q.pending.push(w);
        } else if (!q.row[w].equals(r)) {
          ok = false;
        }
      }
      if (ok) {
        out.add(q);
      }
    }
    return out;
  }

  /**
   * The refs of a collection port that call {@code c} of column {@code op} holds and the frame's
   * variable has (a restricted frame may hold a collection call for some elements only).
   */
  private HistoryId[] present(int op, HistoryId c, HistoryId[] refs, int var) {
    Set<HistoryId> els = elements(var);
    Set<HistoryId> part = s.ops.get(columns.get(op)).held.get(c);
    return Arrays.stream(refs).filter(r -> els.contains(r) && (part == null || part.contains(r)))
        .toArray(HistoryId[]::new);
  }

  // ---- joins ----

  /**
   * Joins the seed rows into the maximal consistent unions of seed rows linked by shared values.
   * A set of seed rows is a candidate when its rows agree pairwise wherever both have a value and
   * each is linked to the others through a chain of rows sharing a value; the table holds the
   * union of every candidate that no further seed row can join. The result depends only on the
   * set of seed rows, never on the order they are seeded or joined in, so restricting a frame
   * gives the rows of the full table that the restriction keeps.
   *
   * Seeds are grouped into components of rows linked by shared values. A component whose rows
   * never disagree is one row. Otherwise the unions are enumerated from each conflicting seed
   * (every maximal union holds one), adding linked compatible seeds; a seed that disagrees with
   * no seed of its component is always added (every maximal union it can join holds it), a
   * conflicting one is tried both ways, and a union that an excluded seed could still join is
   * not maximal and dropped.
   */
  private List<HistoryId[]> joinAll(List<List<HistoryId[]>> tables) {
    LinkedHashSet<List<HistoryId>> distinct = new LinkedHashSet<>();
    for (List<HistoryId[]> t : tables) {
      for (HistoryId[] r : t) {
        distinct.add(Arrays.asList(r));
      }
    }
    List<HistoryId[]> seeds = new ArrayList<>(distinct.size());
    for (List<HistoryId> r : distinct) {
      seeds.add(r.toArray(new HistoryId[0]));
    }
    Map<Cell, List<Integer>> byCell = new HashMap<>();
    for (int i = 0; i < seeds.size(); i++) {
      HistoryId[] r = seeds.get(i);
      for (int j = 0; j < n; j++) {
        if (r[j] != null) {
          byCell.computeIfAbsent(new Cell(j, r[j]), k -> new ArrayList<>(1)).add(i);
        }
      }
    }
    int[] comp = components(seeds, byCell);
    Map<Integer, List<Integer>> members = new LinkedHashMap<>();
    for (int i = 0; i < seeds.size(); i++) {
      members.computeIfAbsent(comp[i], k -> new ArrayList<>()).add(i);
    }
    boolean[] conflicting = new boolean[seeds.size()];
    List<HistoryId[]> out = new ArrayList<>();
    for (List<Integer> m : members.values()) {
      List<Map<HistoryId, Integer>> valuesPerCol = new ArrayList<>(n);
      for (int j = 0; j < n; j++) {
        valuesPerCol.add(new HashMap<>(2));
      }
      for (int i : m) {
        HistoryId[] r = seeds.get(i);
        for (int j = 0; j < n; j++) {
          if (r[j] != null) {
            valuesPerCol.get(j).merge(r[j], 1, Integer::sum);
          }
        }
      }
      List<Integer> starts = new ArrayList<>();
      for (int i : m) {
        HistoryId[] r = seeds.get(i);
        for (int j = 0; j < n && !conflicting[i]; j++) {
          conflicting[i] = r[j] != null && valuesPerCol.get(j).size() > 1;
        }
        if (conflicting[i]) {
          starts.add(i);
        }
      }
      if (starts.isEmpty()) {
        HistoryId[] row = new HistoryId[n];
        for (int i : m) {
          merge(row, seeds.get(i));
        }
        out.add(row);
        continue;
      }
      Set<Integer> excluded = new HashSet<>();
      for (int st : starts) {
        Set<Integer> in = new HashSet<>();
        in.add(st);
        expand(seeds.get(st).clone(), in, new HashSet<>(excluded), seeds, byCell, conflicting, out);
        excluded.add(st);
      }
    }
    return out;
  }

  private record Cell(int col, HistoryId id) {}

  /** Labels each seed with its component: seeds sharing a value are in the same one. */
  private int[] components(List<HistoryId[]> seeds, Map<Cell, List<Integer>> byCell) {
    int[] parent = new int[seeds.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    for (List<Integer> same : byCell.values()) {
      int a = find(parent, same.get(0));
      for (int k = 1; k < same.size(); k++) {
        int b = find(parent, same.get(k));
        if (a != b) {
          parent[Math.max(a, b)] = Math.min(a, b);
          a = Math.min(a, b);
        }
      }
    }
    for (int i = 0; i < parent.length; i++) {
      parent[i] = find(parent, i);
    }
    return parent;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** Grows the union {@code row} of seeds {@code in} to every maximal union, added to {@code out}. */
  private void expand(HistoryId[] row, Set<Integer> in, Set<Integer> excluded, List<HistoryId[]> seeds,
      Map<Cell, List<Integer>> byCell, boolean[] conflicting, List<HistoryId[]> out) {
    while (true) {
      int pick = -1;
      boolean anyExcludedFits = false;
      for (int j = 0; j < n && pick < 0; j++) {
        if (row[j] == null) {
          continue;
        }
        for (int i : byCell.get(new Cell(j, row[j]))) {
          if (in.contains(i) || !compatible(row, seeds.get(i))) {
            continue;
          }
          if (excluded.contains(i)) {
            anyExcludedFits = true;
            continue;
          }
          pick = i;
          break;
        }
      }
      if (pick < 0) {
        if (!anyExcludedFits) {
          out.add(row);
        }
        return;
      }
      if (conflicting[pick]) {
        Set<Integer> inWith = new HashSet<>(in);
        inWith.add(pick);
        HistoryId[] rowWith = row.clone();
        merge(rowWith, seeds.get(pick));
        expand(rowWith, inWith, new HashSet<>(excluded), seeds, byCell, conflicting, out);
        excluded.add(pick);
      } else {
        in.add(pick);
        merge(row, seeds.get(pick));
      }
    }
  }

  private boolean compatible(HistoryId[] a, HistoryId[] b) {
    for (int j = 0; j < n; j++) {
      if (a[j] != null && b[j] != null && !a[j].equals(b[j])) {
        return false;
      }
    }
    return true;
  }

  private void merge(HistoryId[] into, HistoryId[] from) {
    for (int j = 0; j < n; j++) {
      if (into[j] == null) {
        into[j] = from[j];
      }
    }
  }
}
