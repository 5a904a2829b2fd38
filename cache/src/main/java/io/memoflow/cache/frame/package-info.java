/**
 * Computation frames: a {@link io.memoflow.cache.frame.ComputationFrame} is a view of the stored
 * call graph (variables holding values, operation nodes holding calls) that grows along creators
 * and consumers, restricts, combines, deletes, and evaluates to a
 * {@link io.memoflow.cache.frame.FrameTable} of partial computations (cache/FRAMES.md);
 * {@link io.memoflow.cache.frame.TextTable} formats tables as aligned text. Frames read a store
 * through the public memoization API and {@link io.memoflow.cache.CallGraph} only.
 */
package io.memoflow.cache.frame;
