package io.memoflow.cache;

import io.memoflow.cache.internal.Codec;
import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.ChangeListener;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageBackend;
import io.memoflow.cache.spi.StorageException;
import io.memoflow.cache.spi.StoreDamageException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/*
 * Overview: the storage front shared by every backend.
 *
 * Reads go pending -> Caffeine -> backend. "Pending" holds the calls and values of sessions
 * that are still open, so every thread and session sees a call as soon as it completed, while
 * the backend only ever receives whole batches (the outermost session's close). `inflight`
 * maps a call's history id to the future of the thread executing it, so a second thread asking
 * for the same new call waits instead of running it again. Commits and deletions hold
 * `writeLock`; lookups never block on it.
 *
 * A persistent store may be shared with other processes: before trusting its caches, a lookup
 * asks the backend to refresh (one memory read when nothing changed elsewhere); the backend
 * tells `onChange` what others deleted, which drops it from the caches, and opens what they
 * added. Deletion and cleanup run inside backend.exclusive(), so no other process commits
 * between computing what to remove and removing it.
 */
final class MemoStorage implements Storage, CallGraph, ValueSource {
  final StorageBackend backend;
  private final MemoCache cache;
  /** False for a memory-resident backend: its maps are the cache, Caffeine would copy them. */
  private final boolean cached;
  /** False when the backend commits as cheaply as calls could be staged: see recordNew. */
  private final boolean staged;
  private final Map<HistoryId, CallRecord> pendingCalls = new ConcurrentHashMap<>();
  private final Map<ContentId, HistoryId> pendingByContent = new ConcurrentHashMap<>();
  private final Map<ContentId, byte[]> pendingValues = new ConcurrentHashMap<>();
  final Map<HistoryId, CompletableFuture<CallRecord>> inflight = new ConcurrentHashMap<>();
  private final Object writeLock = new Object();
  final LongAdder executed = new LongAdder();
  final LongAdder retraced = new LongAdder();
  final LongAdder reused = new LongAdder();
  private volatile boolean closed;

  // [versioning] Code versions, refactor declarations and dependency sets of this storage.
  final OpVersionResolver versionResolver;

  MemoStorage(StorageBackend backend, StorageOptions options) {
    this(backend, options, null);
  }

  /** [versioning] {@code dir}: where version metadata persists (null: in memory). */
  MemoStorage(StorageBackend backend, StorageOptions options, Path dir) {
    this.backend = backend;
    try {
      this.versionResolver = new OpVersionResolver(dir == null ? VersionMetadataStore.inMemory() : VersionMetadataStore.open(dir));
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
    this.cached = !backend.memoryResident();
    this.claims = new Claims(backend, options.claimLease().toMillis(), cached, this::commitFinished);
    this.staged = backend.batchesCommits();
    this.cache = new MemoCache(cached ? Math.max(2, options.cacheBytes()) : 0);
    backend.listen(new ChangeListener() {
      @Override
      public void callDeleted(HistoryId historyId) {
        cache.dropCall(historyId);
      }

      @Override
      public void valueDeleted(ContentId contentId) {
        cache.dropValue(contentId);
      }
    });
  }

  /** Whether the storage was closed. */
  boolean isClosed() {
    return closed;
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Storage is closed. Open it again to make calls.");
    }
  }

  CallRecord lookup(HistoryId hid) {
    // isEmpty first (a counter read): the table of an emptied pending map keeps its size, and a
    // get in it would cost a cache miss on every retrace after a large session.
    CallRecord r = pendingCalls.isEmpty() ? null : pendingCalls.get(hid);
    if (r != null) {
      return r;
    }
    if (!cached) {
      return backend.call(hid);
    }
    backend.refresh();
    r = cache.call(hid);
    if (r == null) {
      r = backend.call(hid);
      if (r != null) {
        cache.putCall(r);
      }
    }
    return r;
  }

  /**
   * The calls of open sessions. Checks emptiness first: iterating a ConcurrentHashMap walks its
   * whole table, which never shrinks, so a scan after a large session would cost its capacity.
   */
  private Collection<CallRecord> pending() {
    return pendingCalls.isEmpty() ? List.of() : pendingCalls.values();
  }

  boolean isPending(HistoryId hid) {
    return !pendingCalls.isEmpty() && pendingCalls.containsKey(hid);
  }

