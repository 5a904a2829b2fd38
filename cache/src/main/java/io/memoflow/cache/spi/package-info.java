/**
 * The storage service-provider interface and the vocabulary every layer of the cache speaks:
 * {@link io.memoflow.cache.spi.StorageBackend} is what an in-memory, file or distributed backend
 * implements ({@code Storage.of(backend, options)} puts the caching, sessions and thread
 * coordination in front of it), and {@link io.memoflow.cache.spi.ContentId},
 * {@link io.memoflow.cache.spi.HistoryId} and {@link io.memoflow.cache.spi.StorageException}
 * live here, at the bottom, so that backends and memoization share them without a package
 * cycle. Imports nothing else of the cache.
 */
package io.memoflow.cache.spi;
