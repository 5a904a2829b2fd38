/**
 * Matrix expressions with shapes and assumptions, BLAS/LAPACK routines as executable
 * operations, and their compilation into computation DAGs.
 *
 * <p>Build expressions with {@link io.memoflow.matrix.MatrixExpr} (canonical forms, shape
 * checks), derive properties with {@link io.memoflow.matrix.Facts}, compile them with
 * {@link io.memoflow.matrix.MatrixCompiler} (rules in {@link
 * io.memoflow.matrix.RuleSet}, routines in {@link io.memoflow.matrix.LibraryOp}), run
 * the result with {@link io.memoflow.matrix.MatrixExecutor} and check it against {@link
 * io.memoflow.matrix.MatrixEvaluator}. {@link io.memoflow.matrix.MatrixExamples} holds
 * linear regression and the Kalman filter.
 */
package io.memoflow.matrix;
