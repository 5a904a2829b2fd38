package io.memoflow.cache;

import io.memoflow.cache.FrameState.OpNode;
import io.memoflow.cache.FrameUniverse.CallInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
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
 * yet seeds the rows of its history. These rows are grouped into one table per seed column,
 * and the tables are then joined by a full outer join whose match condition is "agree wherever
 * both rows have a value, and share at least one value" (a hash join per pattern of nulls on
 * the shared columns), tables sharing columns with what is already joined first. So branches
 * that were not taken stay null, and each row is the union of histories that fit together.
 *
 * Cost: linear in elements and rows for frames whose ports hold one value each (the hash join
 * builds one index per pattern of nulls), plus the size of the output.
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

  /** Returns the table's rows: one array per row, one history id or null per column. */
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

  private List<HistoryId[]> joinAll(List<List<HistoryId[]>> tables) {
    List<HistoryId[]> acc = new ArrayList<>();
    BitSet accCols = new BitSet(n);
    List<BitSet> cols = new ArrayList<>();
    for (List<HistoryId[]> t : tables) {
      cols.add(columnsOf(t));
    }
    boolean[] used = new boolean[tables.size()];
    for (int step = 0; step < tables.size(); step++) {
      int pick = -1;
      for (int i = 0; i < tables.size() && pick < 0; i++) {
        if (!used[i] && cols.get(i).intersects(accCols)) {
          pick = i;
        }
      }
      for (int i = 0; i < tables.size() && pick < 0; i++) {
        if (!used[i]) {
          pick = i;
        }
      }
      used[pick] = true;
      acc = join(acc, accCols, tables.get(pick), cols.get(pick));
      accCols.or(cols.get(pick));
    }
    if (tables.size() <= 1) {
      return acc; // rows of one table come from distinct seeds of one column: no duplicates
    }
    LinkedHashSet<List<HistoryId>> distinct = new LinkedHashSet<>();
    List<HistoryId[]> out = new ArrayList<>(acc.size());
    for (HistoryId[] r : acc) {
      if (distinct.add(Arrays.asList(r))) {
        out.add(r);
      }
    }
    return out;
  }

  private BitSet columnsOf(List<HistoryId[]> rows) {
    BitSet b = new BitSet(n);
    for (HistoryId[] r : rows) {
      for (int j = 0; j < n; j++) {
        if (r[j] != null) {
          b.set(j);
        }
      }
    }
    return b;
  }

  private record PatternKey(BitSet pattern, BitSet key) {}

  /** Full outer join: rows agreeing wherever both have a value and sharing one are merged. */
  private List<HistoryId[]> join(List<HistoryId[]> a, BitSet colsA, List<HistoryId[]> b,
      BitSet colsB) {
    BitSet commonSet = (BitSet) colsA.clone();
    commonSet.and(colsB);
    if (a.isEmpty() || commonSet.isEmpty()) {
      List<HistoryId[]> out = new ArrayList<>(a);
      out.addAll(b);
      return out;
    }
    int[] common = commonSet.stream().toArray();
    Map<BitSet, List<Integer>> byPattern = new LinkedHashMap<>();
    for (int i = 0; i < a.size(); i++) {
      byPattern.computeIfAbsent(pattern(a.get(i), common), k -> new ArrayList<>()).add(i);
    }
    Map<PatternKey, Map<List<HistoryId>, List<Integer>>> indexes = new HashMap<>();
    List<List<HistoryId[]>> mergedOf = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      mergedOf.add(null);
    }
    List<HistoryId[]> unmatchedB = new ArrayList<>();
    for (HistoryId[] rb : b) {
      BitSet q = pattern(rb, common);
      boolean matched = false;
      for (Map.Entry<BitSet, List<Integer>> e : byPattern.entrySet()) {
        BitSet k = (BitSet) e.getKey().clone();
        k.and(q);
        if (k.isEmpty()) {
          continue;
        }
        Map<List<HistoryId>, List<Integer>> index = indexes.computeIfAbsent(
            new PatternKey(e.getKey(), k), pk -> {
              Map<List<HistoryId>, List<Integer>> m = new HashMap<>();
              for (int ai : e.getValue()) {
                m.computeIfAbsent(project(a.get(ai), common, pk.key()), x -> new ArrayList<>(1)).add(ai);
              }
              return m;
            });
        List<Integer> hits = index.get(project(rb, common, k));
        if (hits == null) {
          continue;
        }
        for (int ai : hits) {
          HistoryId[] m = a.get(ai).clone();
          for (int j = 0; j < n; j++) {
            if (m[j] == null) {
              m[j] = rb[j];
            }
          }
          if (mergedOf.get(ai) == null) {
            mergedOf.set(ai, new ArrayList<>(1));
          }
          mergedOf.get(ai).add(m);
          matched = true;
        }
      }
      if (!matched) {
        unmatchedB.add(rb);
      }
    }
    List<HistoryId[]> out = new ArrayList<>(a.size() + unmatchedB.size());
    for (int i = 0; i < a.size(); i++) {
      if (mergedOf.get(i) == null) {
        out.add(a.get(i));
      } else {
        out.addAll(mergedOf.get(i));
      }
    }
    out.addAll(unmatchedB);
    return out;
  }

  private static BitSet pattern(HistoryId[] row, int[] common) {
    BitSet p = new BitSet(common.length);
    for (int k = 0; k < common.length; k++) {
      if (row[common[k]] != null) {
        p.set(k);
      }
    }
    return p;
  }

  private static List<HistoryId> project(HistoryId[] row, int[] common, BitSet key) {
    HistoryId[] p = new HistoryId[key.cardinality()];
    int i = 0;
    for (int k = key.nextSetBit(0); k >= 0; k = key.nextSetBit(k + 1)) {
      p[i++] = row[common[k]];
    }
    return Arrays.asList(p);
  }
}
