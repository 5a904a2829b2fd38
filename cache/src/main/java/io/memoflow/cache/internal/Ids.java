package io.memoflow.cache.internal;

import io.memoflow.dag.Digest;

/**
 * The identity rules (ARCHITECTURE.md, "Identity"), in one place. Not API; may change without notice.
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
  private Ids() {}

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
