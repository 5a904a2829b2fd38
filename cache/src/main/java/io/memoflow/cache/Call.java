package io.memoflow.cache;

import static java.util.Objects.requireNonNull;

import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import java.util.Collections;
import java.util.Map;

/**
 * One call of an {@link Op}: the op's name and version, the input refs by name (ordered like
 * the op's inputs), the output refs by name (ordered like its outputs), and the call's content
 * and history ids. Immutable and thread-safe.
 *
 * <p>A call returned by a session holds every argument among its inputs; a call read back from
 * the store ({@link Storage#creator(Ref)} and friends) holds the inputs that make up its
 * identity (ignored inputs, and new inputs at their new default, are not stored).
 */
public final class Call {
  /** How a version derived from code begins: {@code code:<semantic hex>} (see {@link #version()}). */
  public static final String CODE_VERSION_PREFIX = "code:";
  /**
   * What separates a base version from the hash of the dependencies a call ran
   * ({@code <base>+deps:<hex>}; see {@link Tracked}).
   */
  public static final String DEPS_SEPARATOR = "+deps:";

  private final String op;
  private final String version;
  private final Map<String, Ref<?>> inputs;
  private final Map<String, Ref<?>> outputs;
  private volatile ContentId contentId;
  private volatile HistoryId historyId;
  private final Op lazyOp;

  Call(String op, String version, Map<String, Ref<?>> inputs, Map<String, Ref<?>> outputs,
      ContentId contentId, HistoryId historyId) {
    this.op = requireNonNull(op, "op");
    this.version = requireNonNull(version, "version");
    this.inputs = Collections.unmodifiableMap(inputs);
    this.outputs = Collections.unmodifiableMap(outputs);
    this.contentId = requireNonNull(contentId, "contentId");
    this.historyId = requireNonNull(historyId, "historyId");
    this.lazyOp = null;
  }

  /** An unstored call: ids are computed from the input refs when first asked for. */
  Call(Op op, Map<String, Ref<?>> inputs, Map<String, Ref<?>> outputs) {
    this.op = op.name();
    this.version = op.version();
    this.inputs = Collections.unmodifiableMap(inputs);
    this.outputs = Collections.unmodifiableMap(outputs);
    this.lazyOp = op;
  }

  /** Returns the op's name. */
  public String op() {
    return op;
  }

  /** Returns the op's version. */
  public String version() {
    return version;
  }

  /** Returns the input refs by input name, in the op's input order (an unmodifiable map). */
  public Map<String, Ref<?>> inputs() {
    return inputs;
  }

  /** Returns the output refs by output name, in the op's output order (an unmodifiable map). */
  public Map<String, Ref<?>> outputs() {
    return outputs;
  }

  /**
   * Returns the output called {@code name}.
   *
   * @throws IllegalArgumentException if the op has no such output
   */
  @SuppressWarnings("unchecked")
  public <T> Ref<T> output(String name) {
    Ref<?> r = outputs.get(name);
    if (r == null) {
      throw new IllegalArgumentException(
          "Op '" + op + "' v" + version + " has no output '" + name + "'. Its outputs are "
              + outputs.keySet() + ".");
    }
    return (Ref<T>) r;
  }

  /** Returns the call's content id: {@code H(op, version, {input name -> input content id})}. */
  public ContentId contentId() {
    if (contentId == null) {
      contentId = CallIds.callContentId(lazyOp, inputs.values().toArray(new Ref<?>[0]));
    }
    return contentId;
  }

  /** Returns the call's history id: {@code H(op, version, {input name -> input history id})}. */
  public HistoryId historyId() {
    if (historyId == null) {
      historyId = CallIds.callHistoryId(lazyOp, inputs.values().toArray(new Ref<?>[0]));
    }
    return historyId;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Call c && historyId().equals(c.historyId());
  }

  @Override
  public int hashCode() {
    return historyId().hashCode();
  }

  @Override
  public String toString() {
    return String.join(", ", outputs.keySet()) + " = " + op + "@" + version
        + inputs.keySet() + " [" + historyId() + "]";
  }
}
