package io.memoflow.dag;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A 128-bit digest: the first 16 bytes of a SHA-256 hash, kept as two longs so that
 * records holding it stay small, comparable and array-free.
 *
 * <p>Digests are stable across JVM runs, machines and class loaders: they depend only on
 * the bytes fed to a {@link Hasher}. Immutable and thread-safe; ordered by
 * {@code (hi, lo)} as unsigned numbers, which is also the order of {@link #hex()}.
 *
 * @param hi the first 8 bytes of the hash, big-endian
 * @param lo the next 8 bytes of the hash, big-endian
 */
public record Digest(long hi, long lo) implements Comparable<Digest> {

  /** Returns the 32-character lower-case hex form, e.g. {@code 3f2a...}. */
  public String hex() {
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits(hi) + hex.toHexDigits(lo);
  }

  /** Returns the first 12 hex characters, for listings and log lines. */
  public String shortHex() {
    return hex().substring(0, 12);
  }

  /**
   * Parses the form printed by {@link #hex()}.
   *
   * @throws IllegalArgumentException if {@code hex} is not 32 hex characters
   */
  public static Digest fromHex(String hex) {
    if (hex == null || hex.length() != 32) {
      throw new IllegalArgumentException(
          "Not a digest: '" + hex + "'. Expected 32 hex characters as printed by Digest.hex().");
    }
    try {
      return new Digest(
          Long.parseUnsignedLong(hex.substring(0, 16), 16),
          Long.parseUnsignedLong(hex.substring(16), 16));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Not a digest: '" + hex + "'. Expected 32 hex characters as printed by Digest.hex().", e);
    }
  }

  /** Returns a new hasher that starts with the given domain tag (e.g. {@code "raw"}, {@code "call"}). */
  public static Hasher hasher(String tag) {
    return new Hasher().add(tag);
  }

  /** Returns the digest of the given bytes under a domain tag. */
  public static Digest of(String tag, byte[] bytes) {
    return hasher(tag).add(bytes).digest();
  }

  @Override
  public int compareTo(Digest o) {
    int c = Long.compareUnsigned(hi, o.hi);
    return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
  }

  @Override
  public String toString() {
    return shortHex();
  }

  /**
   * Feeds typed, length-prefixed pieces into SHA-256, so that no two different sequences of
   * pieces give the same byte stream ({@code add("ab").add("c")} differs from
   * {@code add("a").add("bc")}). Not thread-safe; one hasher per digest.
   */
  public static final class Hasher {
    private static final byte STRING = 1, LONG = 2, DIGEST = 3, BYTES = 4, DOUBLE = 5;
    private MessageDigest sha;
    private final byte[] scratch = new byte[18];

    private Hasher() {
      sha = Pool.LOCAL.get().take();
    }

    /** Adds a string (UTF-8, length-prefixed). */
    public Hasher add(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      putTagged(STRING, b.length);
      sha().update(b);
      return this;
    }

    /** Adds a long. */
    public Hasher add(long v) {
      putTagged(LONG, v);
      return this;
    }

    /** Adds a double by its IEEE-754 bits (so {@code 1.0} and {@code 1L} differ). */
    public Hasher add(double v) {
      putTagged(DOUBLE, Double.doubleToLongBits(v));
      return this;
    }

    /** Adds another digest. */
    public Hasher add(Digest d) {
      return addDigest(d.hi, d.lo);
    }

    /**
     * Adds the digest {@code new Digest(hi, lo)} without creating it: the same bytes as
     * {@link #add(Digest)}.
     */
    public Hasher addDigest(long hi, long lo) {
      put(0, DIGEST, hi);
      put(9, DIGEST, lo);
      sha().update(scratch, 0, 18);
      return this;
    }

    /** Adds raw bytes (length-prefixed). */
    public Hasher add(byte[] bytes) {
      putTagged(BYTES, bytes.length);
      sha().update(bytes);
      return this;
    }

    /**
     * Finishes and returns the digest; the hasher must not be used afterwards.
     *
     * @throws IllegalStateException if called a second time
     */
    public Digest digest() {
      MessageDigest m = sha();
      byte[] h = m.digest();
      sha = null;
      Pool.LOCAL.get().give(m);
      return new Digest(toLong(h, 0), toLong(h, 8));
    }

    private MessageDigest sha() {
      MessageDigest m = sha;
      if (m == null) {
        throw new IllegalStateException(
            "This hasher already returned its digest. Start a new one with Digest.hasher(tag).");
      }
      return m;
    }

    private void putTagged(byte tag, long v) {
      put(0, tag, v);
      sha().update(scratch, 0, 9);
    }

    private void put(int off, byte tag, long v) {
      scratch[off] = tag;
      for (int i = 0; i < 8; i++) {
        scratch[off + 1 + i] = (byte) (v >>> (56 - 8 * i));
      }
    }

    private static long toLong(byte[] b, int off) {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (b[off + i] & 0xFF);
      }
      return v;
    }
  }

  /*
   * SHA-256 engines of one thread, reused: MessageDigest.getInstance (provider lookup and
   * set-up) costs more than hashing the few dozen bytes of an id. A thread may have several
   * hashers open at once (one per id being built), so this is a small stack, not one engine;
   * a hasher takes an engine when it starts and gives it back, reset by digest(), when it
   * finishes. A hasher never finished simply leaves its engine to the garbage collector.
   */
  private static final class Pool {
    static final ThreadLocal<Pool> LOCAL = ThreadLocal.withInitial(Pool::new);
    private final MessageDigest[] free = new MessageDigest[8];
    private int n;

    MessageDigest take() {
      if (n > 0) {
        MessageDigest m = free[--n];
        free[n] = null;
        return m;
      }
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("This JVM has no SHA-256; every Java SE runtime must.", e);
      }
    }

    void give(MessageDigest m) {
      if (n < free.length) {
        free[n++] = m;
      }
    }
  }
}
