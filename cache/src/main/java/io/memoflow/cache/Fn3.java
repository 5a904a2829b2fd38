package io.memoflow.cache;

/**
 * A typed op body of three arguments, for {@link Op#of(String, Fn3)}.
 *
 * @param <A> an argument type
 * @param <B> an argument type
 * @param <C> an argument type
 * @param <R> the result type
 */
// Serializable so that code versioning can find the lambda's implementation method.
@FunctionalInterface
public interface Fn3<A, B, C, R> extends java.io.Serializable {
  /** Computes the result. */
  R apply(A x0, B x1, C x2) throws Exception;
}
