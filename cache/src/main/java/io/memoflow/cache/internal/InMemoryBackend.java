package io.memoflow.cache.internal;

import io.memoflow.cache.ContentId;
import io.memoflow.cache.HistoryId;
import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.StorageBackend;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A backend in hash maps: the same indexes as the Chronicle backend, gone when the JVM exits.
 * Thread-safe. Not API; may change without notice.
 */
public final class InMemoryBackend implements StorageBackend {
  private final Map<HistoryId, CallRecord> calls = new ConcurrentHashMap<>();
  private final Map<ContentId, HistoryId> byContent = new ConcurrentHashMap<>();
  private final Map<ContentId, byte[]> values = new ConcurrentHashMap<>();
  private final Map<HistoryId, HistoryId> creators = new ConcurrentHashMap<>();
  /** Input hid -> consuming calls, as an immutable list (most refs have one or two consumers). */
  private final Map<HistoryId, List<HistoryId>> consumers = new ConcurrentHashMap<>();
  private final Map<String, Set<HistoryId>> byOp = new ConcurrentHashMap<>();

  /** Returns true: these maps are what a cache in front would hold. */
  @Override
  public boolean memoryResident() {
    return true;
  }

  @Override
  public CallRecord call(HistoryId historyId) {
    return calls.get(historyId);
  }

  @Override
  public HistoryId callByContent(ContentId contentId) {
    return byContent.get(contentId);
  }

  @Override
  public byte[] value(ContentId contentId) {
    return values.get(contentId);
  }

  @Override
  public boolean containsValue(ContentId contentId) {
    return values.containsKey(contentId);
  }

  @Override
  public HistoryId creator(HistoryId refHistoryId) {
    return creators.get(refHistoryId);
  }

  @Override
  public List<HistoryId> consumers(HistoryId refHistoryId) {
    List<HistoryId> s = consumers.get(refHistoryId);
    return s == null ? List.of() : new ArrayList<>(s);
  }

  @Override
  public List<HistoryId> callsOf(String op) {
    Set<HistoryId> s = byOp.get(op);
    return s == null ? List.of() : new ArrayList<>(s);
  }

  private static List<HistoryId> union(List<HistoryId> a, List<HistoryId> b) {
    if (a.containsAll(b)) {
      return a;
    }
    List<HistoryId> u = new ArrayList<>(a.size() + b.size());
    u.addAll(a);
    for (HistoryId h : b) {
      if (!u.contains(h)) {
        u.add(h);
      }
    }
    return List.copyOf(u);
  }

  @Override
  public void commit(Map<ContentId, byte[]> newValues, List<CallRecord> newCalls) {
    newValues.forEach(values::putIfAbsent);
    for (CallRecord c : newCalls) {
      if (calls.putIfAbsent(c.historyId(), c) != null) {
        continue;
      }
      for (CallRecord.Slot out : c.outputs()) {
        creators.put(out.historyId(), c.historyId());
      }
      for (CallRecord.Slot in : c.inputs()) {
        consumers.merge(in.historyId(), List.of(c.historyId()), InMemoryBackend::union);
      }
      byOp.computeIfAbsent(c.op(), k -> ConcurrentHashMap.newKeySet()).add(c.historyId());
      byContent.putIfAbsent(c.contentId(), c.historyId());
    }
  }

  @Override
  public void deleteCall(HistoryId historyId) {
    CallRecord c = calls.remove(historyId);
    if (c == null) {
      return;
    }
    byContent.remove(c.contentId(), historyId);
    for (CallRecord.Slot out : c.outputs()) {
      creators.remove(out.historyId(), historyId);
    }
    for (CallRecord.Slot in : c.inputs()) {
      consumers.computeIfPresent(in.historyId(), (k, l) -> {
        List<HistoryId> rest = new ArrayList<>(l);
        rest.remove(historyId);
        return rest.isEmpty() ? null : List.copyOf(rest);
      });
    }
    Set<HistoryId> s = byOp.get(c.op());
    if (s != null) {
      s.remove(historyId);
    }
  }

  @Override
  public void deleteValues(Collection<ContentId> contentIds) {
    contentIds.forEach(values::remove);
  }

  @Override
  public void forEachCall(Consumer<CallRecord> action) {
    calls.values().forEach(action);
  }

  @Override
  public void forEachValue(Consumer<ContentId> action) {
    values.keySet().forEach(action);
  }

  @Override
  public long callCount() {
    return calls.size();
  }

  @Override
  public long valueCount() {
    return values.size();
  }

  @Override
  public void close() {
    calls.clear();
    values.clear();
  }
}
