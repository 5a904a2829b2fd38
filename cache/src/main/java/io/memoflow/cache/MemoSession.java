package io.memoflow.cache;

import io.memoflow.cache.internal.Codec;
import io.memoflow.cache.internal.Ids;
import io.memoflow.cache.internal.Messages;
import io.memoflow.cache.internal.Uninterruptibly;
import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageException;
import io.memoflow.dag.Digest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/*
 * Overview: one session, root or nested. A root owns the batch (new call records and their
 * value bytes); nested sessions add to their root's batch and only differ in mode. Each thread
 * keeps a stack of the sessions it opened, so Op.call finds the innermost one. An op called on
 * a thread with no session (a parallel stream's or an executor's) joins the one open root
 * session that allows it (JOINABLE): the session is pushed on that thread's stack for the call,
 * so the calls its body makes join too, and the root's close waits for such calls to end before
 * it commits. With several joinable roots open the call fails: it could belong to any of them.
 *
 * A call: bind arguments -> (cid, hid) per input (raw values encoded once, refs as they are)
 * -> call hid -> lookup (pending, cache, backend) -> else claim the hid in `inflight` (or wait
 * for the thread that holds it) -> lookup by call content id -> else run the function -> add
 * the record to pending and to the batch.
 */
final class MemoSession implements Session {
  private static final ThreadLocal<ArrayDeque<MemoSession>> STACK =
      ThreadLocal.withInitial(ArrayDeque::new);
  /** Open root sessions that calls from threads without a session join. */
  private static final Set<MemoSession> JOINABLE = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final MemoStorage storage;
  private final Structures structures;
  private final MemoSession root;
  private final SessionMode mode;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** A root's close has begun: it takes no new joined calls and waits for those running. */
  private final AtomicBoolean closing = new AtomicBoolean();
  /** Calls running on other threads that joined this root (see the overview). */
  private int joinedCalls;
  private final String owner = Thread.currentThread().getName();
  /** The root's new (and retraced-but-uncommitted) calls; their values wait in storage's pending. */
  private final ConcurrentLinkedQueue<CallRecord> batch;

  private MemoSession(MemoStorage storage, MemoSession parent, SessionMode mode) {
    this.storage = storage;
    this.root = parent == null ? this : parent.root;
    this.mode = mode;
    this.batch = parent == null ? new ConcurrentLinkedQueue<>() : null;
    this.structures = new Structures(this, storage);
  }

  /**
   * Opens a session on the calling thread; a root one with {@code joinable} takes the calls of
   * threads that have no session.
   */
  static MemoSession open(MemoStorage storage, SessionMode mode, boolean joinable) {
    ArrayDeque<MemoSession> stack = STACK.get();
    MemoSession parent = null;
    for (MemoSession s : stack) {
      if (!s.closed.get() && s.storage == storage) {
        parent = s;
        break;
      }
    }
    MemoSession s = new MemoSession(storage, parent, java.util.Objects.requireNonNull(mode, "mode"));
    stack.push(s);
    if (parent == null && joinable) {
      JOINABLE.add(s);
    }
    return s;
  }

  /**
   * Returns the open root session a call from a thread without one joins, or null when there is
   * none (the op then runs as a plain function).
   *
   * @throws IllegalStateException if several are open: the call could belong to any of them
   */
  static MemoSession joinable(Op op) {
    List<MemoSession> open = new ArrayList<>();
    for (MemoSession s : JOINABLE) {
      if (s.storage.isClosed()) {
        JOINABLE.remove(s); // left open on a storage since closed: nothing to join
      } else if (!s.closing.get()) {
        open.add(s);
      }
    }
    if (open.size() <= 1) {
      return open.isEmpty() ? null : open.get(0);
    }
    List<String> owners = new ArrayList<>();
    open.forEach(s -> owners.add("'" + s.owner + "'"));
    java.util.Collections.sort(owners);
    throw new IllegalStateException("Op '" + op.name() + "' was called on thread '"
        + Thread.currentThread().getName() + "', which has no session, while " + open.size()
        + " sessions are open on other threads (" + String.join(", ", owners) + "): memoflow"
        + " cannot tell which one the call belongs to. Open a session on this thread"
        + " (try (Session s = storage.session()) { ... }), or make the call on a thread that has one.");
  }

