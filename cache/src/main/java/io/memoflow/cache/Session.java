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
   * from, or for a collection an op returned, refs made by memoized {@code __item__} calls.
   */
  <T> List<Ref<T>> elements(Ref<? extends java.util.Collection<T>> collection);

  /** Returns this session's mode. */
  SessionMode mode();

  /** Closes this session; the outermost one commits every call made in it durably. */
  @Override
  void close();
}
