/**
 * Code versioning: {@link io.memoflow.cache.version.CodeVersions} computes the
 * {@link io.memoflow.cache.version.CodeVersion} of a function from its bytecode (the method, the
 * application methods it calls, the constants they read), and
 * {@link io.memoflow.cache.version.CodeVersionException} says why one cannot be computed.
 * Depends on nothing else of the cache: what the store keeps about versions is memoization's.
 */
package io.memoflow.cache.version;
