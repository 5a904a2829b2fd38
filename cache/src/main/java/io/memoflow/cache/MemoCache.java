package io.memoflow.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import java.util.ArrayList;
import java.util.List;

/**
 * The Caffeine caches in front of a backend: call records by history id and value bytes by
 * content id, each bounded by half the weight the options give. Only a copy of what the backend
 * holds (never a pending call), so dropping any of it changes no result, only the next read's
 * cost. Thread-safe.
 */
final class MemoCache {
  private final Cache<HistoryId, CallRecord> calls;
  private final Cache<ContentId, byte[]> values;

  /** A cache of {@code cacheBytes} in all; 0 caches nothing (a memory-resident backend). */
  MemoCache(long cacheBytes) {
    long half = cacheBytes / 2;
    this.calls = Caffeine.newBuilder()
        .maximumWeight(half)
        .weigher((HistoryId k, CallRecord v) -> v.weight())
        .recordStats()
        .build();
    this.values = Caffeine.newBuilder()
        .maximumWeight(half)
        .weigher((ContentId k, byte[] v) -> valueWeight(v))
        .recordStats()
        .build();
  }

  private static int valueWeight(byte[] v) {
    return 48 + v.length;
  }

  CallRecord call(HistoryId hid) {
    return calls.getIfPresent(hid);
  }

  void putCall(CallRecord rec) {
    calls.put(rec.historyId(), rec);
  }

  void dropCall(HistoryId hid) {
    calls.invalidate(hid);
  }

  byte[] value(ContentId cid) {
    return values.getIfPresent(cid);
  }

  void putValue(ContentId cid, byte[] bytes) {
    values.put(cid, bytes);
  }

  void dropValue(ContentId cid) {
    values.invalidate(cid);
  }

  void dropValues(Iterable<ContentId> cids) {
    values.invalidateAll(cids);
  }

  /** Drops every entry; returns how many there were. */
  long clear() {
    long n = calls.estimatedSize() + values.estimatedSize();
    calls.invalidateAll();
    values.invalidateAll();
    calls.cleanUp();
    values.cleanUp();
    return n;
  }

  /**
   * Drops the cached calls of {@code op} and the cached bytes of their outputs; returns how many
   * entries went. Inputs stay: they are other calls' outputs or raw values other calls share.
   */
  long clear(String op) {
    List<CallRecord> doomed = new ArrayList<>();
    calls.asMap().values().forEach(r -> {
      if (r.op().equals(op)) {
        doomed.add(r);
      }
    });
    long n = 0;
    for (CallRecord r : doomed) {
      if (calls.asMap().remove(r.historyId()) != null) {
        n++;
      }
      for (CallRecord.Slot s : r.outputs()) {
        if (values.asMap().remove(s.contentId()) != null) {
          n++;
        }
      }
    }
    return n;
  }

  /** Returns the storage's counters with this cache's: hits, misses, evictions, size, weight. */
  StorageStats stats(long storedCalls, long storedValues, long executed, long retraced, long reused) {
    // Caffeine evicts after writes, on its own schedule: settle that first, so the figures agree.
    calls.cleanUp();
    values.cleanUp();
    CacheStats a = calls.stats();
    CacheStats b = values.stats();
    return new StorageStats(storedCalls, storedValues, executed, retraced, reused,
        a.hitCount() + b.hitCount(), a.missCount() + b.missCount(),
        a.evictionCount() + b.evictionCount(), calls.estimatedSize() + values.estimatedSize(),
        weight(calls) + weight(values), maximum(calls) + maximum(values));
  }

  private static long weight(Cache<?, ?> c) {
    return c.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  private static long maximum(Cache<?, ?> c) {
    return c.policy().eviction().map(e -> e.getMaximum()).orElse(0L);
  }
}
