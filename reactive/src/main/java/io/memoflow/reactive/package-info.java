/**
 * Runs composite computations as Reactor flows, memoized through a storage.
 *
 * <p>Start with {@link io.memoflow.reactive.Engine#builder()}: bind ops to the operations of a
 * {@link io.memoflow.dag.CompositeComputation}, then {@link io.memoflow.reactive.Engine#run run}
 * it (a {@link io.memoflow.reactive.Run} with a {@code Mono} of outputs and a {@code Flux} of
 * {@link io.memoflow.reactive.EngineEvent}s), {@link io.memoflow.reactive.Engine#sweep sweep}
 * it over many input bindings, or {@link io.memoflow.reactive.Engine#react react} to a stream
 * of input changes.
 */
package io.memoflow.reactive;
