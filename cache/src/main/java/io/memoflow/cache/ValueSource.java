package io.memoflow.cache;

import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;

/** Loads and decodes a stored value by content id (implemented by the storage). */
interface ValueSource {
  /** Loads the value {@code cid}; {@code hid} is the ref's history id, named in errors. */
  Object load(ContentId cid, HistoryId hid);
}