  CallRecord lookupByContent(ContentId cid) {
    HistoryId hid = pendingByContent.isEmpty() ? null : pendingByContent.get(cid);
    if (hid == null) {
      backend.refresh();
      hid = backend.callByContent(cid);
    }
    return hid == null ? null : lookup(hid);
  }

  byte[] valueBytes(ContentId cid) {
    byte[] b = pendingValues.get(cid);
    if (b != null) {
      return b;
    }
    if (!cached) {
      return backend.value(cid);
    }
    backend.refresh();
    b = cache.value(cid);
    if (b == null) {
      b = backend.value(cid);
      if (b != null) {
        // Bytes from disk or network are checked before anything trusts them (or caches them).
        if (!ContentId.from(Codec.contentId(b)).equals(cid)) {
          throw backend.damaged(cid, b.length == 0 ? "value " + cid.hex() + " is empty"
              : "the bytes of value " + cid.hex() + " do not hash to its content id");
        }
        cache.putValue(cid, b);
      }
    }
    return b;
  }

  @Override
  public Object load(ContentId cid, HistoryId hid) {
    byte[] b;
    try {
      b = valueBytes(cid);
    } catch (StoreDamageException e) {
      throw e.in(describe(cid, hid));
    }
    if (b == null) {
      throw new StorageException(
          "Value " + cid.hex() + " is not stored (deleted by cleanup, or from another storage). "
              + "Re-run the call that produces it.");
    }
    return Codec.decode(b);
  }

  /** Names a value for an error: which output of which call of which op, if a stored call made it. */
  private String describe(ContentId cid, HistoryId hid) {
    String value = "value " + cid.hex();
    try {
      HistoryId made = backend.creator(hid);
      CallRecord c = made == null ? null : lookup(made);
      if (c != null) {
        for (CallRecord.Slot s : c.outputs()) {
          if (s.historyId().equals(hid)) {
            return value + " (output '" + s.name() + "' of call " + c.historyId().hex() + " of op '"
                + c.op() + "')";
          }
        }
      }
    } catch (StorageException e) {
      // The error being reported is the value's; a damaged index only makes it less specific.
    }
    return value;
  }

  /** The claims of this storage's new calls in the backend (other processes on the store). */
  final Claims claims;

  /** Commits every finished call of open sessions now (another process waits for one of them). */
  void commitFinished() {
    if (!closed && !pendingCalls.isEmpty()) {
      commit(new ArrayList<>(pendingCalls.values()), Map.of());
    }
  }

  /**
   * Records a new call and the bytes of the values it references: staged until its session's
   * batch commits (returns true), or, when the backend does not batch commits, committed now
   * (returns false).
   */
  boolean recordNew(CallRecord rec, Map<ContentId, byte[]> values) {
    if (!staged) {
      backend.commit(values, List.of(rec));
      claims.release(rec.historyId());
      return false;
    }
    pendingValues.putAll(values);
    pendingByContent.putIfAbsent(rec.contentId(), rec.historyId());
    pendingCalls.put(rec.historyId(), rec);
    return true;
  }

  /** Makes a batch durable, then drops it from pending (readers then find it in the backend). */
  void commit(Collection<CallRecord> calls, Map<ContentId, byte[]> values) {
    if (calls.isEmpty() && values.isEmpty()) {
      return;
    }
    synchronized (writeLock) {
      Map<ContentId, byte[]> all = new HashMap<>(values);
      for (CallRecord c : calls) {
        addPendingValues(c.inputs(), all);
        addPendingValues(c.outputs(), all);
      }
      List<CallRecord> list = new ArrayList<>(calls);
      Set<HistoryId> theirs = new HashSet<>();
      backend.commit(all, list, theirs::add);
      for (CallRecord c : list) {
        if (cached && !theirs.contains(c.historyId())) {
          // A call another process stored first is left for the next lookup to read.
          cache.putCall(c);
        }
        pendingCalls.remove(c.historyId(), c);
        pendingByContent.remove(c.contentId(), c.historyId());
        claims.release(c.historyId());
      }
      for (ContentId cid : all.keySet()) {
        pendingValues.remove(cid);
      }
    }
  }

  private void addPendingValues(List<CallRecord.Slot> slots, Map<ContentId, byte[]> into) {
    for (CallRecord.Slot s : slots) {
      if (!into.containsKey(s.contentId())) {
        byte[] b = pendingValues.get(s.contentId());
        if (b != null) {
          into.put(s.contentId(), b);
        }
      }
    }
  }

