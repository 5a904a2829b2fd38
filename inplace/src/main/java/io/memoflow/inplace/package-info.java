/**
 * In-place buffer planning: pairs every variable of a {@link io.memoflow.dag.CompositeComputation}
 * with a buffer so that operations which overwrite their inputs (BLAS {@code GEMM} over its
 * {@code C}) run in little memory and no value is overwritten before all of its readers have read
 * it.
 *
 * <p>Entry point: {@link io.memoflow.inplace.BufferPlanner#plan}, which returns a {@link
 * io.memoflow.inplace.BufferPlan} that can be listed, checked and executed on {@code double[]}
 * buffers.
 */
package io.memoflow.inplace;
