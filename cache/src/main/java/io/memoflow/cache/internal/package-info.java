/**
 * Codecs, identity hashing, the in-memory and Chronicle Map backends, blob files and the store
 * directory's lock and markers. Not API; may change without notice.
 */
package io.memoflow.cache.internal;
