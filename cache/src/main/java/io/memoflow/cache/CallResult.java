package io.memoflow.cache;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of {@link Session#call(Op, java.util.Map)}: the call and how it was obtained.
 *
 * @param call the call, with its input and output refs
 * @param source whether it was retraced, reused by content, or executed
 */
public record CallResult(Call call, Source source) {

  /** Validates the components. */
  public CallResult {
    requireNonNull(call, "call");
    requireNonNull(source, "source");
  }

  /** How a call result was obtained. */
  public enum Source {
    /** Found under its history id: nothing ran. */
    RETRACED,
    /** Found under its content id (same op and input values, other history): recorded anew, nothing ran. */
    REUSED,
    /** The op's function ran. */
    EXECUTED
  }
}
