/**
 * Compositional memoization: {@link io.memoflow.cache.Op}s called inside a
 * {@link io.memoflow.cache.Session} of a {@link io.memoflow.cache.Storage} return
 * {@link io.memoflow.cache.Ref}s, and every {@link io.memoflow.cache.Call} is stored once by
 * content and by history, so re-running a program retraces it. Start with
 * {@link io.memoflow.cache.Storage#inMemory()} or {@link io.memoflow.cache.Storage#open}.
 *
 * <p>An op's version follows its code ({@code io.memoflow.cache.version}); the versions a
 * storage has seen are inspected and declared with {@link io.memoflow.cache.VersionHistory},
 * and {@link io.memoflow.cache.Tracked} helpers are versioned per call that runs them.
 * Computation frames ({@code io.memoflow.cache.frame}) read the stored calls through
 * {@link io.memoflow.cache.CallGraph}. The ids and the exception every layer speaks
 * ({@code ContentId}, {@code HistoryId}, {@code StorageException}) are in
 * {@code io.memoflow.cache.spi}, the bottom layer.
 */
package io.memoflow.cache;