  /** Makes a call from a thread without a session through this root (see the overview). */
  CallResult callJoined(Op op, Object[] bound) {
    synchronized (this) {
      if (closing.get()) {
        throw new IllegalStateException("Op '" + op.name() + "' was called on thread '"
            + Thread.currentThread().getName() + "' while the session it would join (opened on '"
            + owner + "') was closing. Make the calls before closing the session, or open one"
            + " on this thread.");
      }
      joinedCalls++;
    }
    ArrayDeque<MemoSession> stack = STACK.get();
    stack.push(this);
    try {
      return callBound(op, bound);
    } finally {
      stack.removeFirstOccurrence(this);
      synchronized (this) {
        if (--joinedCalls == 0) {
          notifyAll();
        }
      }
    }
  }

  /** Waits until no joined call runs; an interrupt ends the wait early (and is kept). */
  private synchronized void awaitJoinedCalls() {
    while (joinedCalls > 0) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Returns the calling thread's innermost open session, or null. */
  static MemoSession current() {
    ArrayDeque<MemoSession> stack = STACK.get();
    while (!stack.isEmpty() && stack.peek().closed.get()) {
      stack.pop();
    }
    return stack.peek();
  }

  @Override
  public SessionMode mode() {
    return mode;
  }

  @Override
  public void close() {
    if (root == this) {
      // No new joined calls; those running finish into this batch before it is committed.
      synchronized (this) {
        if (!closing.compareAndSet(false, true)) {
          return;
        }
      }
      JOINABLE.remove(this);
      awaitJoinedCalls();
    }
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    STACK.get().remove(this);
    if (root == this) {
      List<CallRecord> calls = new ArrayList<>(batch);
      // The values are found in pending by the calls' slots (staged there by record). A commit
      // on an interrupted thread (a worker of a cancelled run) still runs to its end.
      Uninterruptibly.call(() -> {
        storage.commit(calls, Map.of());
        return null;
      });
    }
  }

  @Override
  public CallResult call(Op op, Map<String, ?> args) {
    return callBound(op, op.bindNamed(args));
  }

  @Override
  public CallResult callPositional(Op op, Object... args) {
    return callBound(op, op.bind(args));
  }

  void checkOpen() {
    if (closed.get() || root.closed.get()) {
      throw new IllegalStateException("Session is closed. Open a new one with storage.session().");
    }
    storage.checkOpen();
  }

  /**
   * One call, in three steps: look it up (by history id under each current version, then after
   * claiming it in {@code inflight}); else make it new, by content reuse or by running the
   * function; then record the new call and return it.
   */
  CallResult callBound(Op unresolved, Object[] bound) {
    checkOpen();
    if (mode == SessionMode.NO_OP) {
      return runUnstored(unresolved, bound);
    }
    // [versioning] The op with its semantic version in this storage, and the versions (with
    // dependencies) its calls may be stored under.
    OpVersionResolver.Resolved versions = storage.versionResolver.resolve(unresolved);
    Op op = versions.op();
    int n = bound.length;
    Ref<?>[] in = new Ref<?>[n];
    // Canonical bytes of raw arguments, by input: stored only if the call is new.
    byte[][] rawBytes = new byte[n][];
    for (int i = 0; i < n; i++) {
      in[i] = argRef(op, i, bound[i], rawBytes);
    }
    HistoryId hid = CallIds.callHistoryId(op, in);
    CallRecord rec = lookup(versions, hid, in);
    if (rec != null) {
      return retraced(op, rec, in);
    }
    if (mode == SessionMode.NO_NEW_CALLS) {
      throw new NoStoredCallException(op.name(),
          "Op '" + op.name() + "' v" + op.version() + ": no stored call with history id "
              + hid.hex() + " and this session allows no new calls (SessionMode.NO_NEW_CALLS). "
              + "Run it in a NORMAL session first, or check the arguments and the op's version.");
    }
    CompletableFuture<CallRecord> mine = new CompletableFuture<>();
    CallRecord other = awaitOrClaim(hid, mine);
    if (other != null) {
      return retraced(op, other, in);
    }
    boolean claimed = false;
    try {
      // Another thread here may have stored it since the first look; on a shared store the claim
      // looks once more anyway, so a look here would cost one more round trip.
      rec = storage.claims.looksAfterClaim() ? null : lookup(versions, hid, in);
      if (rec == null) {
        // Other processes on the store: the call runs in the one that claims it first.
        rec = storage.claims.claimOrAwait(hid, () -> lookup(versions, hid, in));
        claimed = rec == null;
      }
      if (rec != null) {
        mine.complete(rec);
        return retraced(op, rec, in);
      }
      ContentId baseCid = CallIds.callContentId(op, in);
      List<CallRecord.Slot> inSlots = CallIds.identitySlots(op, in);
      Map<ContentId, byte[]> vals = new HashMap<>(4);
      for (int i = 0; i < n; i++) {
        if (rawBytes[i] != null && CallIds.inIdentity(op, i, in[i])) {
          vals.put(in[i].contentId(), rawBytes[i]); // ignored arguments are not stored
        }
      }
      NewCall made = reuseByContent(versions, in, hid, baseCid);
      if (made == null) {
        made = runNew(versions, bound, in, hid, baseCid, vals);
      }
      rec = new CallRecord(made.historyId, made.contentId, op.name(), made.version, inSlots,
          made.outputs);
      storage.claims.storedAs(hid, rec.historyId());
      record(rec, vals);
      mine.complete(rec);
      return made.result(op, in, storage);
    } catch (Throwable t) {
      if (claimed) {
        storage.claims.release(hid);
        if (rec != null) {
          storage.claims.release(rec.historyId());   // claimed as hid, stored as another version
        }
      }
      mine.completeExceptionally(t);
      throw t;
    } finally {
      storage.inflight.remove(hid, mine);
    }
  }

  /**
   * Claims call {@code hid} for this thread ({@code mine} in {@code inflight}), or waits for the
   * thread that holds it: returns that thread's record, or null once this thread holds the claim.
   */
  private CallRecord awaitOrClaim(HistoryId hid, CompletableFuture<CallRecord> mine) {
    while (true) {
      CompletableFuture<CallRecord> other = storage.inflight.putIfAbsent(hid, mine);
      if (other == null) {
        return null;
      }
      try {
        return other.join();
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        // The other thread's call failed and stored nothing: try it here.
        storage.inflight.remove(hid, other);
      }
    }
  }

  /** A call about to be recorded: its ids and version, outputs, and where it came from. */
  private record NewCall(String version, HistoryId historyId, ContentId contentId,
      List<CallRecord.Slot> outputs, Object[] outValues, CallResult.Source source) {

    /** Returns the call as the session hands it out (outputs hold their values if it ran). */
    CallResult result(Op op, Ref<?>[] in, MemoStorage storage) {
      Ref<?>[] outs = new Ref<?>[outputs.size()];
      for (int j = 0; j < outs.length; j++) {
        CallRecord.Slot s = outputs.get(j);
        outs[j] = outValues == null
            ? new Ref<>(s.contentId(), s.historyId(), storage)
            : new Ref<>(s.contentId(), s.historyId(), outValues[j], storage);
      }
      return new CallResult(new Call(op.name(), version, inputMap(op, in),
          new NamedRefs(op.outputNames(), outs), contentId, historyId), source);
    }
  }

  /**
   * [versioning] Reuses a stored call with the same content under any current version, or
   * returns null; the stored version may carry dependencies, and then the call's ids do too.
   */
  private NewCall reuseByContent(OpVersionResolver.Resolved versions, Ref<?>[] in,
      HistoryId hid, ContentId baseCid) {
    Op op = versions.op();
    OpVersionResolver.Found<CallRecord> same = versions.find(v -> storage.lookupByContent(
        v.equals(op.version()) ? baseCid : CallIds.callContentId(op, v, in)));
    if (same == null) {
      return null;
    }
    String version = same.candidate().version();
    HistoryId callHid = hid;
    ContentId cid = baseCid;
    if (!version.equals(op.version())) {
      callHid = CallIds.callHistoryId(op, version, in);
      cid = CallIds.callContentId(op, version, in);
    }
    List<CallRecord.Slot> outSlots = new ArrayList<>(op.outputNames().size());
    for (CallRecord.Slot s : same.value().outputs()) {
      outSlots.add(new CallRecord.Slot(s.name(), s.contentId(), CallIds.outputId(callHid, s.name())));
    }
    storage.versionResolver.noteCall(op, version);
    storage.reused.increment();
    return new NewCall(version, callHid, cid, outSlots, null, CallResult.Source.REUSED);
  }

  /**
   * Runs the function, recording the ops and tracked helpers it runs ([versioning]: they may
   * change the version the call is stored under), and adds the encoded outputs to {@code vals}.
   */
  private NewCall runNew(OpVersionResolver.Resolved versions, Object[] bound, Ref<?>[] in,
      HistoryId hid, ContentId baseCid, Map<ContentId, byte[]> vals) {
    Op op = versions.op();
    DependencyRecorder.RunningCall running = DependencyRecorder.push(storage.versionResolver);
    Object[] outValues;
    try {
      outValues = execute(op, bound, in);
    } finally {
      DependencyRecorder.pop(running);
    }
    String version = storage.versionResolver.executed(versions, running);
    HistoryId callHid = hid;
    ContentId cid = baseCid;
    if (!version.equals(op.version())) {
      callHid = CallIds.callHistoryId(op, version, in);
      cid = CallIds.callContentId(op, version, in);
    }
    List<String> names = op.outputNames();
    List<CallRecord.Slot> outSlots = new ArrayList<>(names.size());
    for (int j = 0; j < outValues.length; j++) {
      byte[] b = encode(op.name(), op.version(), "output", names.get(j), outValues[j]);
      ContentId ocid = ContentId.from(Codec.contentId(b));
      vals.put(ocid, b);
      outSlots.add(new CallRecord.Slot(names.get(j), ocid, CallIds.outputId(callHid, names.get(j))));
    }
    storage.executed.increment();
    return new NewCall(version, callHid, cid, outSlots, outValues, CallResult.Source.EXECUTED);
  }

  /** [versioning] Looks a call up under each current version of its op (usually one). */
  private CallRecord lookup(OpVersionResolver.Resolved versions, HistoryId baseHid, Ref<?>[] in) {
    CallRecord rec = storage.lookup(baseHid);
    if (rec != null || versions.candidates.size() == 1) {
      return rec;
    }
    Op op = versions.op();
    OpVersionResolver.Found<CallRecord> f = versions.find(v -> v.equals(op.version())
        ? null : storage.lookup(CallIds.callHistoryId(op, v, in)));
    return f == null ? null : f.value();
  }

  /** Stages a new call and the bytes of the values it references ({@code vals} holds no others). */
  void record(CallRecord rec, Map<ContentId, byte[]> vals) {
    if (storage.recordNew(rec, vals)) {
      root.batch.add(rec);
    }
  }

  /**
   * Adds a retraced call to this session's batch if it is another session's uncommitted call:
   * committed with ours too, so ours never references a call a crash could lose.
   */
  void keepWithBatch(CallRecord rec) {
    if (storage.isPending(rec.historyId())) {
      root.batch.add(rec);
    }
  }

  private CallResult retraced(Op op, CallRecord rec, Ref<?>[] in) {
    keepWithBatch(rec);
    storage.retraced.increment();
    storage.versionResolver.noteCall(op, rec.version());
    return new CallResult(new Call(op.name(), rec.version(), inputMap(op, in),
        storage.outputRefs(rec), rec.contentId(), rec.historyId()), CallResult.Source.RETRACED);
  }

  private static Map<String, Ref<?>> inputMap(Op op, Ref<?>[] in) {
    return new NamedRefs(op.inputNames(), in);
  }

  private Object[] execute(Op op, Object[] bound, Ref<?>[] in) {
    Object[] args = new Object[bound.length];
    for (int i = 0; i < args.length; i++) {
      Object a = bound[i];
      boolean structural = a instanceof Collection<?> c && Structures.containsRef(c)
          || a instanceof Map<?, ?> m && Structures.containsRef(m.values());
      args[i] = a instanceof Ref<?> r ? r.value() : structural ? in[i].value() : a;
    }
    Object result;
    try {
      result = op.function().apply(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new OpFailedException(op.name(), "Op '" + op.name() + "' v" + op.version()
          + " failed on inputs " + inputIds(op, in) + ": " + e, e);
    }
    return op.outputsOf(result);
  }

  private static String inputIds(Op op, Ref<?>[] in) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < in.length; i++) {
      m.put(op.inputNames().get(i), in[i].historyId().toString());
    }
    return m.toString();
  }

