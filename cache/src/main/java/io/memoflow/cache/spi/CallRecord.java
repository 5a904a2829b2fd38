package io.memoflow.cache.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A stored call as a backend keeps it: ids, op name and version, and the identity inputs and
 * outputs as {@link Slot}s. Immutable.
 *
 * <p>The storage makes records whose ids follow memoflow's identity rules (ARCHITECTURE.md,
 * "Identity"): the call's content id and its outputs' history ids are functions of the rest, so
 * a backend may keep the rest and derive them when it reads (the Chronicle backend does).
 *
 * @param historyId the call's history id (the primary key)
 * @param contentId the call's content id (the key for reuse by content)
 * @param op the op's name
 * @param version the op's version
 * @param inputs the inputs that make up the call's identity, in the op's order
 * @param outputs every output, in the op's order
 */
public record CallRecord(HistoryId historyId, ContentId contentId, String op, String version,
    List<Slot> inputs, List<Slot> outputs) {

  /** Validates and copies the components. */
  public CallRecord {
    requireNonNull(historyId, "historyId");
    requireNonNull(contentId, "contentId");
    requireNonNull(op, "op");
    requireNonNull(version, "version");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** Returns an approximate in-memory size in bytes, for cache weighing. */
  public int weight() {
    return 96 + 64 * (inputs.size() + outputs.size()) + op.length() + version.length();
  }

  /**
   * One named input or output of a call.
   *
   * @param name the input or output name
   * @param contentId the value's content id
   * @param historyId the value's history id
   */
  public record Slot(String name, ContentId contentId, HistoryId historyId) {
    /** Validates the components. */
    public Slot {
      requireNonNull(name, "name");
      requireNonNull(contentId, "contentId");
      requireNonNull(historyId, "historyId");
    }
  }
}
