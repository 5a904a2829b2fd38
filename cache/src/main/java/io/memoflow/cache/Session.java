package io.memoflow.cache;

import io.memoflow.cache.spi.StorageException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scope in which op calls are memoized: opened with {@link Storage#session()}, closed with
 * try-with-resources. Thread-safe: any thread may call {@link #call}; {@link Op#call} uses the
 * calling thread's innermost open session.
 *
 * <p>Sessions nest: a session opened while the same thread has an open session of the same
 * storage joins it, and everything is committed durably once, when the outermost session
 * closes, also when an exception propagates out of the try block (calls that completed are
 * kept; a call whose op threw stores nothing). A storage {@link Storage#inMemory() in memory}
 * has nothing to make durable and stores each call as it is made.
 */
public interface Session extends AutoCloseable {

  /**
   * Calls {@code op} with arguments bound by input name (raw values or refs; missing ones take
   * their defaults). Looks the call up by history id, then by content id, else executes it;
   * two threads making the same new call execute it once.
   *
   * @throws NoStoredCallException in {@link SessionMode#NO_NEW_CALLS} if the call is not stored
   * @throws OpFailedException if the op's function threw a checked exception
   * @throws StorageException if an argument or output cannot be serialized (names op and argument)
   */
  CallResult call(Op op, Map<String, ?> args);

  /** Calls {@code op} with positional arguments; see {@link #call(Op, Map)}. */
  CallResult callPositional(Op op, Object... args);

  /**
   * Stores a list element by element: each element its own ref (raw values wrapped, refs kept),
   * the list the output of a structural {@code __list__} call over them.
   */
  <T> Ref<List<T>> list(List<?> elements);

  /** Stores a set element by element, like {@link #list}, elements ordered by content id. */
  <T> Ref<Set<T>> set(Set<?> elements);

  /** Stores a map with string keys entry by entry, like {@link #list}; inputs named by key. */
  <V> Ref<Map<String, V>> map(Map<String, ?> entries);

  /**
   * Returns one ref per element of a stored list or set, in order: the element refs it was built
   * from (for a {@linkplain #slice slice}, those of the list it was cut from), or for a
   * collection an op returned, refs made by memoized {@code __item__} calls.
   */
  <T> List<Ref<T>> elements(Ref<? extends java.util.Collection<T>> collection);

  /**
   * Returns the slice {@code [from, to)} of a stored list, memoized as a structural
   * {@code __slice__(list, from, to)} call (a frame shows it as that node). Its content id is
   * that of the elements' values, so slices of equal lists share it, and a call on the slice is
   * reused by content wherever a call on an equal list was stored; {@link #elements} of a slice
   * are the parent's element refs, so calls on them retrace. A stored slice is retraced without
   * loading the list.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= size}
   */
  <T> Ref<List<T>> slice(Ref<? extends List<T>> list, int from, int to);

  /**
   * Returns the ref of element {@code index} of a stored list: the one {@link #elements} gives at
   * that position (the element ref a structural list was built from, else the output of a
   * memoized {@code __item__(collection, index)} call), without making the others.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < size}
   */
  <T> Ref<T> get(Ref<? extends List<T>> list, int index);

  /**
   * Returns the ref of the entry {@code key} of a stored map: the entry's ref for a map stored
   * entry by entry ({@link #map}), else the output of a memoized {@code __item__(collection,
   * index)} call whose index is the key.
   *
   * @throws IllegalArgumentException if the map has no such key (the message lists its keys)
   */
  <V> Ref<V> get(Ref<? extends Map<String, V>> map, String key);

  /**
   * Returns the value named {@code name}, binding it to {@code value.get()} if the name names
   * nothing yet. A bound name is found by a few lookups by id: the supplier is not called and the
   * value is neither read nor hashed (it is hashed once, when bound, and stored once however many
   * names bind it). The ref's history id is the name's (and its revision's), so calls on it
   * retrace run after run; a {@link Storage#namedHistory(String) history} records every binding.
   * Replace a named value with {@link #replaceNamed}, rename it with {@link #renameNamed}.
   *
   * @throws IllegalStateException if the name was renamed away (the message says to what)
   * @throws NoStoredCallException in {@link SessionMode#NO_NEW_CALLS} if the name is not bound
   */
  <T> Ref<T> named(String name, java.util.function.Supplier<? extends T> value);

  /**
   * Returns the value named {@code name}; see {@link #named(String, java.util.function.Supplier)}.
   *
   * @throws IllegalArgumentException if no value is named so
   */
  <T> Ref<T> named(String name);

  /**
   * Binds {@code name} to another value, as its next revision: the ref has a new history id, so
   * calls on it run anew (or are reused by content), while the calls on the earlier value stay
   * stored. Recorded as {@link Storage.NamedRevision.Change#REPLACED}.
   *
   * @throws IllegalArgumentException if no value was ever named {@code name}
   */
  <T> Ref<T> replaceNamed(String name, T value);

  /**
   * Renames a named value: {@code to} names it from now on (a new history id, the same content,
   * so calls on it are reused by content) and {@code from} names nothing, each change recorded
   * as a revision of its name. Returns the value's ref under {@code to}.
   *
   * @throws IllegalArgumentException if {@code from} names nothing, or {@code to} names a value
   */
  <T> Ref<T> renameNamed(String from, String to);

  /** Returns this session's mode. */
  SessionMode mode();

  /** Closes this session; the outermost one commits every call made in it durably. */
  @Override
  void close();
}
