package io.memoflow.cache.spi;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where calls and values live: the contract a storage backend implements (in memory, Chronicle
 * Map files, later a distributed map). The storage in front of it adds caching, sessions,
 * batching and thread coordination, so a backend only stores and finds.
 *
 * <p>Implementations must be thread-safe for concurrent reads and one writer at a time
 * ({@link #commit}, deletions are called under the storage's write lock). A backend shared by
 * several processes also implements {@link #refresh()}, {@link #listen} and {@link #exclusive}.
 * Lookups of absent keys return {@code null} or empty lists, never throw.
 */
public interface StorageBackend extends AutoCloseable {

  /** Returns the call stored under {@code historyId}, or {@code null}. */
  CallRecord call(HistoryId historyId);

  /**
   * Returns the history id of a stored call with content id {@code contentId}, or {@code null};
   * never a deleted call. A backend may index one call per content id: once that call is
   * deleted it may return {@code null} though another call of that content is stored (a reuse
   * by content is then missed and the op runs again, which costs time, never a wrong value).
   */
  HistoryId callByContent(ContentId contentId);

  /**
   * Returns the canonical bytes of the value {@code contentId}, or {@code null}. The storage
   * checks bytes from a backend that is not {@link #memoryResident()} against the content id.
   *
   * @throws StoreDamageException if the backend lists the value but its bytes are lost
   */
  byte[] value(ContentId contentId);

  /**
   * Returns the error for a value whose stored bytes are damaged (the storage found that they do
   * not hash to {@code contentId}), naming where the backend keeps it. Default: an error that
   * names the value only.
   *
   * @param damage what is wrong, as a clause
   */
  default StorageException damaged(ContentId contentId, String damage) {
    return new StorageException("Value " + contentId.hex() + " is damaged: " + damage
        + ". Nothing damaged was returned.");
  }

  /** Returns whether the value {@code contentId} is stored. */
  boolean containsValue(ContentId contentId);

  /** Returns the history id of the call that output the ref {@code refHistoryId}, or {@code null}. */
  HistoryId creator(HistoryId refHistoryId);

  /**
   * Returns the history ids of stored calls that take {@code refHistoryId} as an input, each
   * once (a call reading the value twice is listed once).
   */
  List<HistoryId> consumers(HistoryId refHistoryId);

  /** Returns the history ids of every stored call of the op named {@code op} (any version), each once. */
  List<HistoryId> callsOf(String op);

  /** Returns the names of the ops with at least one stored call, sorted. */
  SortedSet<String> ops();

  /**
   * Stores values and calls durably: when this returns, a process crash loses none of them.
   * Values are stored before the calls that reference them, so a call that is visible always
   * has its values. Storing something already stored is a no-op.
   */
  void commit(Map<ContentId, byte[]> values, List<CallRecord> calls);

  /**
   * Like {@link #commit(Map, List)}, and passes to {@code alreadyStored} the history id of each
   * call that was not stored because the store already held a call under it (committed by
   * another user of a shared store meanwhile; the stored record wins). Default: no such calls.
   */
  default void commit(Map<ContentId, byte[]> values, List<CallRecord> calls,
      Consumer<HistoryId> alreadyStored) {
    commit(values, calls);
  }

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

  /**
   * Returns whether new calls should be staged and committed in batches (when a session closes,
   * or every few thousand calls in the engine): true where a commit costs a durable write. A
   * backend whose commit is a few map puts returns false, and each new call is then committed
   * as it is recorded instead of being copied through the staging maps first. Default: true.
   */
  default boolean batchesCommits() {
    return true;
  }

  /**
   * Registers the listener told what other users of a shared store deleted (during
   * {@link #refresh()} or any other method). Default: nothing is shared, so never called.
   */
  default void listen(ChangeListener listener) {}

  /**
   * Catches up with what other users of a shared store committed and deleted since the last
   * refresh, telling the {@link #listen listener}; returns whether anything changed. Must be
   * cheap when nothing did (it runs before every cache lookup). A distributed backend may hear
   * of a change a moment (milliseconds) after the other user's call returned. Default: false.
   */
  default boolean refresh() {
    return false;
  }

  /**
   * Runs {@code action} holding the store's write lock, after a {@link #refresh()}, so that no
   * other user of a shared store commits or deletes meanwhile (the storage runs deletion and
   * cleanup in it). Calls to this backend from inside {@code action} are allowed. Default: runs
   * it.
   */
  default <T> T exclusive(Supplier<T> action) {
    return action.get();
  }

  /**
   * Claims the new call {@code call} for this backend before the storage runs it, so that users
   * of a shared store run each call once: returns true if this backend holds the claim now (or
   * held it already), false while another live user holds it. A claim is a lease: the backend
   * keeps it while {@link #renewClaims()} is called, and takes over one whose holder is gone or
   * whose lease expired. Default (nothing shared): true.
   */
  default boolean claim(HistoryId call) {
    return true;
  }

  /**
   * Asks the live holder of the claim on {@code call} to commit what it has finished now rather
   * than when its session ends (a waiter calls this while it waits). Default: nothing.
   */
  default void wantClaimed(HistoryId call) {}

  /** Returns whether another user asked this one to commit since this last returned. Default: false. */
  default boolean claimsWanted() {
    return false;
  }

  /** Extends the lease of every claim this backend holds; returns whether it holds any. Default: false. */
  default boolean renewClaims() {
    return false;
  }

  /**
   * Gives up the claim on {@code call} (committed or failed), if this backend holds it; other
   * users may claim it at once, or (a distributed backend, which need not wait for the release to
   * arrive) a moment later. Default: nothing.
   */
  default void releaseClaim(HistoryId call) {}

  /** Releases files and locks; the backend is unusable afterwards. */
  @Override
  void close();
}
