package io.memoflow.cache.spi;

import io.memoflow.cache.ContentId;
import io.memoflow.cache.HistoryId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where calls and values live: the contract a storage backend implements (in memory, Chronicle
 * Map files, later a distributed map). The storage in front of it adds caching, sessions,
 * batching and thread coordination, so a backend only stores and finds.
 *
 * <p>Implementations must be thread-safe for concurrent reads and one writer at a time
 * ({@link #commit}, deletions are called under the storage's write lock). Lookups of absent
 * keys return {@code null} or empty lists, never throw.
 */
public interface StorageBackend extends AutoCloseable {

  /** Returns the call stored under {@code historyId}, or {@code null}. */
  CallRecord call(HistoryId historyId);

  /** Returns the history id of a stored call with content id {@code contentId}, or {@code null}. */
  HistoryId callByContent(ContentId contentId);

  /** Returns the canonical bytes of the value {@code contentId}, or {@code null}. */
  byte[] value(ContentId contentId);

  /** Returns whether the value {@code contentId} is stored. */
  boolean containsValue(ContentId contentId);

  /** Returns the history id of the call that output the ref {@code refHistoryId}, or {@code null}. */
  HistoryId creator(HistoryId refHistoryId);

  /** Returns the history ids of stored calls that take {@code refHistoryId} as an input. */
  List<HistoryId> consumers(HistoryId refHistoryId);

  /** Returns the history ids of every stored call of the op named {@code op} (any version). */
  List<HistoryId> callsOf(String op);

  /**
   * Stores values and calls durably: when this returns, a process crash loses none of them.
   * Values are stored before the calls that reference them, so a call that is visible always
   * has its values. Storing something already stored is a no-op.
   */
  void commit(Map<ContentId, byte[]> values, List<CallRecord> calls);

  /** Removes a call and its index entries (its values stay until {@link #deleteValues}). */
  void deleteCall(HistoryId historyId);

  /** Removes the given values. */
  void deleteValues(Collection<ContentId> contentIds);

  /** Passes every stored call to {@code action}. */
  void forEachCall(Consumer<CallRecord> action);

  /** Passes every stored value's content id to {@code action}. */
  void forEachValue(Consumer<ContentId> action);

  /** Returns the number of stored calls. */
  long callCount();

  /** Returns the number of stored values. */
  long valueCount();

  /**
   * Returns whether every read is already an in-memory map lookup, so a cache in front of this
   * backend would only add work (the storage then puts none in front). Default: false.
   */
  default boolean memoryResident() {
    return false;
  }

  /** Releases files and locks; the backend is unusable afterwards. */
  @Override
  void close();
}
