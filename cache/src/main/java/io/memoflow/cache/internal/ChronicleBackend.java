package io.memoflow.cache.internal;

import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.ChangeListener;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageBackend;
import io.memoflow.cache.spi.StorageException;
import io.memoflow.cache.spi.StoreDamageException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Overview: the persistent backend. Index records live in Chronicle Map files (each a
 * SegmentedMap), large values in blob files:
 *
 *   calls      call hid (16 bytes)       -> call record (op/version/name ids, input cid [+hid], output cid)
 *   bycontent  call cid, first 8 bytes   -> call hid  (reuse by content, across processes; a hit
 *                                                      is checked against the call's full cid)
 *   values     value cid (16 bytes)      -> 0 + bytes | 1     (1 = in blobs/ab/cdef...)
 *
 * The provenance edges (output ref -> creator call, input ref -> consumer calls, op -> calls)
 * are not stored: every one of them is in the call records, and no lookup on the call path
 * needs them. The first provenance query builds them in memory by one pass over the calls
 * (Edges); later commits add to them and readers skip calls deleted since. Names (ops,
 * versions, inputs, outputs) are interned in names.log. Commit order: names, blobs, values,
 * calls, content index, then fsync of every changed file, so a visible call always has its
 * values.
 *
 * Several processes (and several Storages of one JVM) may have a store open at once; Chronicle
 * Map files are shared memory maps with their own inter-process locks. Commits and deletions
 * hold the store's write lock (StoreDirectory) and end by publishing what they added or
 * removed in the change log (ChangeLog); refresh() reads what others published since, opens
 * the index files they added, adds their calls to Edges, and tells the listener (the storage's
 * caches) what they deleted. A writer refreshes first, under the lock, so its own view is
 * current before it writes.
 */
public final class ChronicleBackend implements StorageBackend {
  private static final Logger LOG = LoggerFactory.getLogger(ChronicleBackend.class);
  private static final int INLINE_LIMIT = 512;

  private final StoreDirectory dir;
  private final NameTable names;
  private final BlobStore blobs;
  private final SegmentedMap calls;
  private final SegmentedMap byContent;
  private final SegmentedMap values;
  private final ChangeLog log;
  private final ClaimTable claims;
  /** The change log's end this backend has read up to; written under {@code this}. */
  private volatile long seen;
  private volatile ChangeListener listener = NO_LISTENER;
  private static final ChangeListener NO_LISTENER = new ChangeListener() {
    @Override
    public void callDeleted(HistoryId historyId) {}

    @Override
    public void valueDeleted(ContentId contentId) {}
  };
  /** The provenance index, built on the first query (null until then); guarded by {@code this}. */
  private Edges edges;

  private ChronicleBackend(StoreDirectory dir, long initialEntries, java.time.Duration lease) {
    this.dir = dir;
    boolean rec = dir.recover;
    Path d = dir.dir;
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      long max = SegmentedMap.MAX_FILE_ENTRIES;
      names = add(opened, new NameTable(d.resolve("names.log")));
      blobs = new BlobStore(d.resolve("blobs"));
      boolean alone = dir.alone;
      calls = add(opened, new SegmentedMap(d, "calls", 16, 0, 40, initialEntries, max, rec, alone));
      byContent = add(opened, new SegmentedMap(d, "bycontent", 8, 16, 16, initialEntries, max, rec, alone));
      values = add(opened, new SegmentedMap(d, "values", 16, 0, 12, initialEntries, max, rec, alone));
      log = add(opened, new ChangeLog(d));
      claims = add(opened, new ClaimTable(d, alone, lease));
      seen = log.end();
      checkCounts(dir.lastClose());
      dir.opened();
      if (rec) {
        int n = calls.recoveredFiles() + byContent.recoveredFiles() + values.recoveredFiles();
        LOG.warn("Store at {} was not closed cleanly; recovered {} index files.", d, n);
      }
    } catch (RuntimeException e) {
      for (AutoCloseable c : opened) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      dir.abandon();
      throw e;
    }
  }

  /** What the clean marker records, one "name count" line per index. */
  private String counts() {
    return "calls " + calls.size() + "\nbycontent " + byContent.size() + "\nvalues " + values.size() + "\n";
  }

  /**
   * Compares the indexes with what they held at the last clean close (no one has written since):
   * an index file replaced by an older copy, or emptied, would otherwise open as a smaller store.
   */
  private void checkCounts(String lastClose) {
    if (lastClose == null) {
      return;
    }
    for (String line : lastClose.split("\n")) {
      String[] f = line.split(" ");
      if (f.length != 2 || f[1].isEmpty() || !f[1].chars().allMatch(Character::isDigit)) {
        continue;   // "closed cleanly", or a marker from before counts were recorded
      }
      SegmentedMap m = switch (f[0]) {
        case "calls" -> calls;
        case "bycontent" -> byContent;
        case "values" -> values;
        default -> null;
      };
      long was = Long.parseLong(f[1]);
      if (m != null && m.size() != was) {
        throw new StoreDamageException(dir.dir, m.newestFile(), "the " + f[0] + " index holds "
            + m.size() + " entries, but held " + was + " when the store was last closed (an index file"
            + " was replaced or emptied)");
      }
    }
  }

  private static <T extends AutoCloseable> T add(List<AutoCloseable> opened, T c) {
    opened.add(c);
    return c;
  }

  /**
   * Opens or creates the store in {@code path}, recovering it if it was not closed cleanly.
   *
   * @throws StorageException if it is not a store, has another format, or is locked
   */
  public static ChronicleBackend open(Path path, long initialEntries) {
    return open(path, initialEntries, DEFAULT_LEASE);
  }

  /** How long a claim lasts unless renewed, unless StorageOptions.claimLease says otherwise. */
  public static final java.time.Duration DEFAULT_LEASE = java.time.Duration.ofSeconds(10);

  /** Opens the store in {@code path}, with claims that last {@code lease} unless renewed. */
  public static ChronicleBackend open(Path path, long initialEntries, java.time.Duration lease) {
    return new ChronicleBackend(new StoreDirectory(path), initialEntries, lease);
  }

  /** Returns whether this open recovered a store that was not closed cleanly. */
  public boolean recovered() {
    return dir.recover;
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

  /** The content index key: the first 8 bytes of a call content id (hits are verified). */
  private static byte[] contentKey(ContentId c) {
    byte[] k = new byte[8];
    for (int i = 0; i < 8; i++) {
      k[i] = (byte) (c.hi() >>> (56 - 8 * i));
    }
    return k;
  }

  // ---- call records ----

  private byte[] encode(CallRecord c) {
    return CallRecordCodec.encode(c, names::intern);
  }

  private CallRecord decode(HistoryId hid, byte[] bytes) {
    try {
      return CallRecordCodec.decode(hid, bytes, names::name);
    } catch (CallRecordCodec.DamagedRecord e) {
      throw new StoreDamageException(dir.dir, calls.fileOf(key(hid)), e.getMessage());
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
    byte[] b = byContent.get(contentKey(contentId));
    if (b == null) {
      return null;
    }
    // The key holds 64 of the 128 bits: a call whose content id only shares them is no match.
    HistoryId h = hid(b);
    CallRecord c = call(h);
    return c != null && c.contentId().equals(contentId) ? h : null;
  }

  @Override
  public byte[] value(ContentId contentId) {
    byte[] b = values.get(key(contentId));
    if (b == null) {
      return null;
    }
    if (b[0] == 1) {
      byte[] blob = blobs.read(contentId);
      if (blob == null) {
        throw new StoreDamageException(dir.dir, blobs.path(contentId), "the file of value "
            + contentId.hex() + " is missing (the index " + values.fileOf(key(contentId))
            + " lists it)");
      }
      return blob;
    }
    return java.util.Arrays.copyOfRange(b, 1, b.length);
  }

  @Override
  public StorageException damaged(ContentId contentId, String damage) {
    byte[] b = values.get(key(contentId));
    Path file = b != null && b[0] == 1 ? blobs.path(contentId) : values.fileOf(key(contentId));
    return new StoreDamageException(dir.dir, file, damage);
  }

  @Override
  public boolean containsValue(ContentId contentId) {
    return values.containsKey(key(contentId));
  }

  @Override
  public HistoryId creator(HistoryId refHistoryId) {
    return edges().creator(refHistoryId, this::stored);
  }

  @Override
  public List<HistoryId> consumers(HistoryId refHistoryId) {
    return edges().consumers(refHistoryId, this::stored);
  }

  @Override
  public List<HistoryId> callsOf(String op) {
    return edges().callsOf(op, this::stored);
  }

  @Override
  public SortedSet<String> ops() {
    return edges().ops(this::stored);
  }

  private synchronized Edges edges() {
    // Calls published up to here are in the scan; calls published later are added by refresh.
    refresh();
    if (edges == null) {
      calls.refreshSegments();
      Edges e = new Edges();
      forEachCall(e::add);
      edges = e;
    }
    return edges;
  }

  private boolean stored(HistoryId call) {
    return calls.containsKey(key(call));
  }


  // ---- sharing ----

  @Override
  public boolean claim(HistoryId call) {
    return claims.claim(call);
  }

  @Override
  public void wantClaimed(HistoryId call) {
    claims.want(call);
  }

  @Override
  public boolean claimsWanted() {
    return claims.wanted();
  }

  @Override
  public boolean renewClaims() {
    claims.renew();
    return claims.holdsAny();
  }

  @Override
  public void releaseClaim(HistoryId call) {
    claims.release(call);
  }

  @Override
  public void listen(ChangeListener l) {
    listener = l == null ? NO_LISTENER : l;
  }

  @Override
  public boolean refresh() {
    return log.end() != seen && catchUp();
  }

  private synchronized boolean catchUp() {
    // Read again under the lock: another thread may have caught up past the end read before.
    long from = seen;
    long end = log.end();
    if (from == end) {
      return false;
    }
    calls.refreshSegments();
    byContent.refreshSegments();
    values.refreshSegments();
    names.refresh(false);
    ChangeListener l = listener;
    log.read(from, end, (tag, hi, lo) -> {
      switch (tag) {
        case ChangeLog.CALL_ADDED -> {
          if (edges != null) {
            HistoryId h = new HistoryId(hi, lo);
            CallRecord c = call(h);
            if (c != null) {
              edges.add(c);
            }
          }
        }
        case ChangeLog.CALL_DELETED -> l.callDeleted(new HistoryId(hi, lo));
        case ChangeLog.VALUE_DELETED -> l.valueDeleted(new ContentId(hi, lo));
        default -> throw new StorageException("Change log of " + dir.dir + " holds an unknown record "
            + tag + ". Close every process using the store and open it again.");
      }
    });
    seen = end;
    return true;
  }

  @Override
  public <T> T exclusive(Supplier<T> action) {
    dir.lockWrites();
    try {
      refresh();
      return action.get();
    } finally {
      dir.unlockWrites();
    }
  }

  /** Publishes records in the change log; the caller holds the write lock and has refreshed. */
  private synchronized void publish(java.nio.ByteBuffer records) {
    records.flip();
    if (records.hasRemaining()) {
      seen = log.append(records);
    }
  }

  // ---- writes ----

  @Override
  public void commit(Map<ContentId, byte[]> newValues, List<CallRecord> newCalls) {
    commit(newValues, newCalls, h -> { });
  }

  @Override
  public void commit(Map<ContentId, byte[]> newValues, List<CallRecord> newCalls,
      Consumer<HistoryId> alreadyStored) {
    dir.lockWrites();
    try {
      refresh();
      // Unconditionally: a writer that died after adding a file may not have published.
      for (SegmentedMap m : new SegmentedMap[] {calls, byContent, values}) {
        m.refreshSegments();
        m.syncSize();
      }
      write(newValues, newCalls, alreadyStored);
    } finally {
      dir.unlockWrites();
    }
  }

  private void write(Map<ContentId, byte[]> newValues, List<CallRecord> newCalls,
      Consumer<HistoryId> alreadyStored) {
    List<byte[]> encoded = new ArrayList<>(newCalls.size());
    for (CallRecord c : newCalls) {
      encoded.add(encode(c));
    }
    names.force();
    for (Map.Entry<ContentId, byte[]> e : newValues.entrySet()) {
      byte[] k = key(e.getKey());
      byte[] v = e.getValue();
      if (v.length > INLINE_LIMIT) {
        if (!values.containsKey(k)) {
          blobs.write(e.getKey(), v);
          values.put(k, new byte[] {1});
        }
      } else {
        byte[] inline = new byte[v.length + 1];
        System.arraycopy(v, 0, inline, 1, v.length);
        values.putIfAbsent(k, inline);
      }
    }
    java.nio.ByteBuffer added = ChangeLog.records(newCalls.size());
    for (int i = 0; i < newCalls.size(); i++) {
      CallRecord c = newCalls.get(i);
      byte[] k = key(c.historyId());
      if (!calls.putIfAbsent(k, encoded.get(i))) {
        alreadyStored.accept(c.historyId());
        continue;
      }
      byContent.putIfAbsent(contentKey(c.contentId()), k);
      ChangeLog.put(added, ChangeLog.CALL_ADDED, c.historyId().hi(), c.historyId().lo());
      synchronized (this) {
        if (edges != null) {
          edges.add(c);
        }
      }
    }
    values.force();
    calls.force();
    byContent.force();
    publish(added);
  }

  @Override
  public void deleteCall(HistoryId historyId) {
    exclusive(() -> {
      CallRecord c = call(historyId);
      if (c == null) {
        return null;
      }
      byte[] k = key(historyId);
      calls.remove(k);
      byte[] ck = contentKey(c.contentId());
      byte[] owner = byContent.get(ck);
      if (owner != null && java.util.Arrays.equals(owner, k)) {
        byContent.remove(ck);
      }
      calls.force();
      byContent.force();
      java.nio.ByteBuffer gone = ChangeLog.records(1);
      ChangeLog.put(gone, ChangeLog.CALL_DELETED, historyId.hi(), historyId.lo());
      publish(gone);
      return null;
    });
  }

  @Override
  public void deleteValues(Collection<ContentId> contentIds) {
    exclusive(() -> {
      java.nio.ByteBuffer gone = ChangeLog.records(contentIds.size());
      for (ContentId cid : contentIds) {
        byte[] k = key(cid);
        byte[] v = values.get(k);
        if (v != null && v[0] == 1) {
          blobs.delete(cid);
        }
        values.remove(k);
        ChangeLog.put(gone, ChangeLog.VALUE_DELETED, cid.hi(), cid.lo());
      }
      values.force();
      publish(gone);
      return null;
    });
  }

  @Override
  public void forEachCall(Consumer<CallRecord> action) {
    refresh();
    calls.forEach((k, v) -> action.accept(decode(hid(k), v)));
  }

  @Override
  public void forEachValue(Consumer<ContentId> action) {
    refresh();
    values.forEach((k, v) -> action.accept(new ContentId(longAt(k, 0), longAt(k, 8))));
  }

  @Override
  public long callCount() {
    refresh();
    return calls.size();
  }

  @Override
  public long valueCount() {
    refresh();
    return values.size();
  }

  @Override
  public void close() {
    try {
      dir.lockWrites();
      try {
        for (SegmentedMap m : new SegmentedMap[] {calls, byContent, values}) {
          m.refreshSegments();
          m.updateManifest();
        }
        dir.closingSummary(counts());
      } finally {
        dir.unlockWrites();
      }
    } catch (RuntimeException e) {
      // The manifest only sharpens later damage checks; closing the files matters more.
      LOG.warn("Store at {}: could not update the index manifests on close: {}", dir.dir, e.toString());
    }
    RuntimeException first = null;
    for (AutoCloseable c : new AutoCloseable[] {claims, calls, byContent, values, names, log}) {
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
