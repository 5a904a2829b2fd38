package io.memoflow.cache;

import static java.util.Objects.requireNonNull;

import io.memoflow.cache.version.CodeVersion;
import java.time.Instant;

/**
 * One version of an op as a storage has seen it. Immutable snapshot.
 *
 * @param op the op's name
 * @param codeVersion the hex code version ({@link CodeVersion#hex()}), or {@code label:<label>}
 *     for an explicit version label
 * @param version the version calls are stored under: {@code code:<semantic hex>} or the label;
 *     code versions declared refactors of each other share it
 * @param firstSeen when the storage first saw this code version
 * @param calls how many stored calls were made under {@link #version()} (any dependencies)
 * @param current whether this is the op's code as loaded in this process
 */
public record OpVersion(String op, String codeVersion, String version, Instant firstSeen,
    long calls, boolean current) {

  /** Validates. */
  public OpVersion {
    requireNonNull(op, "op");
    requireNonNull(codeVersion, "codeVersion");
    requireNonNull(version, "version");
    requireNonNull(firstSeen, "firstSeen");
  }

  /** Returns whether this code version was declared a refactor of an earlier one. */
  public boolean isRefactor() {
    return version.startsWith(OpVersionResolver.CODE_PREFIX)
        && !version.equals(OpVersionResolver.CODE_PREFIX + codeVersion);
  }

  @Override
  public String toString() {
    String code = codeVersion.length() > 12 && !codeVersion.startsWith(VersionMetadataStore.LABEL_PREFIX)
        ? codeVersion.substring(0, 12) : codeVersion;
    return op + " " + code + (isRefactor() ? " (refactor)" : "") + " first seen " + firstSeen
        + ", " + calls + (calls == 1 ? " call" : " calls") + (current ? ", current" : "");
  }
}
