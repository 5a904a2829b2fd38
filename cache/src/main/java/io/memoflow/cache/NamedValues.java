package io.memoflow.cache;

import io.memoflow.cache.internal.Codec;
import io.memoflow.cache.internal.Ids;
import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.dag.Digest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/*
 * Overview: a named value is bound by a structural call __named__(name, revision) whose outputs
 * are the value and the event that bound it ({event, other, at}). The call's ids depend on the
 * name and the revision only, so finding a name's current value is a few lookups by history id
 * (revisions 1, 2, ... until one is not stored), never a read or a hash of the value; the value's
 * history id is that call's output, so it is the name's (and revision's), and its content id is
 * the hash of its bytes, computed once, when it is bound (so it is stored once however many
 * names bind it, and read back verified like any value). Being calls, bindings are committed with
 * the session, shared by processes on the store, shown in frames, and keep their values from
 * cleanup. Replacing binds the next revision to a new value; renaming binds the next revision of
 * the new name to the same value and the next revision of the old one to nothing (RENAMED_TO).
 */
/** Named values: binding, finding, replacing and renaming them, and their history. */
final class NamedValues {
  static final String NAMED = "__named__";
  private static final List<String> INPUTS = List.of("name", "revision");

  private NamedValues() {}

  /** The record of revision {@code revision} of {@code name} (pending or stored), or null. */
  private static CallRecord revision(MemoStorage storage, String name, int revision) {
    return storage.lookup(ids(inputs(name, revision, null)).historyId());
  }

  /** The latest revision's record of {@code name}, or null; revisions count from 1. */
  private static CallRecord latest(MemoStorage storage, String name) {
    CallRecord last = null;
    for (int r = 1; ; r++) {
      CallRecord rec = revision(storage, name, r);
      if (rec == null) {
        return last;
      }
      last = rec;
    }
  }

  /** The call's input slots; with {@code vals}, the raw inputs' bytes are staged there. */
  private static List<CallRecord.Slot> inputs(String name, int revision, Map<ContentId, byte[]> vals) {
    List<CallRecord.Slot> slots = new ArrayList<>(2);
    Object[] values = {name, revision};
    for (int i = 0; i < 2; i++) {
      byte[] b = Codec.encode(values[i]);
      Digest cid = Codec.contentId(b);
      ContentId c = ContentId.from(cid);
      if (vals != null) {
        vals.put(c, b);
      }
      slots.add(new CallRecord.Slot(INPUTS.get(i), c, HistoryId.from(Ids.rawHistory(cid))));
    }
    return slots;
  }

  /** The ids of a call over {@code slots}, hashed as every structural call's are. */
  private static CallRecord ids(List<CallRecord.Slot> slots) {
    Digest.Hasher hh = Ids.callHistory(NAMED, Structures.VERSION);
    Digest.Hasher ch = Ids.callContent(NAMED, Structures.VERSION);
    for (CallRecord.Slot s : slots) {
      hh.add(s.name()).add(s.historyId().toDigest());
      ch.add(s.name()).add(s.contentId().toDigest());
    }
    return new CallRecord(HistoryId.from(hh.digest()), ContentId.from(ch.digest()), NAMED,
        Structures.VERSION, slots, List.of());
  }

  private static Storage.NamedRevision.Change change(Map<?, ?> event) {
    return Storage.NamedRevision.Change.valueOf((String) event.get("event"));
  }

  private static Map<?, ?> event(MemoStorage storage, CallRecord rec) {
    return (Map<?, ?>) slotRef(storage, rec, "event").value();
  }

