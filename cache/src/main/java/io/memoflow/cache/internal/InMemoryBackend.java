package io.memoflow.cache.internal;

import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageBackend;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Consumer;

/*
 * Overview: three maps, the indexes a lookup needs (calls by history id, calls by content id,
 * values), each an IdMap: keys inline, lock-free reads. Provenance (creator, consumers, calls of an op) is derived from the call records as
 * in the Chronicle backend: the first provenance query builds an Edges index in one pass, and
 * commits keep it up to date from then on. So a new call costs three map entries, not six, and
 * a program that never asks for provenance never pays for it. Commits update the index under
 * one lock per batch, taken only once the index exists.
 */
/**
 * A backend in hash maps: the same indexes as the Chronicle backend, gone when the JVM exits.
 * Thread-safe. Not API; may change without notice.
 */
public final class InMemoryBackend implements StorageBackend {
  private final IdMap<CallRecord> calls = new IdMap<>();
  private final IdMap<HistoryId> byContent = new IdMap<>();
  private final IdMap<byte[]> values = new IdMap<>();
  /** Provenance, built on first use; guarded by {@code this}. */
  private Edges edges;

  /** Returns true: these maps are what a cache in front would hold. */
  @Override
  public boolean memoryResident() {
    return true;
  }

  /** Returns false: a commit here is three map puts, as cheap as staging the call. */
  @Override
  public boolean batchesCommits() {
    return false;
  }

  @Override
  public CallRecord call(HistoryId historyId) {
    return calls.get(historyId.hi(), historyId.lo());
  }

  @Override
  public HistoryId callByContent(ContentId contentId) {
    return byContent.get(contentId.hi(), contentId.lo());
  }

  @Override
  public byte[] value(ContentId contentId) {
    return values.get(contentId.hi(), contentId.lo());
  }

  @Override
  public boolean containsValue(ContentId contentId) {
    return values.containsKey(contentId.hi(), contentId.lo());
  }

  @Override
  public HistoryId creator(HistoryId refHistoryId) {
    return edges().creator(refHistoryId, this::stored);
  }

  @Override
  public List<HistoryId> consumers(HistoryId refHistoryId) {
    return edges().consumers(refHistoryId, this::stored);
  }

  @Override
  public List<HistoryId> callsOf(String op) {
    return edges().callsOf(op, this::stored);
  }

  @Override
  public SortedSet<String> ops() {
    return edges().ops(this::stored);
  }

  private synchronized Edges edges() {
    if (edges == null) {
      Edges e = new Edges();
      calls.forEachValue(e::add);
      edges = e;
    }
    return edges;
  }

  private boolean stored(HistoryId call) {
    return calls.containsKey(call.hi(), call.lo());
  }


  @Override
  public void commit(Map<ContentId, byte[]> newValues, List<CallRecord> newCalls) {
    newValues.forEach((cid, bytes) -> values.putIfAbsent(cid.hi(), cid.lo(), bytes));
    List<CallRecord> added = null;
    for (CallRecord c : newCalls) {
      HistoryId hid = c.historyId();
      if (calls.putIfAbsent(hid.hi(), hid.lo(), c) != null) {
        continue;
      }
      byContent.putIfAbsent(c.contentId().hi(), c.contentId().lo(), hid);
      if (added == null) {
        added = new ArrayList<>(newCalls.size());
      }
      added.add(c);
    }
    if (added != null) {
      // After the puts: an index built meanwhile either saw a call or is here to receive it.
      synchronized (this) {
        if (edges != null) {
          added.forEach(edges::add);
        }
      }
    }
  }

  @Override
  public void deleteCall(HistoryId historyId) {
    CallRecord c = calls.remove(historyId.hi(), historyId.lo());
    if (c != null) {
      HistoryId current = byContent.get(c.contentId().hi(), c.contentId().lo());
      if (historyId.equals(current)) {
        byContent.remove(c.contentId().hi(), c.contentId().lo(), current);
      }
    }
  }

  @Override
  public void deleteValues(Collection<ContentId> contentIds) {
    contentIds.forEach(cid -> values.remove(cid.hi(), cid.lo()));
  }

  @Override
  public void forEachCall(Consumer<CallRecord> action) {
    calls.forEachValue(action);
  }

  @Override
  public void forEachValue(Consumer<ContentId> action) {
    values.forEach((hi, lo, bytes) -> action.accept(new ContentId(hi, lo)));
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
  public synchronized void close() {
    calls.clear();
    byContent.clear();
    values.clear();
    edges = null;
  }
}
