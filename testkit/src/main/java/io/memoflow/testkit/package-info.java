/**
 * Test kits for people who build on memoflow, as reactor-test is for Reactor users: jqwik
 * generators of graphs ({@link io.memoflow.testkit.DagArbitraries}), matrix expressions
 * ({@link io.memoflow.testkit.MatrixExprArbitraries}) and stored programs
 * ({@link io.memoflow.testkit.StoredPrograms}), laws that a graph rewrite must keep
 * ({@link io.memoflow.testkit.RewriteLaws}), the contract a storage backend must meet
 * ({@link io.memoflow.testkit.BackendContract}), and the poison-fill oracle for in-place buffer
 * plans ({@link io.memoflow.testkit.PlanSafety}).
 *
 * <p>Add {@code memoflow-testkit} with test scope; it brings jqwik and JUnit 5 with it.
 */
package io.memoflow.testkit;
