/**
 * JMH benchmarks of memoflow's headline figures, one {@code XxxBenchmark} per figure. Build with
 * {@code mvn -B -pl bench -am package -DskipTests} and run {@code java -jar
 * bench/target/benchmarks.jar Name}; each benchmark's javadoc gives its command.
 */
package io.memoflow.bench;
