/**
 * Helpers shared by the matrix module's classes: where native kernels run, and where the cover search may use dynamic programming. Not API; may change
 * without notice.
 */
package io.memoflow.matrix.internal;
