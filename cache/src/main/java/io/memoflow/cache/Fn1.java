package io.memoflow.cache;

/**
 * A typed op body of one argument, for {@link Op#of(String, Fn1)}.
 *
 * @param <A> an argument type
 * @param <R> the result type
 */
// Serializable so that code versioning can find the lambda's implementation method.
@FunctionalInterface
public interface Fn1<A, R> extends java.io.Serializable {
  /** Computes the result. */
  R apply(A x0) throws Exception;
}
