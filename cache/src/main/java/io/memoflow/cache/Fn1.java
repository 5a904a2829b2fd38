package io.memoflow.cache;

/**
 * A typed op body of one argument, for {@link Op#of(String, Fn1)}.
 *
 * @param <A> an argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface Fn1<A, R> {
  /** Computes the result. */
  R apply(A x0) throws Exception;
}
