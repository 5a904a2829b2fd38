package io.memoflow.cache.frame;

import io.memoflow.cache.Call;
import io.memoflow.cache.CallGraph;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Storage;
import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/*
 * Overview: what the frames derived from one another know about the store: every call they
 * have met (as a CallInfo: the call's ids, op, version and refs grouped by frame port) and the
 * refs asked for by history id, so that values load once and are shared by tables. Append-only
 * and thread-safe; frames never remove from it, they only refer to subsets of it.
 *
 * Over a CallGraph (every storage memoflow makes) frames work on history ids and stored
 * records: provenance is queried by id, a CallInfo is read from the CallRecord, and the Call
 * and Ref objects the API hands out are built only when asked for (a table cell that is read).
 * Any other Storage implementation is read through the public API (Call objects).
 */
final class FrameUniverse {
  /** The port every element of a structural list, set or map call connects through. */
  static final String ELEMENTS = "elements";

  final Storage storage;
  /** The storage as a call graph by id when it is memoflow's own (the fast path), else null. */
  private final CallGraph graph;
  private final Map<HistoryId, CallInfo> calls = new ConcurrentHashMap<>();
  private final Map<HistoryId, Ref<?>> refs = new ConcurrentHashMap<>();

  FrameUniverse(Storage storage) {
    this.storage = storage;
    this.graph = storage instanceof CallGraph g ? g : null;
  }

  /** Returns a universe knowing everything {@code a} and {@code b} know. */
  static FrameUniverse merge(FrameUniverse a, FrameUniverse b) {
    if (a == b) {
      return a;
    }
    if (a.storage != b.storage) {
      throw new IllegalArgumentException(
          "The frames come from different storages. Combine frames of one storage only.");
    }
    FrameUniverse u = new FrameUniverse(a.storage);
    u.calls.putAll(a.calls);
    u.calls.putAll(b.calls);
    u.refs.putAll(a.refs);
    u.refs.putAll(b.refs);
    return u;
  }

  /** A ref to {@code id} from the records of calls met before (deleted since): a scan, rare. */
  private Ref<?> fromKnownCalls(HistoryId id) {
    for (CallInfo ci : calls.values()) {
      if (ci.record != null) {
        for (List<CallRecord.Slot> slots : List.of(ci.record.outputs(), ci.record.inputs())) {
          for (CallRecord.Slot sl : slots) {
            if (sl.historyId().equals(id)) {
              return graph.ref(sl.contentId(), id);
            }
          }
        }
      }
    }
    return null;
  }

  // ---- provenance, by id ----

  /** Returns the infos of every stored call of {@code op}. */
  List<CallInfo> callsOf(String op) {
    if (graph == null) {
      List<Call> cs = storage.calls(op);
      List<CallInfo> out = new ArrayList<>(cs.size());
      for (Call c : cs) {
        out.add(add(c));
      }
      return out;
    }
    List<HistoryId> ids = graph.callIdsOf(op);
    List<CallInfo> out = new ArrayList<>(ids.size());
    for (HistoryId id : ids) {
      CallInfo ci = info(id);
      if (ci != null) {
        out.add(ci);
      }
    }
    return out;
  }

  /** Returns the history id of the call that created value {@code ref}, or null (a raw value). */
  HistoryId creatorId(HistoryId ref) {
    if (graph != null) {
      return graph.creatorId(ref);
    }
    Optional<Call> c = storage.creator(ref(ref));
    return c.isEmpty() ? null : add(c.get()).id;
  }

  /** Returns the history ids of the calls that consumed value {@code ref}. */
  List<HistoryId> consumerIds(HistoryId ref) {
    if (graph != null) {
      return graph.consumerIds(ref);
    }
    List<Call> cs = storage.consumers(ref(ref));
    List<HistoryId> out = new ArrayList<>(cs.size());
    for (Call c : cs) {
      out.add(add(c).id);
    }
    return out;
  }

  /** Returns the info of stored call {@code id}, reading it on first sight; null if not stored. */
  CallInfo info(HistoryId id) {
    CallInfo known = calls.get(id);
    if (known != null || graph == null) {
      return known;
    }
    CallRecord r = graph.peek(id);
    if (r == null) {
      return null;
    }
    CallInfo prev = calls.putIfAbsent(id, known = new CallInfo(r, graph));
    return prev == null ? known : prev;
  }

  /** Returns the info of {@code c}, registering it and its refs on first sight. */
  CallInfo add(Call c) {
    CallInfo known = calls.get(c.historyId());
    if (known != null) {
      return known;
    }
    CallInfo ci = new CallInfo(c);
    for (Ref<?> r : c.inputs().values()) {
      refs.putIfAbsent(r.historyId(), r);
    }
    for (Ref<?> r : c.outputs().values()) {
      refs.putIfAbsent(r.historyId(), r);
    }
    CallInfo prev = calls.putIfAbsent(c.historyId(), ci);
    return prev == null ? ci : prev;
  }

  void addRef(Ref<?> r) {
    refs.putIfAbsent(r.historyId(), r);
  }

  /** Returns the info of a call this universe has met. */
  CallInfo call(HistoryId id) {
    return calls.get(id);
  }

