package io.memoflow.cache.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.memoflow.cache.ContentId;
import io.memoflow.cache.HistoryId;
import io.memoflow.cache.StorageException;
import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.StorageBackend;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/*
 * Overview: the persistent backend. Index records live in Chronicle Map files (each a
 * SegmentedMap of 16-byte keys), large values in blob files:
 *
 *   calls      call hid   -> call record (call cid, op/version/name ids, input cid+hid, output cid)
 *   bycontent  call cid   -> call hid          (reuse by content, across processes)
 *   values     value cid  -> 0 + bytes | 1     (1 = in blobs/ab/cdef...)
 *   creators   output hid -> call hid          (provenance: who made this ref)
 *   consumers  edge(ref hid, i)   -> call hid  (the i-th call that consumed the ref)
 *   opcalls    edge(op key, i)    -> call hid  (the i-th call of an op)
 *
 * Edge lists are append-only and contiguous from 0, so a list's length is found by galloping
 * search and then cached; a deleted call leaves its edges behind and readers skip them.
 * Output hids are not stored: they are H(call hid, output name). Names (ops, versions, inputs,
 * outputs) are interned in names.log. Commit order: names, blobs, values, calls, indexes,
 * then fsync of every changed file, so a visible call always has its values.
 */
public final class ChronicleBackend implements StorageBackend {
  private static final int INLINE_LIMIT = 512;
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private final StoreDirectory dir;
  private final NameTable names;
  private final BlobStore blobs;
  private final SegmentedMap calls;
  private final SegmentedMap byContent;
  private final SegmentedMap values;
  private final SegmentedMap creators;
  private final SegmentedMap consumers;
  private final SegmentedMap opCalls;
  private final Cache<HistoryId, Integer> edgeCounts = Caffeine.newBuilder().maximumSize(200_000).build();

  private ChronicleBackend(StoreDirectory dir, long initialEntries) {
    this.dir = dir;
    boolean rec = dir.recover;
    Path d = dir.dir;
    try {
      names = new NameTable(d.resolve("names.log"));
      blobs = new BlobStore(d.resolve("blobs"));
      calls = new SegmentedMap(d, "calls", 0, 72, initialEntries, rec);
      byContent = new SegmentedMap(d, "bycontent", 16, 16, initialEntries, rec);
      values = new SegmentedMap(d, "values", 0, 16, initialEntries, rec);
      creators = new SegmentedMap(d, "creators", 16, 16, initialEntries, rec);
      consumers = new SegmentedMap(d, "consumers", 16, 16, initialEntries, rec);
      opCalls = new SegmentedMap(d, "opcalls", 16, 16, initialEntries, rec);
    } catch (RuntimeException e) {
      dir.abandon();
      throw e;
    }
  }

  /**
   * Opens or creates the store in {@code path}, recovering it if it was not closed cleanly.
   *
   * @throws StorageException if it is not a store, has another format, or is locked
   */
  public static ChronicleBackend open(Path path, long initialEntries) {
    return new ChronicleBackend(new StoreDirectory(path), initialEntries);
  }

  /** Returns whether this open recovered a store that was not closed cleanly. */
  public boolean recovered() {
    return dir.recover;
  }

  /** Returns the number of Chronicle Map files of the calls index (grows by rolling). */
  public int callSegments() {
    return calls.segmentCount();
  }

  private static byte[] key(long hi, long lo) {
    byte[] k = new byte[16];
    for (int i = 0; i < 8; i++) {
      k[i] = (byte) (hi >>> (56 - 8 * i));
      k[8 + i] = (byte) (lo >>> (56 - 8 * i));
    }
    return k;
  }

  private static byte[] key(HistoryId h) {
    return key(h.hi(), h.lo());
  }

  private static byte[] key(ContentId c) {
    return key(c.hi(), c.lo());
  }

