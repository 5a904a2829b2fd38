package io.memoflow.cache;

/**
 * A typed op body of two arguments, for {@link Op#of(String, Fn2)}.
 *
 * @param <A> an argument type
 * @param <B> an argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface Fn2<A, B, R> {
  /** Computes the result. */
  R apply(A x0, B x1) throws Exception;
}