  /** The ref for one argument: refs as they are, collections of refs structurally, raw values encoded. */
  private Ref<?> argRef(Op op, int i, Object a, byte[][] rawBytes) {
    if (a instanceof Ref<?> r) {
      if (r.isUnstored()) {
        try {
          rawBytes[i] = r.canonicalBytes();
        } catch (IllegalArgumentException e) {
          throw new StorageException(Messages.unserializable(op.name(), op.version(),
              "argument '" + op.inputNames().get(i) + "'", r.value(), e), e);
        }
      }
      return r;
    }
    if (op.collects(i)) {
      return structures.collected(op, i, a);
    }
    if (a instanceof List<?> l && Structures.containsRef(l)) {
      return list(l);
    }
    if (a instanceof Set<?> s && Structures.containsRef(s)) {
      return set(s);
    }
    if (a instanceof Map<?, ?> m && Structures.containsRef(m.values())) {
      return map(Structures.stringKeys(m));
    }
    byte[] b = encode(op.name(), op.version(), "argument", op.inputNames().get(i), a);
    rawBytes[i] = b;
    return rawRef(b);
  }

  /** The ref of a raw value with canonical bytes {@code b}. */
  Ref<?> rawRef(byte[] b) {
    Digest cid = Codec.contentId(b);
    return new Ref<>(ContentId.from(cid), HistoryId.from(Ids.rawHistory(cid)), storage);
  }

