package io.memoflow.cache.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.memoflow.dag.Digest;
import java.nio.ByteBuffer;

/**
 * The identity rules of DESIGN.md, in one place. Not API; may change without notice.
 *
 * <pre>
 * value cid   = H("value", canonical bytes)
 * raw hid     = H("raw", cid)
 * call cid    = H("call-content", op, version, {name, input cid}...)
 * call hid    = H("call-history", op, version, {name, input hid}...)
 * output hid  = H("output", call hid, output name)
 * </pre>
 */
public final class Ids {
  private static final int SMALL = 64;
  private static final Cache<ByteBuffer, Digest[]> SMALL_VALUES =
      Caffeine.newBuilder().maximumSize(1 << 16).build();

  private Ids() {}

  /**
   * Returns {@code {cid, raw hid}} of a value's canonical bytes. Small values (the common
   * numbers and short strings) are remembered, so retracing a call with the same raw arguments
   * does not hash them again; the result is the same either way.
   */
  public static Digest[] rawIds(byte[] canonical) {
    if (canonical.length > SMALL) {
      Digest cid = Digest.of("value", canonical);
      return new Digest[] {cid, rawHistory(cid)};
    }
    ByteBuffer key = ByteBuffer.wrap(canonical);
    Digest[] ids = SMALL_VALUES.getIfPresent(key);
    if (ids == null) {
      Digest cid = Digest.of("value", canonical);
      ids = new Digest[] {cid, rawHistory(cid)};
      SMALL_VALUES.put(key, ids);
    }
    return ids;
  }

  /** Returns the raw history id of a value with content id {@code cid}. */
  public static Digest rawHistory(Digest cid) {
    return Digest.hasher("raw").add(cid).digest();
  }

  /** Returns the history id of output {@code name} of the call {@code callHid}. */
  public static Digest outputHistory(Digest callHid, String name) {
    return Digest.hasher("output").add(callHid).add(name).digest();
  }

  /** Starts a call content id; add {@code (name, input cid)} pairs, then digest. */
  public static Digest.Hasher callContent(String op, String version) {
    return Digest.hasher("call-content").add(op).add(version);
  }

  /** Starts a call history id; add {@code (name, input hid)} pairs, then digest. */
  public static Digest.Hasher callHistory(String op, String version) {
    return Digest.hasher("call-history").add(op).add(version);
  }
}
