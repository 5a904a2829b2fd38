package io.memoflow.cluster.internal;

import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.CallRecord.Slot;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A call record as the cluster's maps hold it: every id in full (nothing derived), op and
 * version, then the slots. The network and Hazelcast's backups check their own bytes; the
 * storage in front checks every value against its content id.
 */
final class RecordCodec {
  private RecordCodec() {}

  private static final int FORMAT = 1;

  static byte[] encode(CallRecord r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeLong(r.historyId().hi());
      out.writeLong(r.historyId().lo());
      out.writeLong(r.contentId().hi());
      out.writeLong(r.contentId().lo());
      out.writeUTF(r.op());
      out.writeUTF(r.version());
      writeSlots(out, r.inputs());
      writeSlots(out, r.outputs());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static CallRecord decode(byte[] b) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
      int format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalStateException("A call record in the cluster has format " + format
            + ", not " + FORMAT + ": a member of another memoflow version wrote it. Run one"
            + " version in a cluster.");
      }
      HistoryId h = new HistoryId(in.readLong(), in.readLong());
      ContentId c = new ContentId(in.readLong(), in.readLong());
      String op = in.readUTF();
      String version = in.readUTF();
      return new CallRecord(h, c, op, version, readSlots(in), readSlots(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeSlots(DataOutputStream out, List<Slot> slots) throws IOException {
    out.writeShort(slots.size());
    for (Slot s : slots) {
      out.writeUTF(s.name());
      out.writeLong(s.contentId().hi());
      out.writeLong(s.contentId().lo());
      out.writeLong(s.historyId().hi());
      out.writeLong(s.historyId().lo());
    }
  }

  private static List<Slot> readSlots(DataInputStream in) throws IOException {
    int n = in.readShort();
    List<Slot> slots = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      slots.add(new Slot(in.readUTF(), new ContentId(in.readLong(), in.readLong()),
          new HistoryId(in.readLong(), in.readLong())));
    }
    return slots;
  }
}