  /**
   * Returns the ref of value {@code id} (one Ref per value, so it loads once), built on first
   * request from the stored calls that mention it.
   *
   * @throws StorageException if no stored call mentions the value any more
   */
  Ref<?> ref(HistoryId id) {
    Ref<?> r = refs.get(id);
    if (r != null || graph == null) {
      return r;
    }
    r = graph.refOf(id);
    if (r == null) {
      r = fromKnownCalls(id);
    }
    if (r == null) {
      throw new StorageException("Value " + id.hex() + " of this frame is no longer stored (its"
          + " calls were deleted). Build the frame again from the storage.");
    }
    Ref<?> prev = refs.putIfAbsent(id, r);
    return prev == null ? r : prev;
  }

  /** Returns the frame port of a call's input: elements of collections share one port. */
  static String inputPort(String op, String inputName) {
    return structural(op) ? ELEMENTS : inputName;
  }

  /** Returns whether {@code op} is a structural collection op (its elements share one port). */
  static boolean structural(String op) {
    return CallGraph.isStructural(op);
  }

  /**
   * A stored call with its refs' history ids grouped by frame port, in the call's order. The
   * {@link Call} is built on first request when the info was read from a record.
   */
  static final class CallInfo {
    final HistoryId id;
    final String op;
    final String version;
    final String[] inPorts;
    final HistoryId[][] inRefs;
    final String[] outPorts;
    final HistoryId[] outRefs;
    private final CallRecord record;
    private final CallGraph graph;
    private volatile Call call;

    CallInfo(Call c) {
      this.call = c;
      this.record = null;
      this.graph = null;
      this.id = c.historyId();
      this.op = c.op();
      this.version = c.version();
      List<HistoryId> in = new ArrayList<>(c.inputs().size());
      List<String> names = new ArrayList<>(c.inputs().size());
      c.inputs().forEach((k, r) -> {
        names.add(k);
        in.add(r.historyId());
      });
      String[] ports = names.toArray(new String[0]);
      HistoryId[][] refs = inputs(op, ports, in);
      this.inPorts = inputPort(op, "") != ELEMENTS ? ports : refs.length == 0 ? NO_PORTS : ELEMENTS_PORT;
      this.inRefs = refs;
      outPorts = c.outputs().keySet().toArray(new String[0]);
      outRefs = new HistoryId[outPorts.length];
      int j = 0;
      for (Ref<?> r : c.outputs().values()) {
        outRefs[j++] = r.historyId();
      }
    }

    CallInfo(CallRecord r, CallGraph graph) {
      this.record = r;
      this.graph = graph;
      this.id = r.historyId();
      this.op = r.op();
      this.version = r.version();
      List<CallRecord.Slot> ins = r.inputs();
      String[] ports = new String[ins.size()];
      List<HistoryId> in = new ArrayList<>(ins.size());
      for (int i = 0; i < ports.length; i++) {
        CallRecord.Slot sl = ins.get(i);
        ports[i] = sl.name();
        in.add(sl.historyId());
      }
      HistoryId[][] refs = inputs(op, ports, in);
      this.inPorts = inputPort(op, "") != ELEMENTS ? ports : refs.length == 0 ? NO_PORTS : ELEMENTS_PORT;
      this.inRefs = refs;
      List<CallRecord.Slot> outs = r.outputs();
      outPorts = new String[outs.size()];
      outRefs = new HistoryId[outs.size()];
      for (int i = 0; i < outPorts.length; i++) {
        outPorts[i] = outs.get(i).name();
        outRefs[i] = outs.get(i).historyId();
      }
    }

    /** Input refs per frame port: one port per input, or all elements of a collection on one port. */
    private static HistoryId[][] inputs(String op, String[] ports, List<HistoryId> in) {
      if (inputPort(op, "") != ELEMENTS) {
        HistoryId[][] refs = new HistoryId[ports.length][];
        for (int i = 0; i < ports.length; i++) {
          refs[i] = new HistoryId[] {in.get(i)};
        }
        return refs;
      }
      return in.isEmpty() ? new HistoryId[0][] : new HistoryId[][] {in.toArray(new HistoryId[0])};
    }

    /** Returns the call (built from the stored record on first request). */
    Call call() {
      Call c = call;
      if (c == null) {
        c = graph.toCall(record);
        call = c;
      }
      return c;
    }

    /** Returns the refs at input port {@code port} (empty if the call has none there). */
    HistoryId[] in(String port) {
      for (int i = 0; i < inPorts.length; i++) {
        if (inPorts[i].equals(port)) {
          return inRefs[i];
        }
      }
      return NONE;
    }

    /** Returns the ref at output port {@code port}, or null. */
    HistoryId out(String port) {
      for (int i = 0; i < outPorts.length; i++) {
        if (outPorts[i].equals(port)) {
          return outRefs[i];
        }
      }
      return null;
    }

    /** Returns the output port that produced {@code ref}, or null. */
    String outPortOf(HistoryId ref) {
      for (int i = 0; i < outRefs.length; i++) {
        if (outRefs[i].equals(ref)) {
          return outPorts[i];
        }
      }
      return null;
    }

    private static final HistoryId[] NONE = new HistoryId[0];
    private static final String[] NO_PORTS = new String[0];
    private static final String[] ELEMENTS_PORT = {ELEMENTS};
  }
}