  private static Ref<?> slotRef(MemoStorage storage, CallRecord rec, String output) {
    for (CallRecord.Slot s : rec.outputs()) {
      if (s.name().equals(output)) {
        return new Ref<>(s.contentId(), s.historyId(), storage);
      }
    }
    throw new IllegalStateException("A " + NAMED + " call without output '" + output + "': "
        + rec.historyId().hex());
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("A value's name is blank. Give it a name such as \"train-set\".");
    }
    return name;
  }

  /** The current value of {@code name}, or null if it was never bound; fails if renamed away. */
  private static Ref<?> current(MemoSession session, MemoStorage storage, String name) {
    CallRecord rec = latest(storage, checkName(name));
    if (rec == null) {
      return null;
    }
    Map<?, ?> event = event(storage, rec);
    if (change(event) == Storage.NamedRevision.Change.RENAMED_TO) {
      throw new IllegalStateException("The value named '" + name + "' was renamed to '"
          + event.get("other") + "' at " + Instant.ofEpochMilli((Long) event.get("at"))
          + ". Use named(\"" + event.get("other") + "\"), or bind '" + name
          + "' anew with replaceNamed.");
    }
    session.keepWithBatch(rec);
    return slotRef(storage, rec, "value");
  }

  static Ref<?> named(MemoSession session, MemoStorage storage, String name, Supplier<?> value) {
    Objects.requireNonNull(value, "value");
    synchronized (storage) {
      Ref<?> r = current(session, storage, name);
      return r != null ? r : bind(session, storage, name, 1, Storage.NamedRevision.Change.BOUND, null,
          encoded(name, value.get()));
    }
  }

  static Ref<?> named(MemoSession session, MemoStorage storage, String name) {
    Ref<?> r = current(session, storage, name);
    if (r == null) {
      throw new IllegalArgumentException("No value is named '" + name + "'. Bind one with"
          + " session.named(\"" + name + "\", () -> value).");
    }
    return r;
  }

  static Ref<?> replace(MemoSession session, MemoStorage storage, String name, Object value) {
    synchronized (storage) {
      CallRecord last = latest(storage, checkName(name));
      if (last == null) {
        throw new IllegalArgumentException("No value is named '" + name + "', so none can be"
            + " replaced. Bind one with session.named(\"" + name + "\", () -> value).");
      }
      return bind(session, storage, name, revisionOf(storage, last) + 1, Storage.NamedRevision.Change.REPLACED, null,
          encoded(name, value));
    }
  }

  static Ref<?> rename(MemoSession session, MemoStorage storage, String from, String to) {
    synchronized (storage) {
      Ref<?> value = named(session, storage, from);
      CallRecord taken = latest(storage, checkName(to));
      int toRevision = 1;
      if (taken != null) {
        if (change(event(storage, taken)) != Storage.NamedRevision.Change.RENAMED_TO) {
          throw new IllegalArgumentException("Cannot rename '" + from + "' to '" + to + "': '" + to
              + "' names a value already. Replace it with replaceNamed, or choose another name.");
        }
        toRevision = revisionOf(storage, taken) + 1;
      }
      int fromRevision = revisionOf(storage, latest(storage, from)) + 1;
      Ref<?> renamed = bind(session, storage, to, toRevision, Storage.NamedRevision.Change.RENAMED_FROM,
          from, new Encoded(value.contentId(), null));
      bind(session, storage, from, fromRevision, Storage.NamedRevision.Change.RENAMED_TO, to,
          encoded(from, null));
      return renamed;
    }
  }

  private static int revisionOf(MemoStorage storage, CallRecord rec) {
    CallRecord.Slot s = rec.inputs().get(1);
    return (Integer) new Ref<>(s.contentId(), s.historyId(), storage).value();
  }

  /** A value to bind: its content id, and its bytes unless they are stored already. */
  private record Encoded(ContentId contentId, byte[] bytes) {}

  private static Encoded encoded(String name, Object value) {
    byte[] b = MemoSession.encode(NAMED, Structures.VERSION, "value", name, value);
    return new Encoded(ContentId.from(Codec.contentId(b)), b);
  }

  /** Records revision {@code revision} of {@code name}, bound to {@code value}; returns its ref. */
  private static Ref<?> bind(MemoSession session, MemoStorage storage, String name, int revision,
      Storage.NamedRevision.Change change, String other, Encoded value) {
    session.checkOpen();
    if (session.mode() == SessionMode.NO_NEW_CALLS) {
      throw new NoStoredCallException(NAMED, "Named value '" + name + "': binding revision "
          + revision + " (" + change + ") is a new call, and this session allows no new calls"
          + " (SessionMode.NO_NEW_CALLS). Bind it in a NORMAL session.");
    }
    Map<ContentId, byte[]> vals = new HashMap<>();
    CallRecord id = ids(inputs(name, revision, vals));
    if (value.bytes() != null) {
      vals.put(value.contentId(), value.bytes());
    }
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("event", change.name());
    if (other != null) {
      event.put("other", other);
    }
    event.put("at", System.currentTimeMillis());
    byte[] eb = Codec.encode(event);
    ContentId ecid = ContentId.from(Codec.contentId(eb));
    vals.put(ecid, eb);
    CallRecord rec = new CallRecord(id.historyId(), id.contentId(), NAMED, Structures.VERSION,
        id.inputs(), List.of(
            new CallRecord.Slot("value", value.contentId(), CallIds.outputId(id.historyId(), "value")),
            new CallRecord.Slot("event", ecid, CallIds.outputId(id.historyId(), "event"))));
    session.record(rec, vals);
    return slotRef(storage, rec, "value");
  }

  /** Every revision of {@code name}, oldest first. */
  static List<Storage.NamedRevision> history(MemoStorage storage, String name) {
    checkName(name);
    List<Storage.NamedRevision> out = new ArrayList<>();
    for (int r = 1; ; r++) {
      CallRecord rec = revision(storage, name, r);
      if (rec == null) {
        return out;
      }
      Map<?, ?> event = event(storage, rec);
      out.add(new Storage.NamedRevision(name, r, change(event), (String) event.get("other"),
          Instant.ofEpochMilli((Long) event.get("at")), slotRef(storage, rec, "value")));
    }
  }
}
