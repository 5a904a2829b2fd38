package io.memoflow.cache;

/**
 * A typed op body of two arguments, for {@link Op#of(String, Fn2)}.
 *
 * @param <A> an argument type
 * @param <B> an argument type
 * @param <R> the result type
 */
// Serializable so that code versioning can find the lambda's implementation method.
@FunctionalInterface
public interface Fn2<A, B, R> extends java.io.Serializable {
  /** Computes the result. */
  R apply(A x0, B x1) throws Exception;
}
