package io.memoflow.cache.internal;

import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StoreDamageException;
import io.memoflow.dag.Digest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/** The bytes of a call record in a store's calls index (ChronicleBackend), and back. Not API. */
final class CallRecordCodec {
  private CallRecordCodec() {}

  /*
   * Call record layout (varints and 16-byte ids), kept short because it is the biggest entry:
   *   op name id, version id, n inputs, per input: (name id << 1 | raw) cid [hid unless raw],
   *   n outputs, per output: name id, cid.
   * Derivable ids are not stored: the call's content id is H(op, version, names, input cids),
   * a raw input's history id is H("raw", cid), an output's history id H(call hid, name).
   * Last, a CRC32C of the key and the bytes before it, so a damaged or moved record is an
   * error instead of another call (Checksums).
   */
  static byte[] encode(CallRecord c, ToIntFunction<String> names) {
    ByteBuffer b = ByteBuffer.allocate(14 + c.inputs().size() * 38 + c.outputs().size() * 22);
    varint(b, names.applyAsInt(c.op()));
    varint(b, names.applyAsInt(c.version()));
    varint(b, c.inputs().size());
    for (CallRecord.Slot s : c.inputs()) {
      boolean raw = HistoryId.from(Ids.rawHistory(s.contentId().toDigest())).equals(s.historyId());
      varint(b, names.applyAsInt(s.name()) << 1 | (raw ? 1 : 0));
      b.putLong(s.contentId().hi()).putLong(s.contentId().lo());
      if (!raw) {
        b.putLong(s.historyId().hi()).putLong(s.historyId().lo());
      }
    }
    varint(b, c.outputs().size());
    for (CallRecord.Slot s : c.outputs()) {
      varint(b, names.applyAsInt(s.name()));
      b.putLong(s.contentId().hi()).putLong(s.contentId().lo());
    }
    b.putInt(Checksums.of(c.historyId().hi(), c.historyId().lo(), b.array(), b.position()));
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  /**
   * Decodes the record stored under {@code hid}, naming ids with {@code names}.
   *
   * @throws DamagedRecord if it fails its checksum or does not parse
   * @throws io.memoflow.cache.spi.StoreDamageException if {@code names} lacks a name it uses
   */
  static CallRecord decode(HistoryId hid, byte[] bytes, IntFunction<String> names) {
    if (!Checksums.matches(hid.hi(), hid.lo(), bytes)) {
      throw new DamagedRecord("the record of call " + hid.hex() + " fails its checksum");
    }
    return parse(hid, bytes, bytes.length - Checksums.SIZE, names);
  }

  /**
   * Decodes a record of a format 2 store (no checksum), which repair converts: checked instead
   * by its history id, which it must hash to (a damaged name or input id then fails).
   */
  static CallRecord decodeLegacy(HistoryId hid, byte[] bytes, IntFunction<String> names) {
    CallRecord c = parse(hid, bytes, bytes.length, names);
    Digest.Hasher h = Ids.callHistory(c.op(), c.version());
    for (CallRecord.Slot s : c.inputs()) {
      h.add(s.name()).add(s.historyId().toDigest());
    }
    if (!HistoryId.from(h.digest()).equals(hid)) {
      throw new DamagedRecord("the record of call " + hid.hex() + " does not hash to its history id");
    }
    return c;
  }

  private static CallRecord parse(HistoryId hid, byte[] bytes, int length, IntFunction<String> names) {
    try {
      return decodeChecked(hid, bytes, length, names);
    } catch (StoreDamageException e) {
      throw e;
    } catch (RuntimeException e) {
      // The checksum matched but the bytes do not parse: written by a broken writer.
      throw new DamagedRecord("the record of call " + hid.hex() + " cannot be read (" + e + ")");
    }
  }

  /** A call record that fails its checksum or does not parse; the message says which. */
  static final class DamagedRecord extends RuntimeException {
    DamagedRecord(String message) {
      super(message, null, false, false);
    }
  }

  private static CallRecord decodeChecked(HistoryId hid, byte[] bytes, int length,
      IntFunction<String> names) {
    ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
    String op = names.apply(varint(b));
    String version = names.apply(varint(b));
    io.memoflow.dag.Digest.Hasher content = Ids.callContent(op, version);
    int nIn = varint(b);
    List<CallRecord.Slot> in = new ArrayList<>(nIn);
    for (int i = 0; i < nIn; i++) {
      int tagged = varint(b);
      String n = names.apply(tagged >>> 1);
      ContentId c = new ContentId(b.getLong(), b.getLong());
      HistoryId h = (tagged & 1) == 1
          ? HistoryId.from(Ids.rawHistory(c.toDigest()))
          : new HistoryId(b.getLong(), b.getLong());
      content.add(n).add(c.toDigest());
      in.add(new CallRecord.Slot(n, c, h));
    }
    int nOut = varint(b);
    List<CallRecord.Slot> out = new ArrayList<>(nOut);
    for (int i = 0; i < nOut; i++) {
      String n = names.apply(varint(b));
      ContentId c = new ContentId(b.getLong(), b.getLong());
      out.add(new CallRecord.Slot(n, c, HistoryId.from(Ids.outputHistory(hid.toDigest(), n))));
    }
    return new CallRecord(hid, ContentId.from(content.digest()), op, version, in, out);
  }

  private static void varint(ByteBuffer b, int v) {
    while ((v & ~0x7F) != 0) {
      b.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    b.put((byte) v);
  }

  private static int varint(ByteBuffer b) {
    int v = 0;
    for (int shift = 0; ; shift += 7) {
      byte x = b.get();
      v |= (x & 0x7F) << shift;
      if (x >= 0) {
        return v;
      }
    }
  }
}
