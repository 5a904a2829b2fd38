package io.memoflow.cache.internal;

import io.memoflow.cache.HistoryId;
import io.memoflow.cache.spi.CallRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/*
 * Overview: the provenance edges of the call graph, in memory: "output ref -> creator call",
 * "input ref -> consumer calls", "op -> calls". Nothing of this is stored: the call records
 * hold every edge, so the backend fills an Edges from its calls on the first provenance query
 * and adds each call it commits afterwards. Deleted calls are not removed; readers skip calls
 * that no longer exist. Most refs have one creator and one or two consumers, so a key maps to
 * a single HistoryId until it has more.
 */
/** In-memory provenance index over call records. Thread-safe. */
final class Edges {
  private final Map<HistoryId, Object> creators = new HashMap<>();
  private final Map<HistoryId, Object> consumers = new HashMap<>();
  private final Map<String, List<HistoryId>> byOp = new HashMap<>();

  /** Adds the edges of one call. */
  synchronized void add(CallRecord c) {
    for (CallRecord.Slot out : c.outputs()) {
      put(creators, out.historyId(), c.historyId());
    }
    for (CallRecord.Slot in : c.inputs()) {
      put(consumers, in.historyId(), c.historyId());
    }
    byOp.computeIfAbsent(c.op(), k -> new ArrayList<>()).add(c.historyId());
  }

  /** Returns the calls that output {@code ref}, oldest first. */
  synchronized List<HistoryId> creators(HistoryId ref) {
    return get(creators, ref);
  }

  /** Returns the calls that take {@code ref} as an input, oldest first. */
  synchronized List<HistoryId> consumers(HistoryId ref) {
    return get(consumers, ref);
  }

  /** Returns the calls of the op named {@code op}, oldest first. */
  synchronized List<HistoryId> callsOf(String op) {
    List<HistoryId> l = byOp.get(op);
    return l == null ? List.of() : new ArrayList<>(l);
  }

  @SuppressWarnings("unchecked")
  private static List<HistoryId> get(Map<HistoryId, Object> index, HistoryId key) {
    Object v = index.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof HistoryId h) {
      return List.of(h);
    }
    return new ArrayList<>((List<HistoryId>) v);
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<HistoryId, Object> index, HistoryId key, HistoryId call) {
    Object v = index.get(key);
    if (v == null) {
      index.put(key, call);
    } else if (v instanceof HistoryId h) {
      if (!h.equals(call)) {
        List<HistoryId> l = new ArrayList<>(2);
        l.add(h);
        l.add(call);
        index.put(key, l);
      }
    } else if (!((List<HistoryId>) v).contains(call)) {
      ((List<HistoryId>) v).add(call);
    }
  }
}
