package io.memoflow.cache.internal;

import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.HistoryId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

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

  /** Returns the newest stored call that outputs {@code ref}, or {@code null}. */
  HistoryId creator(HistoryId ref, Predicate<HistoryId> stored) {
    List<HistoryId> made = live(get(creators, ref), stored);
    return made.isEmpty() ? null : made.get(made.size() - 1);
  }

  /** Returns the stored calls that take {@code ref} as an input, oldest first. */
  List<HistoryId> consumers(HistoryId ref, Predicate<HistoryId> stored) {
    return live(get(consumers, ref), stored);
  }

  /** Returns the stored calls of the op named {@code op}, oldest first. */
  List<HistoryId> callsOf(String op, Predicate<HistoryId> stored) {
    List<HistoryId> l;
    synchronized (this) {
      l = byOp.get(op);
      l = l == null ? List.of() : new ArrayList<>(l);
    }
    return live(l, stored);
  }

  /** Returns the names of the ops with at least one stored call, sorted. */
  SortedSet<String> ops(Predicate<HistoryId> stored) {
    Map<String, List<HistoryId>> copy;
    synchronized (this) {
      copy = new HashMap<>();
      byOp.forEach((op, ids) -> copy.put(op, new ArrayList<>(ids)));
    }
    SortedSet<String> out = new TreeSet<>();
    copy.forEach((op, ids) -> {
      if (ids.stream().anyMatch(stored)) {
        out.add(op);
      }
    });
    return out;
  }

  /** The calls of {@code ids} still stored, without duplicates (deleted calls stay here). */
  private static List<HistoryId> live(List<HistoryId> ids, Predicate<HistoryId> stored) {
    Set<HistoryId> out = new LinkedHashSet<>();
    for (HistoryId c : ids) {
      if (stored.test(c)) {
        out.add(c);
      }
    }
    return new ArrayList<>(out);
  }

  @SuppressWarnings("unchecked")
  private synchronized List<HistoryId> get(Map<HistoryId, Object> index, HistoryId key) {
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
