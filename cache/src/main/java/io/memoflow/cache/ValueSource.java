package io.memoflow.cache;

import io.memoflow.cache.spi.ContentId;

/** Loads and decodes a stored value by content id (implemented by the storage). */
interface ValueSource {
  Object load(ContentId cid);
}