  @Override
  public Call toCall(CallRecord rec) {
    Map<String, Ref<?>> in = new LinkedHashMap<>();
    for (CallRecord.Slot s : rec.inputs()) {
      in.put(s.name(), new Ref<>(s.contentId(), s.historyId(), this));
    }
    return new Call(rec.op(), rec.version(), in, outputRefs(rec), rec.contentId(), rec.historyId());
  }

  Map<String, Ref<?>> outputRefs(CallRecord rec) {
    List<CallRecord.Slot> outs = rec.outputs();
    if (outs.size() == 1) {
      CallRecord.Slot s = outs.get(0);
      return Map.of(s.name(), new Ref<>(s.contentId(), s.historyId(), this));
    }
    Map<String, Ref<?>> out = new LinkedHashMap<>();
    for (CallRecord.Slot s : outs) {
      out.put(s.name(), new Ref<>(s.contentId(), s.historyId(), this));
    }
    return out;
  }

  @Override
  public Session session() {
    return session(SessionMode.NORMAL);
  }

  @Override
  public Session session(SessionMode mode) {
    checkOpen();
    return MemoSession.open(this, mode, true);
  }

  @Override
  public Session threadSession(SessionMode mode) {
    checkOpen();
    return MemoSession.open(this, mode, false);
  }

  @Override
  public Optional<Call> call(HistoryId callId) {
    CallRecord r = lookup(callId);
    return r == null ? Optional.empty() : Optional.of(toCall(r));
  }

  @Override
  public Optional<Call> creator(Ref<?> ref) {
    HistoryId creator = creatorId(ref.historyId());
    return creator == null ? Optional.empty() : call(creator);
  }

  @Override
  public List<Call> consumers(Ref<?> ref) {
    return resolve(consumerIds(ref.historyId()));
  }

  @Override
  public List<Call> calls(String op) {
    return resolve(callIdsOf(op));
  }

  @Override
  public SortedSet<String> ops() {
    SortedSet<String> ops = new TreeSet<>(backend.ops());
    for (CallRecord c : pending()) {
      ops.add(c.op());
    }
    return Collections.unmodifiableSortedSet(ops);
  }

  // ---- frames: provenance by id, without building Call objects or filling the call cache ----

  /** The stored record of {@code hid} (pending, cached or in the backend; a scan does not cache it), or null. */
  @Override
  public CallRecord peek(HistoryId hid) {
    CallRecord r = pendingCalls.get(hid);
    if (r != null) {
      return r;
    }
    backend.refresh();
    r = cache.call(hid);
    return r != null ? r : backend.call(hid);
  }

  /** The history id of the call that output the value {@code hid}, or null (a raw value). */
  @Override
  public HistoryId creatorId(HistoryId hid) {
    HistoryId creator = backend.creator(hid);
    if (creator == null) {
      for (CallRecord c : pending()) {
        for (CallRecord.Slot s : c.outputs()) {
          if (s.historyId().equals(hid)) {
            return c.historyId();
          }
        }
      }
    }
    return creator;
  }

  /** The history ids of the calls that took the value {@code hid} as an input (no duplicates). */
  @Override
  public List<HistoryId> consumerIds(HistoryId hid) {
    List<HistoryId> ids = backend.consumers(hid);
    if (pendingCalls.isEmpty()) {
      return ids;
    }
    Set<HistoryId> all = new LinkedHashSet<>(ids);
    for (CallRecord c : pending()) {
      for (CallRecord.Slot s : c.inputs()) {
        if (s.historyId().equals(hid)) {
          all.add(c.historyId());
        }
      }
    }
    return new ArrayList<>(all);
  }

  /** The history ids of every stored call of {@code op} (no duplicates). */
  @Override
  public List<HistoryId> callIdsOf(String op) {
    List<HistoryId> ids = backend.callsOf(op);
    if (pendingCalls.isEmpty()) {
      return ids;
    }
    Set<HistoryId> all = new LinkedHashSet<>(ids);
    for (CallRecord c : pending()) {
      if (c.op().equals(op)) {
        all.add(c.historyId());
      }
    }
    return new ArrayList<>(all);
  }

