/**
 * Helpers shared by the matrix module's classes: where native kernels run. Not API; may change
 * without notice.
 */
package io.memoflow.matrix.internal;
