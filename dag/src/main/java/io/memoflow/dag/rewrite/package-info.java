/**
 * Named, reusable rewrites of composite computations that keep their outputs' values.
 *
 * <p>Entry points: {@link io.memoflow.dag.rewrite.GraphRewrite} and {@link
 * io.memoflow.dag.rewrite.GraphRewrites}. Expression-level rules (patterns with wildcards and a
 * cost-guided search) live with the matrix expressions in {@link io.memoflow.matrix}.
 */
package io.memoflow.dag.rewrite;
