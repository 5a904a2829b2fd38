package io.memoflow.cache;

import io.memoflow.cache.internal.Codec;
import io.memoflow.cache.internal.Ids;
import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageException;
import io.memoflow.dag.Digest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The structural calls of one session: collections stored element by element ({@code __list__},
 * {@code __set__}, {@code __map__} over their element refs), slices of stored lists
 * ({@code __slice__(list, from, to)}) and the memoized access to a stored collection's elements
 * ({@code __item__(collection, index)}, the index a position or a map's key). They run no user
 * code, so their records are made here, not through an op; their version is fixed
 * ({@link #VERSION}) so their ids never change.
 */
final class Structures {
  static final String LIST = CallGraph.LIST_OP;
  static final String SET = CallGraph.SET_OP;
  static final String MAP = CallGraph.MAP_OP;
  static final String ITEM = "__item__";
  static final String SLICE = "__slice__";
  private static final List<String> ITEM_INPUTS = List.of("collection", "index");
  private static final List<String> SLICE_INPUTS = List.of("list", "from", "to");
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
    return (List<Ref<T>>) (List<?>) elements(collection, storage.creator(collection).orElse(null), 0, -1);
  }

  /**
   * The refs of elements {@code from} to {@code to} (exclusive; -1: to the end) of a stored
   * collection whose creator is {@code creator} (null: a raw value): the element refs a
   * structural list or set was built from, those of the list a slice was cut from, else the
   * outputs of memoized {@code __item__} calls.
   */
  private List<Ref<?>> elements(Ref<?> collection, Call creator, int from, int to) {
    String op = creator == null ? "" : creator.op();
    if (op.equals(LIST) || op.equals(SET)) {
      List<Ref<?>> all = new ArrayList<>(creator.inputs().values());
      return all.subList(from, to < 0 ? all.size() : to);
    }
    if (op.equals(SLICE)) {
      Ref<?> parent = creator.inputs().get("list");
      int start = (Integer) creator.inputs().get("from").value();
      int end = to < 0 ? (Integer) creator.inputs().get("to").value() : start + to;
      return elements(parent, storage.creator(parent).orElse(null), start + from, end);
    }
    Collection<?> value = (Collection<?>) collection.value();
    List<Ref<?>> out = new ArrayList<>();
    int i = 0;
    for (Object element : value) {
      if (i >= from && (to < 0 || i < to)) {
        out.add(item(collection, i, () -> element));
      }
      i++;
    }
    return out;
  }

  /** The number of elements of a stored list: from the call that built it where it can. */
  private int size(Ref<?> list, Call creator) {
    String op = creator == null ? "" : creator.op();
    if (op.equals(LIST)) {
      return creator.inputs().size();
    }
    if (op.equals(SLICE)) {
      return (Integer) creator.inputs().get("to").value() - (Integer) creator.inputs().get("from").value();
    }
    Object v = list.value();
    if (!(v instanceof List<?> l)) {
      throw new IllegalArgumentException("The value " + list.historyId() + " is not a list but "
          + Op.describe(v) + ". Slice and index stored lists; get a map's entries by key.");
    }
    return l.size();
  }

  @SuppressWarnings("unchecked")
  <T> Ref<List<T>> slice(Ref<? extends List<T>> list, int from, int to) {
    session.checkOpen();
    java.util.Objects.requireNonNull(list, "list");
    Map<ContentId, byte[]> vals = new HashMap<>();
    Ref<?>[] in = {stage(list, vals), raw(SLICE, "from", null, from, vals), raw(SLICE, "to", null, to, vals)};
    return (Ref<List<T>>) call(SLICE, SLICE_INPUTS, in, "list", () -> {
      checkSlice(list, storage.creator(list).orElse(null), from, to);
      return new ArrayList<>(list.value().subList(from, to));
    }, vals);
  }

  private void checkSlice(Ref<?> list, Call creator, int from, int to) {
    int n = size(list, creator);
    if (from < 0 || from > to || to > n) {
      throw new IndexOutOfBoundsException("Slice [" + from + ", " + to + ") of a list of " + n
          + " elements: need 0 <= from <= to <= " + n + ".");
    }
  }

  @SuppressWarnings("unchecked")
  <T> Ref<T> get(Ref<? extends List<T>> list, int index) {
    session.checkOpen();
    Call creator = storage.creator(java.util.Objects.requireNonNull(list, "list")).orElse(null);
    String op = creator == null ? "" : creator.op();
    if (op.equals(LIST) || op.equals(SLICE)) {
      checkIndex(index, size(list, creator));
      return (Ref<T>) elements(list, creator, index, index + 1).get(0);
    }
    // A list an op returned: its __item__ call, retraced without loading the list.
    return (Ref<T>) item(list, index, () -> {
      checkIndex(index, size(list, null));
      return list.value().get(index);
    });
  }

  private static void checkIndex(int index, int n) {
    if (index < 0 || index >= n) {
      throw new IndexOutOfBoundsException("Index " + index + " of a list of " + n
          + " elements: need 0 <= index < " + n + ".");
    }
  }

  @SuppressWarnings("unchecked")
  <V> Ref<V> get(Ref<? extends Map<String, V>> map, String key) {
    session.checkOpen();
    java.util.Objects.requireNonNull(key, "key");
    Call creator = storage.creator(java.util.Objects.requireNonNull(map, "map")).orElse(null);
    if (creator != null && creator.op().equals(MAP)) {
      Ref<?> entry = creator.inputs().get(key);
      if (entry == null) {
        throw noKey(key, creator.inputs().keySet());
      }
      return (Ref<V>) entry;
    }
    return (Ref<V>) item(map, key, () -> {
      Map<String, V> m = map.value();
      if (!m.containsKey(key)) {
        throw noKey(key, m.keySet());
      }
      return m.get(key);
    });
  }

  private static IllegalArgumentException noKey(String key, Set<String> keys) {
    return new IllegalArgumentException("The map has no key '" + key + "'; its keys are "
        + new java.util.TreeSet<>(keys) + ".");
  }

  /** A memoized {@code __item__(collection, index)} call whose output is one element. */
  private Ref<?> item(Ref<?> collection, Object index, Supplier<Object> element) {
    Map<ContentId, byte[]> vals = new HashMap<>();
    Ref<?>[] in = {stage(collection, vals), raw(ITEM, "index", null, index, vals)};
    return call(ITEM, ITEM_INPUTS, in, "item", element, vals);
  }

  /** A ref as a structural call's input: an unstored one's bytes go with the call. */
  private static Ref<?> stage(Ref<?> r, Map<ContentId, byte[]> vals) {
    if (r.isUnstored()) {
      vals.put(r.contentId(), r.canonicalBytes());
    }
    return r;
  }

  /** A structural call over inputs {@code in} named {@code names}, hashed as any call is. */
  private Ref<?> call(String kind, List<String> names, Ref<?>[] in, String output,
      Supplier<Object> value, Map<ContentId, byte[]> vals) {
    Digest.Hasher hh = Ids.callHistory(kind, VERSION);
    Digest.Hasher ch = Ids.callContent(kind, VERSION);
    List<CallRecord.Slot> slots = new ArrayList<>(in.length);
    for (int i = 0; i < in.length; i++) {
      hh.add(names.get(i)).add(in[i].historyId().toDigest());
      ch.add(names.get(i)).add(in[i].contentId().toDigest());
      slots.add(new CallRecord.Slot(names.get(i), in[i].contentId(), in[i].historyId()));
    }
    return structuralRecord(kind, HistoryId.from(hh.digest()), ContentId.from(ch.digest()), slots,
        output, value, vals);
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
    Object built = value;
    return structuralRecord(kind, HistoryId.from(hh.digest()), ContentId.from(ch.digest()), slots,
        kind.equals(MAP) ? "map" : kind.equals(SET) ? "set" : "list", () -> built, vals);
  }

  private Ref<?> structuralRecord(String kind, HistoryId hid, ContentId cid,
      List<CallRecord.Slot> inSlots, String output, Supplier<Object> made, Map<ContentId, byte[]> vals) {
    CallRecord rec = storage.lookup(hid);
    if (rec == null) {
      // Made only when not stored: a retraced slice or item never loads its collection. Made
      // before the mode is checked, so a bad index says so in any mode.
      Object value = made.get();
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

  /**
   * The ref of a variadic (a list) or keyword (a sorted map) input: always stored element by
   * element, so frames show each element and a ref among them keeps its history.
   */
  Ref<?> collected(Op op, int i, Object a) {
    try {
      return a instanceof List<?> l ? list(l) : map(stringKeys((Map<?, ?>) a));
    } catch (StorageException e) {
      throw new StorageException("Op '" + op.name() + "' v" + op.version() + ", argument '"
          + op.inputNames().get(i) + "': " + e.getMessage(), e);
    }
  }

  /** Whether a collection holds a ref (then it is stored element by element). */
  static boolean containsRef(Collection<?> c) {
    for (Object o : c) {
      if (o instanceof Ref<?>) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  static Map<String, ?> stringKeys(Map<?, ?> m) {
    for (Object k : m.keySet()) {
      if (!(k instanceof String)) {
        throw new IllegalArgumentException("A map holding refs must have String keys; found key " + k
            + ". Use a list of refs instead.");
      }
    }
    return (Map<String, ?>) m;
  }
}
