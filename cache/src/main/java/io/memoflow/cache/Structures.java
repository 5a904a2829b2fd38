package io.memoflow.cache;

import io.memoflow.cache.internal.Codec;
import io.memoflow.cache.internal.Ids;
import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.dag.Digest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The structural calls of one session: collections stored element by element ({@code __list__},
 * {@code __set__}, {@code __map__} over their element refs) and the memoized access to a stored
 * collection's elements ({@code __item__}). They run no user code, so their records are made
 * here, not through an op; their version is fixed ({@link #VERSION}) so their ids never change.
 */
final class Structures {
  static final String LIST = CallGraph.LIST_OP;
  static final String SET = CallGraph.SET_OP;
  static final String MAP = CallGraph.MAP_OP;
  static final String ITEM = "__item__";
  static final String VERSION = "1";

  private final MemoSession session;
  private final MemoStorage storage;

  Structures(MemoSession session, MemoStorage storage) {
    this.session = session;
    this.storage = storage;
  }

  /** Encodes a raw value of a structural call, stages its bytes in {@code vals}, returns its ref. */
  private Ref<?> raw(String op, String kind, String name, Object a, Map<ContentId, byte[]> vals) {
    byte[] b = MemoSession.encode(op, VERSION, kind, name, a);
    Ref<?> r = session.rawRef(b);
    vals.put(r.contentId(), b);
    return r;
  }


  @SuppressWarnings("unchecked")
  <T> Ref<List<T>> list(List<?> elements) {
    List<String> names = new ArrayList<>(elements.size());
    for (int i = 0; i < elements.size(); i++) {
      names.add("e" + i);
    }
    return (Ref<List<T>>) structural(LIST, names, new ArrayList<>(elements));
  }

  @SuppressWarnings("unchecked")
  <T> Ref<Set<T>> set(Set<?> elements) {
    session.checkOpen();
    // Order elements by content id, so equal sets give one structural call.
    List<Object[]> keyed = new ArrayList<>();
    for (Object e : elements) {
      ContentId cid = e instanceof Ref<?> r ? r.contentId()
          : ContentId.from(Codec.contentId(MemoSession.encode(SET, VERSION, "element", null, e)));
      keyed.add(new Object[] {cid, e});
    }
    keyed.sort((a, b) -> ((ContentId) a[0]).compareTo((ContentId) b[0]));
    List<String> names = new ArrayList<>(keyed.size());
    List<Object> sorted = new ArrayList<>(keyed.size());
    for (int i = 0; i < keyed.size(); i++) {
      names.add("e" + i);
      sorted.add(keyed.get(i)[1]);
    }
    return (Ref<Set<T>>) structural(SET, names, sorted);
  }

  @SuppressWarnings("unchecked")
  <V> Ref<Map<String, V>> map(Map<String, ?> entries) {
    Map<String, ?> sorted = new java.util.TreeMap<>(entries);
    return (Ref<Map<String, V>>) structural(MAP, new ArrayList<>(sorted.keySet()),
        new ArrayList<>(sorted.values()));
  }

  @SuppressWarnings("unchecked")
  <T> List<Ref<T>> elements(Ref<? extends Collection<T>> collection) {
    session.checkOpen();
    Call creator = storage.creator(collection).orElse(null);
    if (creator != null && (creator.op().equals(LIST) || creator.op().equals(SET))) {
      List<Ref<T>> out = new ArrayList<>();
      creator.inputs().values().forEach(r -> out.add((Ref<T>) r));
      return out;
    }
    Collection<T> value = collection.value();
    List<Ref<T>> out = new ArrayList<>(value.size());
    int i = 0;
    for (T element : value) {
      out.add((Ref<T>) item(collection, i++, element));
    }
    return out;
  }

  /** A memoized {@code __item__(collection, index)} call whose output is one element. */
  private Ref<?> item(Ref<?> collection, int index, Object element) {
    Map<ContentId, byte[]> vals = new HashMap<>();
    Ref<?> idx = raw(ITEM, "index", null, index, vals);
    Ref<?>[] in = {collection, idx};
    List<String> names = List.of("collection", "index");
    Digest.Hasher hh = Ids.callHistory(ITEM, VERSION);
    Digest.Hasher ch = Ids.callContent(ITEM, VERSION);
    List<CallRecord.Slot> slots = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      hh.add(names.get(i)).add(in[i].historyId().toDigest());
      ch.add(names.get(i)).add(in[i].contentId().toDigest());
      slots.add(new CallRecord.Slot(names.get(i), in[i].contentId(), in[i].historyId()));
    }
    return structuralRecord(ITEM, HistoryId.from(hh.digest()), ContentId.from(ch.digest()), slots,
        "item", element, vals);
  }

  private Ref<?> structural(String kind, List<String> names, List<Object> elements) {
    session.checkOpen();
    Map<ContentId, byte[]> vals = new HashMap<>();
    Digest.Hasher hh = Ids.callHistory(kind, VERSION);
    Digest.Hasher ch = Ids.callContent(kind, VERSION);
    List<CallRecord.Slot> slots = new ArrayList<>(names.size());
    Object value;
    List<Object> plain = new ArrayList<>(elements.size());
    for (int i = 0; i < elements.size(); i++) {
      Object e = elements.get(i);
      Ref<?> r = e instanceof Ref<?> ref && !ref.isUnstored()
          ? ref
          : raw(kind, "element", names.get(i), e instanceof Ref<?> u ? u.value() : e, vals);
      hh.add(names.get(i)).add(r.historyId().toDigest());
      ch.add(names.get(i)).add(r.contentId().toDigest());
      slots.add(new CallRecord.Slot(names.get(i), r.contentId(), r.historyId()));
      plain.add(e instanceof Ref<?> ref ? ref.value() : e);
    }
    if (kind.equals(LIST)) {
      value = plain;
    } else if (kind.equals(SET)) {
      value = new java.util.LinkedHashSet<>(plain);
    } else {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        m.put(names.get(i), plain.get(i));
      }
      value = m;
    }
    return structuralRecord(kind, HistoryId.from(hh.digest()), ContentId.from(ch.digest()), slots,
        kind.equals(MAP) ? "map" : kind.equals(SET) ? "set" : "list", value, vals);
  }

  private Ref<?> structuralRecord(String kind, HistoryId hid, ContentId cid,
      List<CallRecord.Slot> inSlots, String output, Object value, Map<ContentId, byte[]> vals) {
    CallRecord rec = storage.lookup(hid);
    if (rec == null) {
      if (session.mode() == SessionMode.NO_NEW_CALLS) {
        throw new NoStoredCallException(kind, "Op '" + kind + "': no stored structural call with history id "
            + hid.hex() + " and this session allows no new calls (SessionMode.NO_NEW_CALLS).");
      }
      byte[] b = MemoSession.encode(kind, VERSION, output, null, value);
      ContentId ocid = ContentId.from(Codec.contentId(b));
      vals.put(ocid, b);
      rec = new CallRecord(hid, cid, kind, VERSION, inSlots,
          List.of(new CallRecord.Slot(output, ocid, CallIds.outputId(hid, output))));
      session.record(rec, vals);
    } else {
      session.keepWithBatch(rec);
    }
    CallRecord.Slot s = rec.outputs().get(0);
    return new Ref<>(s.contentId(), s.historyId(), storage);
  }

  /** A list or map with its refs replaced by their values (a call outside any session). */
  static Object plain(Object collection) {
    if (collection instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(e -> out.add(e instanceof Ref<?> r ? r.value() : e));
      return out;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    ((Map<?, ?>) collection).forEach((k, v) -> out.put((String) k, v instanceof Ref<?> r ? r.value() : v));
    return out;
  }
}
