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
    private Engine engine;
    /** The engine's buffer: pieces are gathered here and fed to SHA-256 in one update. */
    private byte[] buf;
    private int len;

    private Hasher() {
      engine = Engine.LOCAL.get().take();
      buf = engine.buf;
    }

    /** Adds a string (UTF-8, length-prefixed). */
    public Hasher add(String s) {
      int n = s.length();
      boolean ascii = true;
      for (int i = 0; i < n && ascii; i++) {
        ascii = s.charAt(i) < 0x80;
      }
      if (!ascii) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        putTagged(STRING, b.length);
        putBytes(b);
        return this;
      }
      putTagged(STRING, n);
      if (n > buf.length - len) {
        flush();
        if (n > buf.length) {
          engine().sha.update(s.getBytes(StandardCharsets.US_ASCII));
          return this;
        }
      }
      for (int i = 0; i < n; i++) {
        buf[len++] = (byte) s.charAt(i);
      }
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
      putTagged(DIGEST, hi);
      putTagged(DIGEST, lo);
      return this;
    }

    /** Adds raw bytes (length-prefixed). */
    public Hasher add(byte[] bytes) {
      putTagged(BYTES, bytes.length);
      putBytes(bytes);
      return this;
    }

    /**
     * Finishes and returns the digest; the hasher must not be used afterwards.
     *
     * @throws IllegalStateException if called a second time
     */
    public Digest digest() {
      Engine e = engine();
      flush();
      byte[] h = e.sha.digest();
      engine = null;
      buf = null;
      Engine.LOCAL.get().give(e);
      return new Digest(toLong(h, 0), toLong(h, 8));
    }

    private Engine engine() {
      Engine e = engine;
      if (e == null) {
        throw new IllegalStateException(
            "This hasher already returned its digest. Start a new one with Digest.hasher(tag).");
      }
      return e;
    }

    private void flush() {
      if (len > 0) {
        engine().sha.update(buf, 0, len);
        len = 0;
      }
    }

    private void putBytes(byte[] b) {
      if (b.length > buf.length - len) {
        flush();
        if (b.length > buf.length) {
          engine().sha.update(b);
          return;
        }
      }
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
    }

    private void putTagged(byte tag, long v) {
      if (buf == null) {
        engine();
      }
      if (9 > buf.length - len) {
        flush();
      }
      byte[] b = buf;
      int o = len;
      b[o] = tag;
      for (int i = 0; i < 8; i++) {
        b[o + 1 + i] = (byte) (v >>> (56 - 8 * i));
      }
      len = o + 9;
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
   * set-up) costs more than hashing the few dozen bytes of an id, and so do many small
   * MessageDigest.update calls, hence the buffer a hasher gathers its pieces in. A thread may
   * have several hashers open at once (one per id being built), so each thread keeps a small
   * stack of engines, not one; a hasher takes an engine when it starts and gives it back,
   * reset by digest(), when it finishes. A hasher never finished leaves its engine to the
   * garbage collector.
   */
  private static final class Engine {
    static final ThreadLocal<Pool> LOCAL = ThreadLocal.withInitial(Pool::new);
    final MessageDigest sha;
    final byte[] buf = new byte[256];

    Engine() {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("This JVM has no SHA-256; every Java SE runtime must.", e);
      }
    }
  }

  private static final class Pool {
    private final Engine[] free = new Engine[8];
    private int n;

    Engine take() {
      if (n > 0) {
        Engine e = free[--n];
        free[n] = null;
        return e;
      }
      return new Engine();
    }

    void give(Engine e) {
      if (n < free.length) {
        free[n++] = e;
      }
    }
  }
}
