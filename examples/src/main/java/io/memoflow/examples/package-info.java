/**
 * Runnable examples of memoflow, one class each, and the {@code memoflow} command-line program
 * ({@link io.memoflow.examples.MemoflowCli}), whose main job, {@code memoflow demo}, is the
 * ridge-regression study {@link io.memoflow.examples.RidgeStudy}.
 */
package io.memoflow.examples;
