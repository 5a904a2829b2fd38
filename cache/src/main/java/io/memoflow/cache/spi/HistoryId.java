package io.memoflow.cache.spi;

import io.memoflow.dag.Digest;

/**
 * The identity of a value or call by history: the Merkle hash of the computation that produced
 * it. A raw input's history id is {@code H("raw", contentId)}; a call's is
 * {@code H(op, version, {input name -> input history id})}; an output's is
 * {@code H(call history id, output name)}. Equal values computed differently keep different
 * history ids. Immutable and thread-safe.
 *
 * @param hi the first 8 bytes of the hash
 * @param lo the next 8 bytes of the hash
 */
public record HistoryId(long hi, long lo) implements Comparable<HistoryId> {

  /** Returns the history id holding the same 128 bits as {@code digest}. */
  public static HistoryId from(Digest digest) {
    return new HistoryId(digest.hi(), digest.lo());
  }

  /**
   * Parses the form printed by {@link #hex()}.
   *
   * @throws IllegalArgumentException if {@code hex} is not 32 hex characters
   */
  public static HistoryId fromHex(String hex) {
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

  /** Equal when both hold the same 128 bits (written out: frames compare ids in hot loops). */
  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof HistoryId h && hi == h.hi && lo == h.lo;
  }

  /** The record's hash ({@code 31 * hash(hi) + hash(lo)}), written out like {@link #equals}. */
  @Override
  public int hashCode() {
    return 31 * Long.hashCode(hi) + Long.hashCode(lo);
  }

  @Override
  public int compareTo(HistoryId o) {
    return toDigest().compareTo(o.toDigest());
  }

  @Override
  public String toString() {
    return "hid:" + toDigest().shortHex();
  }
}
