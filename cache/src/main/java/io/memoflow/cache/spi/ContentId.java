package io.memoflow.cache.spi;

import io.memoflow.dag.Digest;

/**
 * The identity of a value by content: the first 128 bits of the SHA-256 hash of the value's
 * canonical bytes (sorted keys and properties, type tag included, so {@code 1}, {@code 1L},
 * {@code 1.0} and {@code true} differ). Equal values have equal content ids wherever and
 * whenever they are computed. Immutable and thread-safe.
 *
 * @param hi the first 8 bytes of the hash
 * @param lo the next 8 bytes of the hash
 */
public record ContentId(long hi, long lo) implements Comparable<ContentId> {

  /** Returns the content id holding the same 128 bits as {@code digest}. */
  public static ContentId from(Digest digest) {
    return new ContentId(digest.hi(), digest.lo());
  }

  /**
   * Parses the form printed by {@link #hex()}.
   *
   * @throws IllegalArgumentException if {@code hex} is not 32 hex characters
   */
  public static ContentId fromHex(String hex) {
    return from(Digest.fromHex(hex));
  }

  /** Returns these bits as a {@link Digest}. */
  public Digest toDigest() {
    return new Digest(hi, lo);
  }

  /** Returns the 32-character lower-case hex form. */
  public String hex() {
    return toDigest().hex();
  }

  @Override
  public int compareTo(ContentId o) {
    return toDigest().compareTo(o.toDigest());
  }

  @Override
  public String toString() {
    return "cid:" + toDigest().shortHex();
  }
}