  /** A ref to the stored value {@code hid}, found through its creator or a consumer; or null. */
  @Override
  public Ref<?> ref(ContentId content, HistoryId value) {
    return new Ref<>(content, value, this);
  }

  @Override
  public Ref<?> refOf(HistoryId hid) {
    HistoryId creator = creatorId(hid);
    CallRecord r = creator == null ? null : peek(creator);
    if (r != null) {
      Ref<?> ref = slotRef(r.outputs(), hid);
      if (ref != null) {
        return ref;
      }
    }
    for (HistoryId c : consumerIds(hid)) {
      r = peek(c);
      Ref<?> ref = r == null ? null : slotRef(r.inputs(), hid);
      if (ref != null) {
        return ref;
      }
    }
    return null;
  }

  private Ref<?> slotRef(List<CallRecord.Slot> slots, HistoryId hid) {
    for (CallRecord.Slot s : slots) {
      if (s.historyId().equals(hid)) {
        return new Ref<>(s.contentId(), hid, this);
      }
    }
    return null;
  }

  private List<Call> resolve(Collection<HistoryId> ids) {
    List<Call> out = new ArrayList<>(ids.size());
    for (HistoryId id : ids) {
      CallRecord r = lookup(id);
      if (r != null) {
        out.add(toCall(r));
      }
    }
    return out;
  }

  @Override
  public int delete(Collection<HistoryId> callIds, boolean withDependents) {
    checkOpen();
    synchronized (writeLock) {
      return backend.exclusive(() -> deleteLocked(callIds, withDependents));
    }
  }

  private int deleteLocked(Collection<HistoryId> callIds, boolean withDependents) {
    Set<HistoryId> doomed = new LinkedHashSet<>();
    Deque<HistoryId> work = new ArrayDeque<>(callIds);
    while (!work.isEmpty()) {
      HistoryId id = work.poll();
      CallRecord r = lookup(id);
      if (r == null || !doomed.add(id)) {
        continue;
      }
      if (withDependents) {
        for (CallRecord.Slot out : r.outputs()) {
          work.addAll(consumerIds(out.historyId()));
        }
      }
    }
    for (HistoryId id : doomed) {
      CallRecord p = pendingCalls.remove(id);
      if (p != null) {
        pendingByContent.remove(p.contentId(), id);
      }
      backend.deleteCall(id);
      cache.dropCall(id);
    }
    return doomed.size();
  }

  @Override
  public long cleanup() {
    checkOpen();
    synchronized (writeLock) {
      return backend.exclusive(this::cleanupLocked);
    }
  }

  private long cleanupLocked() {
    Set<ContentId> live = new HashSet<>();
    java.util.function.Consumer<CallRecord> mark = c -> {
      c.inputs().forEach(s -> live.add(s.contentId()));
      c.outputs().forEach(s -> live.add(s.contentId()));
    };
    backend.forEachCall(mark);
    pendingCalls.values().forEach(mark);
    List<ContentId> dead = new ArrayList<>();
    backend.forEachValue(cid -> {
      if (!live.contains(cid)) {
        dead.add(cid);
      }
    });
    backend.deleteValues(dead);
    cache.dropValues(dead);
    return dead.size();
  }

  @Override
  public StorageStats stats() {
    backend.refresh();
    return cache.stats(backend.callCount(), backend.valueCount(), executed.sum(), retraced.sum(),
        reused.sum());
  }

  @Override
  public List<NamedRevision> namedHistory(String name) {
    checkOpen();
    return NamedValues.history(this, name);
  }

  @Override
  public long clearCache() {
    return cache.clear();
  }

  @Override
  public long clearCache(String op) {
    return cache.clear(java.util.Objects.requireNonNull(op, "op"));
  }

  @Override
  public void close() {
    synchronized (writeLock) {
      if (closed) {
        return;
      }
      closed = true;
      claims.close();
      // A commit that fails still lets the backend go (its files, its cluster listener); the
      // failure is what the caller sees.
      RuntimeException failed = null;
      try {
        if (!pendingCalls.isEmpty()) {
          backend.commit(new HashMap<>(pendingValues), new ArrayList<>(pendingCalls.values()));
        }
      } catch (RuntimeException e) {
        failed = e;
      }
      cache.clear();
      try {
        backend.close();
      } catch (RuntimeException e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
      if (failed != null) {
        throw failed;
      }
    }
  }
}
