/**
 * Compositional memoization: {@link io.memoflow.cache.Op}s called inside a
 * {@link io.memoflow.cache.Session} of a {@link io.memoflow.cache.Storage} return
 * {@link io.memoflow.cache.Ref}s, and every {@link io.memoflow.cache.Call} is stored once by
 * content and by history, so re-running a program retraces it. Start with
 * {@link io.memoflow.cache.Storage#inMemory()} or {@link io.memoflow.cache.Storage#open}.
 *
 * <p>Code versioning: an op's version follows its code ({@link io.memoflow.cache.CodeVersions}),
 * and {@link io.memoflow.cache.Versions} inspects the versions a storage has seen.
 *
 * <p>Computation frames: a {@link io.memoflow.cache.ComputationFrame} is a view of the stored
 * call graph (variables holding values, operation nodes holding calls) that grows along
 * creators and consumers, restricts, combines, deletes, and evaluates to a
 * {@link io.memoflow.cache.FrameTable} of partial computations (cache/FRAMES.md).
 */
package io.memoflow.cache;