  /**
   * Encodes {@code v}, the {@code kind} of value ("argument", "output", "element", ...) named
   * {@code name} (or null) of a call of {@code op} at {@code version}.
   */
  static byte[] encode(String op, String version, String kind, String name, Object v) {
    try {
      return Codec.encode(v);
    } catch (IllegalArgumentException e) {
      // The message is built only here: a call encodes several values and rarely fails.
      String where = name == null ? kind : kind + " '" + name + "'";
      throw new StorageException(Messages.unserializable(op, version, where, v, e), e);
    }
  }


  /** Runs an op without storage; refs are unstored. */
  static CallResult runUnstored(Op op, Object[] bound) {
    Ref<?>[] in = new Ref<?>[bound.length];
    Object[] args = new Object[bound.length];
    for (int i = 0; i < bound.length; i++) {
      Object a = op.collects(i) ? Structures.plain(bound[i]) : bound[i];
      in[i] = a instanceof Ref<?> r ? r : Ref.unstored(a);
      args[i] = in[i].value();
    }
    Object result;
    try {
      result = op.function().apply(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new OpFailedException(op.name(), "Op '" + op.name() + "' v" + op.version()
          + " failed: " + e, e);
    }
    Object[] outs = op.outputsOf(result);
    Map<String, Ref<?>> outMap = new LinkedHashMap<>();
    for (int j = 0; j < outs.length; j++) {
      outMap.put(op.outputNames().get(j), Ref.unstored(outs[j]));
    }
    return new CallResult(new Call(op, inputMap(op, in), outMap), CallResult.Source.EXECUTED);
  }

  // ---- collections, element by element: Structures ----

  @Override
  public <T> Ref<List<T>> list(List<?> elements) {
    return structures.list(elements);
  }

  @Override
  public <T> Ref<Set<T>> set(Set<?> elements) {
    return structures.set(elements);
  }

  @Override
  public <V> Ref<Map<String, V>> map(Map<String, ?> entries) {
    return structures.map(entries);
  }

  @Override
  public <T> List<Ref<T>> elements(Ref<? extends Collection<T>> collection) {
    return structures.elements(collection);
  }

  @Override
  public <T> Ref<List<T>> slice(Ref<? extends List<T>> list, int from, int to) {
    return structures.slice(list, from, to);
  }

  @Override
  public <T> Ref<T> get(Ref<? extends List<T>> list, int index) {
    return structures.get(list, index);
  }

  @Override
  public <V> Ref<V> get(Ref<? extends Map<String, V>> map, String key) {
    return structures.get(map, key);
  }

  // ---- named values: NamedValues ----

  @Override
  @SuppressWarnings("unchecked")
  public <T> Ref<T> named(String name, java.util.function.Supplier<? extends T> value) {
    return (Ref<T>) NamedValues.named(this, storage, name, value);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Ref<T> named(String name) {
    return (Ref<T>) NamedValues.named(this, storage, name);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Ref<T> replaceNamed(String name, T value) {
    return (Ref<T>) NamedValues.replace(this, storage, name, value);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Ref<T> renameNamed(String from, String to) {
    return (Ref<T>) NamedValues.rename(this, storage, from, to);
  }
}
