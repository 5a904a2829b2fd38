/**
 * Memoized calls of versioned operations. Code versioning lives here too: {@link
 * io.memoflow.cache.CodeVersions} computes the content-addressed version of an op's code.
 */
package io.memoflow.cache;
