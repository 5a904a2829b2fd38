/**
 * Matrix expressions with shapes and assumptions, BLAS/LAPACK routines as executable
 * operations, and their compilation into computation DAGs.
 *
 * <p>Build expressions with {@link io.memoflow.dag.matrix.MatrixExpr} (canonical forms, shape
 * checks), derive properties with {@link io.memoflow.dag.matrix.Facts}, compile them with
 * {@link io.memoflow.dag.matrix.MatrixCompiler} (rules in {@link
 * io.memoflow.dag.matrix.RuleSet}, routines in {@link io.memoflow.dag.matrix.LibraryOp}), run
 * the result with {@link io.memoflow.dag.matrix.MatrixExecutor} and check it against {@link
 * io.memoflow.dag.matrix.MatrixEvaluator}. {@link io.memoflow.dag.matrix.MatrixExamples} holds
 * linear regression and the Kalman filter.
 */
package io.memoflow.dag.matrix;
