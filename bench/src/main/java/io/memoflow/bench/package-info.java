/**
 * memoflow's headline figures: the {@link io.memoflow.bench.Report} (every figure, one JSON
 * line each; {@code memoflow bench}, {@link io.memoflow.bench.BenchCommand}) and the JMH
 * benchmarks behind it, one {@code XxxBenchmark} per figure, whose javadoc gives its command.
 */
package io.memoflow.bench;