  private static long longAt(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  private static HistoryId hid(byte[] b) {
    return new HistoryId(longAt(b, 0), longAt(b, 8));
  }

  private static byte[] edgeKey(HistoryId list, int i) {
    return key(list.hi() ^ (i * GOLDEN), list.lo() + i);
  }

  private static HistoryId opKey(String op) {
    return HistoryId.from(io.memoflow.dag.Digest.hasher("op-calls").add(op).digest());
  }

  // ---- call records ----

  private byte[] encode(CallRecord c) {
    ByteBuffer b = ByteBuffer.allocate(32 + 10 + c.inputs().size() * 38 + c.outputs().size() * 22);
    b.putLong(c.contentId().hi()).putLong(c.contentId().lo());
    varint(b, names.intern(c.op()));
    varint(b, names.intern(c.version()));
    varint(b, c.inputs().size());
    for (CallRecord.Slot s : c.inputs()) {
      varint(b, names.intern(s.name()));
      b.putLong(s.contentId().hi()).putLong(s.contentId().lo());
      b.putLong(s.historyId().hi()).putLong(s.historyId().lo());
    }
    varint(b, c.outputs().size());
    for (CallRecord.Slot s : c.outputs()) {
      varint(b, names.intern(s.name()));
      b.putLong(s.contentId().hi()).putLong(s.contentId().lo());
    }
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  private CallRecord decode(HistoryId hid, byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    ContentId cid = new ContentId(b.getLong(), b.getLong());
    String op = names.name(varint(b));
    String version = names.name(varint(b));
    int nIn = varint(b);
    List<CallRecord.Slot> in = new ArrayList<>(nIn);
    for (int i = 0; i < nIn; i++) {
      String n = names.name(varint(b));
      ContentId c = new ContentId(b.getLong(), b.getLong());
      in.add(new CallRecord.Slot(n, c, new HistoryId(b.getLong(), b.getLong())));
    }
    int nOut = varint(b);
    List<CallRecord.Slot> out = new ArrayList<>(nOut);
    for (int i = 0; i < nOut; i++) {
      String n = names.name(varint(b));
      ContentId c = new ContentId(b.getLong(), b.getLong());
      out.add(new CallRecord.Slot(n, c, HistoryId.from(Ids.outputHistory(hid.toDigest(), n))));
    }
    return new CallRecord(hid, cid, op, version, in, out);
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

  // ---- reads ----

  @Override
  public CallRecord call(HistoryId historyId) {
    byte[] b = calls.get(key(historyId));
    return b == null ? null : decode(historyId, b);
  }

  @Override
  public HistoryId callByContent(ContentId contentId) {
    byte[] b = byContent.get(key(contentId));
    return b == null ? null : hid(b);
  }

  @Override
  public byte[] value(ContentId contentId) {
    byte[] b = values.get(key(contentId));
    if (b == null) {
      return null;
    }
    if (b[0] == 1) {
      return blobs.read(contentId);
    }
    return java.util.Arrays.copyOfRange(b, 1, b.length);
  }

  @Override
  public boolean containsValue(ContentId contentId) {
    return values.containsKey(key(contentId));
  }

  @Override
  public HistoryId creator(HistoryId refHistoryId) {
    byte[] b = creators.get(key(refHistoryId));
    return b == null ? null : hid(b);
  }

  @Override
  public List<HistoryId> consumers(HistoryId refHistoryId) {
    return edges(consumers, refHistoryId);
  }

  @Override
  public List<HistoryId> callsOf(String op) {
    return edges(opCalls, opKey(op));
  }

  private List<HistoryId> edges(SegmentedMap map, HistoryId list) {
    int n = edgeCount(map, list);
    Set<HistoryId> out = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      byte[] b = map.get(edgeKey(list, i));
      if (b != null) {
        HistoryId c = hid(b);
        if (calls.containsKey(key(c))) {
          out.add(c);
        }
      }
    }
    return new ArrayList<>(out);
  }

  /** The length of an edge list: cached, else found by galloping then binary search. */
  private int edgeCount(SegmentedMap map, HistoryId list) {
    HistoryId cacheKey = map == consumers ? list : new HistoryId(~list.hi(), ~list.lo());
    Integer cached = edgeCounts.getIfPresent(cacheKey);
    if (cached != null) {
      return cached;
    }
    int n;
    if (!map.containsKey(edgeKey(list, 0))) {
      n = 0;
    } else {
      int lo = 0;
      int hi = 1;
      while (map.containsKey(edgeKey(list, hi))) {
        lo = hi;
        hi *= 2;
      }
      while (hi - lo > 1) {
        int mid = (lo + hi) >>> 1;
        if (map.containsKey(edgeKey(list, mid))) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      n = lo + 1;
    }
    edgeCounts.put(cacheKey, n);
    return n;
  }

  private void appendEdge(SegmentedMap map, HistoryId list, HistoryId call) {
    int n = edgeCount(map, list);
    map.put(edgeKey(list, n), key(call));
    HistoryId cacheKey = map == consumers ? list : new HistoryId(~list.hi(), ~list.lo());
    edgeCounts.put(cacheKey, n + 1);
  }

  // ---- writes ----

  @Override
  public void commit(Map<ContentId, byte[]> newValues, List<CallRecord> newCalls) {
    List<byte[]> encoded = new ArrayList<>(newCalls.size());
    for (CallRecord c : newCalls) {
      encoded.add(encode(c));
    }
    names.force();
    for (Map.Entry<ContentId, byte[]> e : newValues.entrySet()) {
      byte[] k = key(e.getKey());
      if (values.containsKey(k)) {
        continue;
      }
      byte[] v = e.getValue();
      if (v.length > INLINE_LIMIT) {
        blobs.write(e.getKey(), v);
        values.put(k, new byte[] {1});
      } else {
        byte[] inline = new byte[v.length + 1];
        System.arraycopy(v, 0, inline, 1, v.length);
        values.put(k, inline);
      }
    }
    for (int i = 0; i < newCalls.size(); i++) {
      CallRecord c = newCalls.get(i);
      byte[] k = key(c.historyId());
      if (calls.containsKey(k)) {
        continue;
      }
      calls.put(k, encoded.get(i));
      byte[] ck = key(c.contentId());
      if (!byContent.containsKey(ck)) {
        byContent.put(ck, k);
      }
      for (CallRecord.Slot out : c.outputs()) {
        creators.put(key(out.historyId()), k);
      }
      for (CallRecord.Slot in : c.inputs()) {
        appendEdge(consumers, in.historyId(), c.historyId());
      }
      appendEdge(opCalls, opKey(c.op()), c.historyId());
    }
    values.force();
    calls.force();
    byContent.force();
    creators.force();
    consumers.force();
    opCalls.force();
  }

  @Override
  public void deleteCall(HistoryId historyId) {
    CallRecord c = call(historyId);
    if (c == null) {
      return;
    }
    byte[] k = key(historyId);
    calls.remove(k);
    byte[] ck = key(c.contentId());
    byte[] owner = byContent.get(ck);
    if (owner != null && java.util.Arrays.equals(owner, k)) {
      byContent.remove(ck);
    }
    for (CallRecord.Slot out : c.outputs()) {
      creators.remove(key(out.historyId()));
    }
    calls.force();
    byContent.force();
    creators.force();
  }

  @Override
  public void deleteValues(Collection<ContentId> contentIds) {
    for (ContentId cid : contentIds) {
      byte[] k = key(cid);
      byte[] v = values.get(k);
      if (v != null && v[0] == 1) {
        blobs.delete(cid);
      }
      values.remove(k);
    }
    values.force();
  }

  @Override
  public void forEachCall(Consumer<CallRecord> action) {
    calls.forEach((k, v) -> action.accept(decode(hid(k), v)));
  }

  @Override
  public void forEachValue(Consumer<ContentId> action) {
    values.forEach((k, v) -> action.accept(new ContentId(longAt(k, 0), longAt(k, 8))));
  }

  @Override
  public long callCount() {
    return calls.size();
  }

  @Override
  public long valueCount() {
    return values.size();
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (AutoCloseable c : new AutoCloseable[] {calls, byContent, values, creators, consumers, opCalls, names}) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof RuntimeException r ? r : new StorageException(e.getMessage(), e);
        }
      }
    }
    if (first != null) {
      dir.abandon();
      throw first;
    }
    dir.close();
  }
}
