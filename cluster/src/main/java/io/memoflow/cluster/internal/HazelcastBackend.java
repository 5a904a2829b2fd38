package io.memoflow.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.multimap.MultiMap;
import com.hazelcast.topic.ITopic;
import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.ChangeListener;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageBackend;
import io.memoflow.cache.spi.StorageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A memo store in the maps of a Hazelcast cluster, shared by every member: calls and values
 * (partitioned over the members, each with its backups), the indexes provenance queries read,
 * cluster-wide claims with a lease (entries that expire), the store's write lock (a map lock,
 * released when its holder's member leaves) and a topic that tells the other users what was
 * committed and deleted. Optionally every commit is also written first to a local store, which
 * is {@linkplain #announce() announced} again when the member joins: a full-cluster restart
 * then loses no committed call.
 *
 * <p>Keys are ids in hex. Thread-safe.
 */
public final class HazelcastBackend implements StorageBackend {
  private static final int BATCH = 1000;

  private final HazelcastInstance hz;
  private final String name;
  private final IMap<String, byte[]> calls;
  private final IMap<String, byte[]> values;
  private final IMap<String, String> byContent;
  private final IMap<String, String> creators;
  private final MultiMap<String, String> consumers;
  private final MultiMap<String, String> byOp;
  private final IMap<String, String> claims;
  private final IMap<String, Boolean> locks;
  /** The one {@link Gate} entry between small commits and exclusive sections. */
  private final IMap<String, Gate> gate;
  /** Numbers this backend's tickets through the gate. */
  private final java.util.concurrent.atomic.AtomicLong tickets = new java.util.concurrent.atomic.AtomicLong();
  /** How deep this thread is in exclusive() sections of this backend (the lock is reentrant). */
  private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
  private final ITopic<String> changes;
  private final UUID subscription;
  private final String owner;
  private final long leaseMillis;
  private final StorageBackend local;
  private final Set<HistoryId> held = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean wanted = new AtomicBoolean();
  private final ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();
  private volatile ChangeListener listener;

  /**
   * Opens the store {@code store} in {@code hz}'s cluster.
   *
   * @param lease how long a claim holds without renewal
   * @param local the store this member also writes its commits to, or null; the backend owns it
   *     (closes it) from now on
   */
  public HazelcastBackend(HazelcastInstance hz, String store, Duration lease, StorageBackend local) {
    this.hz = hz;
    this.name = MemberConfig.PREFIX + store + ".";
    this.calls = hz.getMap(name + "calls");
    this.values = hz.getMap(name + "values");
    this.byContent = hz.getMap(name + "byContent");
    this.creators = hz.getMap(name + "creators");
    this.consumers = hz.getMultiMap(name + "consumers");
    this.byOp = hz.getMultiMap(name + "byOp");
    this.claims = hz.getMap(name + "claims");
    this.locks = hz.getMap(name + "locks");
    this.gate = hz.getMap(name + "gate");
    this.changes = hz.getTopic(name + "changes");
    this.owner = hz.getCluster().getLocalMember().getUuid() + "/" + UUID.randomUUID();
    this.leaseMillis = lease.toMillis();
    this.local = local;
    this.subscription = changes.addMessageListener(m -> hear(m.getMessageObject()));
  }

  /**
   * Waits for an operation sent to the cluster. A member terminated under it may never complete
   * it (seen with Hazelcast 5.7: a commit then waited forever, and so did the engine's close), so
   * the wait looks at the member's life every 100 ms and gives up when the member is gone.
   */
  private <T> T await(CompletableFuture<T> f) {
    boolean interrupted = false;
    try {
      for (; ; ) {
        try {
          return f.get(100, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          if (!hz.getLifecycleService().isRunning()) {
            throw new HazelcastInstanceNotActiveException();
          }
        } catch (java.util.concurrent.ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r ? r
              : new StorageException("A cluster operation on store " + storeName() + " failed: "
                  + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
          interrupted = true;   // as store I/O: an operation sent is seen through, then told
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private String storeName() {
    return name.substring(MemberConfig.PREFIX.length(), name.length() - 1);
  }

  /** Runs {@code action} on the cluster; a member that is no longer running is a clear error. */
  private <T> T onCluster(Supplier<T> action) {
    try {
      return action.get();
    } catch (HazelcastInstanceNotActiveException e) {
      throw new StorageException("The cluster member of this storage is not running (it was"
          + " shut down, or lost and left its cluster), so store " + storeName()
          + " cannot be reached from it."
          + " What this storage committed to its local store is announced again when a member"
          + " with that store starts; open a storage on a running member.", e);
    }
  }

  // ------------------------------------------------------------------ lookups

  @Override
  public CallRecord call(HistoryId historyId) {
    byte[] b = onCluster(() -> calls.get(historyId.hex()));
    return b == null ? null : RecordCodec.decode(b);
  }

  @Override
  public HistoryId callByContent(ContentId contentId) {
    String h = onCluster(() -> byContent.get(contentId.hex()));
    return h == null ? null : HistoryId.fromHex(h);
  }

  @Override
  public byte[] value(ContentId contentId) {
    return onCluster(() -> values.get(contentId.hex()));
  }

  @Override
  public StorageException damaged(ContentId contentId, String damage) {
    return new StorageException("Value " + contentId.hex() + " in the cluster map " + name
        + "values is damaged: " + damage + ". Nothing damaged was returned. Delete the calls"
        + " that output it (they run again when next called).");
  }

  @Override
  public boolean containsValue(ContentId contentId) {
    return values.containsKey(contentId.hex());
  }

  @Override
  public HistoryId creator(HistoryId refHistoryId) {
    String h = creators.get(refHistoryId.hex());
    return h == null ? null : HistoryId.fromHex(h);
  }

  @Override
  public List<HistoryId> consumers(HistoryId refHistoryId) {
    return ids(consumers.get(refHistoryId.hex()));
  }

  @Override
  public List<HistoryId> callsOf(String op) {
    return ids(byOp.get(op));
  }

  @Override
  public SortedSet<String> ops() {
    return new TreeSet<>(byOp.keySet());
  }

  private static List<HistoryId> ids(Collection<String> hex) {
    List<HistoryId> out = new ArrayList<>(hex.size());
    for (String h : hex) {
      out.add(HistoryId.fromHex(h));
    }
    return out;
  }

  @Override
  public void forEachCall(Consumer<CallRecord> action) {
    for (byte[] b : calls.values()) {
      action.accept(RecordCodec.decode(b));
    }
  }

  @Override
  public void forEachValue(Consumer<ContentId> action) {
    for (String k : values.keySet()) {
      action.accept(ContentId.fromHex(k));
    }
  }

  @Override
  public long callCount() {
    return calls.size();
  }

  @Override
  public long valueCount() {
    return values.size();
  }

  // ------------------------------------------------------------------ commits and deletions

  @Override
  public void commit(Map<ContentId, byte[]> values, List<CallRecord> calls) {
    commit(values, calls, h -> { });
  }

  @Override
  public void commit(Map<ContentId, byte[]> values, List<CallRecord> calls,
      Consumer<HistoryId> alreadyStored) {
    if (local != null) {
      // On this member's disk before any other member sees it, with the values its calls read
      // that other members made: the local store is a whole store of its own (verify passes).
      local.commit(withInputs(values, calls), calls);
    }
    if (calls.isEmpty() && values.isEmpty()) {
      return;
    }
    // A few calls (a sweep point's) go side by side with other commits; many, or inside an
    // exclusive section, or while one is open elsewhere, under the write lock, which lets them
    // be put with a batched read and write instead of an operation per partition.
    if (calls.size() <= SMALL && depth.get()[0] == 0
        && onCluster(() -> commitBesideOthers(values, calls, alreadyStored))) {
      return;
    }
    exclusive(() -> {
      share(putValues(values), calls, alreadyStored);
      changes.publish(owner + " C");
      return null;
    });
  }

  /** Returns {@code vals} and the values {@code calls} read that the local store lacks. */
  private Map<ContentId, byte[]> withInputs(Map<ContentId, byte[]> vals, List<CallRecord> calls) {
    Map<ContentId, byte[]> all = null;
    for (CallRecord r : calls) {
      for (CallRecord.Slot in : r.inputs()) {
        ContentId c = in.contentId();
        if (vals.containsKey(c) || (all != null && all.containsKey(c)) || local.containsValue(c)) {
          continue;
        }
        byte[] b = onCluster(() -> values.get(c.hex()));
        if (b != null) {
          if (all == null) {
            all = new HashMap<>(vals);
          }
          all.put(c, b);
        }
      }
    }
    return all == null ? vals : all;
  }

  /**
   * Commits side by side with other users' commits (each call put where absent, by partition):
   * enters the gate, unless an exclusive section raised it, then shares the commit and leaves.
   * An exclusive section raises the gate first and then waits until no commit is inside, so
   * the two never overlap.
   *
   * @return false if an exclusive section is open (nothing was shared)
   */
  private boolean commitBesideOthers(Map<ContentId, byte[]> vals, List<CallRecord> recs,
      Consumer<HistoryId> alreadyStored) {
    String ticket = owner + "/" + tickets.incrementAndGet();
    // Values first, side by side with entering: they are content-addressed, so one put while an
    // exclusive section opens is put again by the exclusive commit that follows.
    CompletableFuture<?> valuesStored = putValues(vals);
    if (!await(gate.submitToKey(Gate.KEY, Gate.enter(ticket, 2 * leaseMillis))
        .toCompletableFuture())) {
      await(valuesStored);
      return false;
    }
    try {
      share(valuesStored, recs, alreadyStored);
      changes.publish(owner + " C");
      return true;
    } finally {
      gate.submitToKey(Gate.KEY, Gate.leave(ticket));   // not waited for: exclusive() waits
    }
  }

  /** Puts {@code vals}, each straight to the member that owns its key. */
  private CompletableFuture<?> putValues(Map<ContentId, byte[]> vals) {
    if (vals.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Map<String, byte[]> byHex = new HashMap<>();
    vals.forEach((c, b) -> byHex.put(c.hex(), b));
    return setAll(values, byHex);
  }

  /**
   * Once {@code valuesStored}, puts the calls (the stored record wins), then their index entries
   * in the maps: a few round trips, most of them side by side.
   */
  private void share(CompletableFuture<?> valuesStored, List<CallRecord> recs,
      Consumer<HistoryId> alreadyStored) {
    if (recs.isEmpty()) {
      await(valuesStored);
      return;
    }
    // "Put where absent" by partition: the stored record wins, with no lock held.
    Map<String, CallRecord> byKey = new LinkedHashMap<>();
    Map<String, byte[]> encoded = new HashMap<>();
    for (CallRecord r : recs) {
      if (byKey.putIfAbsent(r.historyId().hex(), r) == null) {
        encoded.put(r.historyId().hex(), RecordCodec.encode(r));
      }
    }
    await(valuesStored);   // a call that is visible has its values
    Map<String, Boolean> had = await(putWhereAbsent(calls, encoded));
    Map<String, String> contentOf = new HashMap<>();
    Map<String, String> creatorsOf = new HashMap<>();
    Map<String, Set<String>> readers = new HashMap<>();
    Map<String, List<String>> ofOp = new HashMap<>();
    boolean any = false;
    for (Map.Entry<String, CallRecord> e : byKey.entrySet()) {
      CallRecord r = e.getValue();
      String h = e.getKey();
      if (Boolean.TRUE.equals(had.get(h))) {
        alreadyStored.accept(r.historyId());
        continue;
      }
      any = true;
      contentOf.putIfAbsent(r.contentId().hex(), h);
      r.outputs().forEach(o -> creatorsOf.put(o.historyId().hex(), h));
      r.inputs().forEach(in ->
          readers.computeIfAbsent(in.historyId().hex(), k -> new HashSet<>()).add(h));
      ofOp.computeIfAbsent(r.op(), k -> new ArrayList<>()).add(h);
    }
    if (!any) {
      return;
    }
    List<CompletableFuture<?>> writes = new ArrayList<>();
    writes.add(putWhereAbsent(byContent, contentOf));
    if (!creatorsOf.isEmpty()) {
      writes.add(setAll(creators, creatorsOf));
    }
    // Multimaps: adding to a key's values costs the same however many it holds already.
    if (!readers.isEmpty()) {
      writes.add(consumers.putAllAsync(Map.copyOf(readers)).toCompletableFuture());
    }
    if (!ofOp.isEmpty()) {
      writes.add(byOp.putAllAsync(Map.copyOf(ofOp)).toCompletableFuture());
    }
    await(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
  }

  /**
   * Puts every entry of {@code entries}: a few as one asynchronous put each (one round trip, side
   * by side), many as one bulk put (an operation per member, which costs more than a round trip
   * and less than a thousand).
   */
  private static <V> CompletableFuture<?> setAll(IMap<String, V> map, Map<String, V> entries) {
    if (entries.size() > SMALL) {
      return map.setAllAsync(entries).toCompletableFuture();
    }
    List<CompletableFuture<?>> puts = new ArrayList<>(entries.size());
    entries.forEach((k, v) -> puts.add(map.setAsync(k, v).toCompletableFuture()));
    return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new));
  }

  /**
   * Puts each entry whose key has no value; completes with, for each key, whether it had one.
   * Under the write lock (no other commit runs) a batched read then a batched write; otherwise
   * {@link #putAllIfAbsent}.
   */
  private <V> CompletableFuture<Map<String, Boolean>> putWhereAbsent(IMap<String, V> map,
      Map<String, V> entries) {
    if (depth.get()[0] == 0) {
      return putAllIfAbsent(map, entries);
    }
    Set<String> stored = map.getAll(entries.keySet()).keySet();
    Map<String, V> fresh = new HashMap<>(entries);
    fresh.keySet().removeAll(stored);
    Map<String, Boolean> had = new HashMap<>();
    entries.keySet().forEach(k -> had.put(k, stored.contains(k)));
    return setAll(map, fresh).thenApply(x -> had);
  }

  /**
   * Puts each entry whose key has no value, one operation per partition carrying only that
   * partition's entries, side by side; completes with, for each key, whether it had a value.
   */
  private <V> CompletableFuture<Map<String, Boolean>> putAllIfAbsent(IMap<String, V> map,
      Map<String, V> entries) {
    Map<Integer, Map<String, V>> byPartition = new HashMap<>();
    entries.forEach((k, v) -> byPartition.computeIfAbsent(
        hz.getPartitionService().getPartition(k).getPartitionId(), p -> new HashMap<>())
        .put(k, v));
    List<CompletableFuture<Map<String, Boolean>>> parts = new ArrayList<>();
    for (Map<String, V> part : byPartition.values()) {
      parts.add(map.submitToKeys(part.keySet(), new PutAllIfAbsent<>(part)).toCompletableFuture());
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(x -> {
      Map<String, Boolean> had = new HashMap<>();
      parts.forEach(f -> had.putAll(f.join()));
      return had;
    });
  }

  /** Entries above which a bulk put beats one put per entry. */
  private static final int SMALL = 64;

  /**
   * Shares everything the local store holds (a member that rejoins, or a cluster restarted
   * from its members' local stores): what the cluster already has stays as it is.
   *
   * @return the number of calls the local store holds
   */
  public long announce() {
    if (local == null) {
      return 0;
    }
    Map<ContentId, byte[]> vals = new LinkedHashMap<>();
    local.forEachValue(c -> {
      byte[] b = local.value(c);
      if (b != null) {
        vals.put(c, b);
      }
      if (vals.size() >= BATCH) {
        share(putValues(vals), List.of(), h -> { });
        vals.clear();
      }
    });
    share(putValues(vals), List.of(), h -> { });
    List<CallRecord> recs = new ArrayList<>();
    long[] n = {0};
    local.forEachCall(r -> {
      recs.add(r);
      n[0]++;
      if (recs.size() >= BATCH) {
        share(putValues(Map.of()), recs, h -> { });
        recs.clear();
      }
    });
    share(putValues(Map.of()), recs, h -> { });
    if (n[0] > 0) {
      changes.publish(owner + " C");
    }
    return n[0];
  }

  @Override
  public void deleteCall(HistoryId historyId) {
    exclusive(() -> {
      deleteLocked(historyId);
      return null;
    });
  }

  private void deleteLocked(HistoryId historyId) {
    String h = historyId.hex();
    byte[] b = calls.remove(h);
    if (b != null) {
      CallRecord r = RecordCodec.decode(b);
      byContent.remove(r.contentId().hex(), h);
      r.outputs().forEach(o -> creators.remove(o.historyId().hex(), h));
      r.inputs().forEach(in -> consumers.remove(in.historyId().hex(), h));
      byOp.remove(r.op(), h);
      changes.publish(owner + " D " + h);
    }
    if (local != null) {
      local.deleteCall(historyId);
    }
  }

  @Override
  public void deleteValues(Collection<ContentId> contentIds) {
    if (contentIds.isEmpty()) {
      return;
    }
    Set<String> keys = new HashSet<>();
    contentIds.forEach(c -> keys.add(c.hex()));
    exclusive(() -> values.executeOnKeys(keys, new Delete<>()));
    changes.publish(owner + " V " + String.join(",", keys));
    if (local != null) {
      local.deleteValues(contentIds);
    }
  }

  // ------------------------------------------------------------------ sharing

  private void hear(String message) {
    if (!message.startsWith(owner + " ")) {
      heard.add(message.substring(message.indexOf(' ') + 1));
    }
  }

  @Override
  public void listen(ChangeListener listener) {
    this.listener = listener;
  }

  /** Tells the listener what the topic brought since the last refresh (it arrives within ms). */
  @Override
  public boolean refresh() {
    boolean changed = false;
    for (String m; (m = heard.poll()) != null; ) {
      char kind = m.charAt(0);
      ChangeListener l = listener;
      if (kind == 'W') {
        if (held.contains(HistoryId.fromHex(m.substring(2)))) {
          wanted.set(true);
        }
        continue;
      }
      changed = true;
      if (l != null && (kind == 'D' || kind == 'V')) {
        for (String id : m.substring(2).split(",")) {
          if (kind == 'D') {
            l.callDeleted(HistoryId.fromHex(id));
          } else {
            l.valueDeleted(ContentId.fromHex(id));
          }
        }
      }
    }
    return changed;
  }

  @Override
  public <T> T exclusive(Supplier<T> action) {
    return onCluster(() -> {
      locks.lock("write");
      int[] d = depth.get();
      boolean outermost = d[0]++ == 0;
      try {
        if (outermost) {
          awaitNoCommitInFlight(gate.executeOnKey(Gate.KEY, Gate.raise(owner)));
        }
        refresh();
        return action.get();
      } finally {
        if (outermost) {
          gate.executeOnKey(Gate.KEY, Gate.lower());
        }
        d[0]--;
        locks.unlock("write");
      }
    });
  }

  /**
   * Waits until no commit is inside the gate, from {@code inside} commits (a dead member's
   * ticket counts until its lease passes).
   */
  private void awaitNoCommitInFlight(int inside) {
    long pause = 1;
    for (int n = inside; n > 0; n = gate.executeOnKey(Gate.KEY, Gate.inFlight())) {
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException("Interrupted while waiting for the commits in flight in"
            + " store " + name + " before an exclusive section.", e);
      }
      pause = Math.min(2 * pause, 20);
    }
  }

  @Override
  public boolean claim(HistoryId call) {
    String prev = onCluster(() ->
        claims.putIfAbsent(call.hex(), owner, leaseMillis, TimeUnit.MILLISECONDS));
    if (prev == null || prev.equals(owner)) {
      held.add(call);
      return true;
    }
    return false;
  }

  @Override
  public void wantClaimed(HistoryId call) {
    changes.publish(owner + " W " + call.hex());
  }

  @Override
  public boolean claimsWanted() {
    refresh();
    return wanted.getAndSet(false);
  }

  @Override
  public boolean renewClaims() {
    if (held.isEmpty()) {
      return false;
    }
    Set<String> keys = new HashSet<>();
    held.forEach(h -> keys.add(h.hex()));
    Map<String, Boolean> kept = claims.executeOnKeys(keys, new RenewClaim(owner, leaseMillis));
    held.removeIf(h -> !Boolean.TRUE.equals(kept.get(h.hex())));
    return !held.isEmpty();
  }

  @Override
  public void releaseClaim(HistoryId call) {
    if (held.remove(call)) {
      // Not waited for: the call is committed already, and a waiter that finds the claim still
      // held a moment longer finds the call on its next look.
      claims.submitToKey(call.hex(), new ReleaseClaim(owner));
    }
  }

  @Override
  public void close() {
    // On a member that is gone there is nothing to let go: its claims expire with their lease.
    if (hz.getLifecycleService().isRunning()) {
      changes.removeMessageListener(subscription);
      for (HistoryId h : held) {
        claims.remove(h.hex(), owner);
      }
    }
    held.clear();
    if (local != null) {
      local.close();
    }
  }
}
