package io.memoflow.cache.spi;

/**
 * Told by a shared backend what other users of the same store (other processes, or other
 * storages in this JVM) deleted, so the storage in front drops what it cached of it. Calls
 * they added need no notice: a cache only holds what was found, so a lookup that missed asks
 * the backend again.
 */
public interface ChangeListener {

  /** The call {@code historyId} was deleted elsewhere. */
  void callDeleted(HistoryId historyId);

  /** The value {@code contentId} was deleted elsewhere. */
  void valueDeleted(ContentId contentId);
}
