/**
 * The storage service-provider interface: {@link io.memoflow.cache.spi.StorageBackend} is what
 * an in-memory, file or distributed backend implements; {@code Storage.of(backend, options)} puts the
 * caching, sessions and thread coordination in front of it.
 */
package io.memoflow.cache.spi;
