/** JMH benchmarks of memoflow's headline figures, one {@code XxxBenchmark} per figure. */
package io.memoflow.bench;
