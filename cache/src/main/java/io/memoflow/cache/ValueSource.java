package io.memoflow.cache;

/** Loads and decodes a stored value by content id (implemented by the storage). */
interface ValueSource {
  Object load(ContentId cid);
}
