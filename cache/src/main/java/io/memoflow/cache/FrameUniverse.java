package io.memoflow.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/*
 * Overview: what the frames derived from one another know about the store: every call they
 * have met (as a CallInfo: the call with its refs grouped by frame port) and every ref by
 * history id, so that values load once and are shared by tables. Append-only and thread-safe;
 * frames never remove from it, they only refer to subsets of it.
 */
final class FrameUniverse {
  /** The port every element of a structural list, set or map call connects through. */
  static final String ELEMENTS = "elements";

  final Storage storage;
  private final Map<HistoryId, CallInfo> calls = new ConcurrentHashMap<>();
  private final Map<HistoryId, Ref<?>> refs = new ConcurrentHashMap<>();

  FrameUniverse(Storage storage) {
    this.storage = storage;
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

  CallInfo call(HistoryId id) {
    return calls.get(id);
  }

  Ref<?> ref(HistoryId id) {
    return refs.get(id);
  }

  /** Returns the frame port of a call's input: elements of collections share one port. */
  static String inputPort(String op, String inputName) {
    if (op.equals(MemoSession.LIST) || op.equals(MemoSession.SET) || op.equals(MemoSession.MAP)) {
      return ELEMENTS;
    }
    return inputName;
  }

  /** A stored call with its refs' history ids grouped by frame port, in the call's order. */
  static final class CallInfo {
    final Call call;
    final HistoryId id;
    final String op;
    final String[] inPorts;
    final HistoryId[][] inRefs;
    final String[] outPorts;
    final HistoryId[] outRefs;

    CallInfo(Call c) {
      this.call = c;
      this.id = c.historyId();
      this.op = c.op();
      if (inputPort(op, "") != ELEMENTS) {
        int k = c.inputs().size();
        inPorts = new String[k];
        inRefs = new HistoryId[k][];
        int i = 0;
        for (Map.Entry<String, Ref<?>> e : c.inputs().entrySet()) {
          inPorts[i] = e.getKey();
          inRefs[i++] = new HistoryId[] {e.getValue().historyId()};
        }
      } else {
        List<HistoryId> elements = new ArrayList<>(c.inputs().size());
        for (Ref<?> r : c.inputs().values()) {
          elements.add(r.historyId());
        }
        inPorts = elements.isEmpty() ? new String[0] : new String[] {ELEMENTS};
        inRefs = elements.isEmpty() ? new HistoryId[0][] : new HistoryId[][] {elements.toArray(new HistoryId[0])};
      }
      outPorts = c.outputs().keySet().toArray(new String[0]);
      outRefs = new HistoryId[outPorts.length];
      int j = 0;
      for (Ref<?> r : c.outputs().values()) {
        outRefs[j++] = r.historyId();
      }
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
  }
}
