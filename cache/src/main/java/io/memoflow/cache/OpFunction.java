package io.memoflow.cache;

/**
 * The body of an {@link Op}: receives the argument values in the op's input order and returns
 * the single output value, or for an op with several outputs a {@code List<?>} or
 * {@code Object[]} of exactly that many values. Must not keep or mutate its arguments.
 */
// Serializable so that code versioning can find the lambda's implementation method.
@FunctionalInterface
public interface OpFunction extends java.io.Serializable {
  /** Computes the outputs from the argument values (ordered like {@link Op#inputNames()}). */
  Object apply(Object[] args) throws Exception;
}
