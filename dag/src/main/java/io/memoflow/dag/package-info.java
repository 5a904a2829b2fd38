/**
 * Symbolic expressions and bipartite computation DAGs.
 *
 * <p>{@link io.memoflow.dag.Expr} is a symbolic expression, {@link io.memoflow.dag.Computation}
 * one (possibly multi-output) application of an {@link io.memoflow.dag.Operation}, and {@link
 * io.memoflow.dag.CompositeComputation} an immutable, validated set of them with a deterministic
 * topological order. Start with {@link io.memoflow.dag.Dag#builder()}.
 */
package io.memoflow.dag;
