package io.memoflow.cache.frame;

import io.memoflow.cache.frame.FrameState.OpNode;
import io.memoflow.cache.spi.HistoryId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Restricts a frame state to the rows of its table that pass a test: the result keeps those rows
 * and holds exactly their elements (a collection call only the elements its kept rows pair it
 * with). See {@link ComputationFrame#whereRows}. Stateless.
 */
final class RowRestriction {
  private RowRestriction() {}

  /** Returns {@code s} restricted to the rows of its table that satisfy {@code keep}. */
  static FrameState keep(FrameState s, Predicate<? super FrameTable.Row> keep) {
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
              Set<HistoryId> els = pairs.computeIfAbsent(c, k -> new HashMap<>())
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
    return t;
  }
}
