package io.memoflow.cache;

import io.memoflow.cache.internal.ChronicleBackend;
import io.memoflow.cache.internal.InMemoryBackend;
import io.memoflow.cache.internal.JvmOptions;
import io.memoflow.cache.internal.StoreRepair;
import io.memoflow.cache.internal.StoreScan;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageBackend;
import io.memoflow.cache.spi.StorageException;
import io.memoflow.cache.spi.StoreCheck;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * Where calls and values are remembered: in memory ({@link #inMemory()}) or in a directory
 * ({@link #open(Path)}: Caffeine in front of Chronicle Map index files and content-addressed
 * blob files). Thread-safe.
 *
 * <pre>{@code
 * try (Storage storage = Storage.open(Path.of(".memoflow"));
 *      Session s = storage.session()) {
 *   Ref<Integer> y = inc.call(1);      // executes, or retraces if stored
 * }
 * }</pre>
 *
 * <p>Several processes (and several storages in one process) may have a persistent store open
 * at once: each sees the calls the others committed and forgets the calls they deleted. A store
 * that was not closed cleanly (a process was killed with it open) is recovered automatically by
 * the next process that opens it while no other has it open. Queries and deletion see committed
 * calls and the calls of open sessions; delete and clean up while no session writes.
 */
public interface Storage extends AutoCloseable {

  /**
   * Returns a new storage that keeps everything in memory (gone on close). With nothing to make
   * durable, it stores each new call as it is made instead of when its session closes.
   */
  static Storage inMemory() {
    return of(new InMemoryBackend(), StorageOptions.defaults());
  }

  /**
   * Opens (creating it if needed) the store in {@code dir} with default options.
   *
   * @throws StorageException if {@code dir} is not a store, has an incompatible format version,
   *     is held by a process of an older memoflow, or the JVM lacks Chronicle Map's options
   */
  static Storage open(Path dir) {
    return open(dir, StorageOptions.defaults());
  }

  /** Opens (creating it if needed) the store in {@code dir}; see {@link #open(Path)}. */
  static Storage open(Path dir, StorageOptions options) {
    // [versioning] version metadata persists beside the index, in dir/versions.
    return new MemoStorage(openBackend(dir, options), options, dir);
  }

  /**
   * Checks every name, call record and value of the store in {@code dir} against its checksum
   * or content id, and every index file against what the store recorded of it, changing no entry
   * (an index file a killed process left open gets Chronicle Map's recovery of its lock words, as
   * the next open would give it). Runs while no process has the store open.
   *
   * @throws StorageException if {@code dir} is not a store of this format, or a process has it
   *     open
   */
  static StoreCheck verify(Path dir) {
    return StoreScan.scan(dir, (c, b) -> { }, c -> { });
  }

  /**
   * Rebuilds the store in {@code dir} from what {@link #verify(Path)} finds whole, if it finds
   * damage: the values that hash to their ids, the calls whose records and outputs are whole,
   * fresh indexes (including those lost with their files) and the version history. The damaged
   * original is moved beside it ({@link StoreCheck#keptAs()}); the lost calls run again when
   * next called. A whole store is left as it is; a store of the earlier format 2 (written by an
   * earlier memoflow, without checksums) is converted, every record checked by its history id
   * instead. Runs while no process has the store open.
   *
   * @throws StorageException if {@code dir} is not a store of this format, or a process has it
   *     open
   */
  static StoreCheck repair(Path dir) {
    return StoreRepair.repair(dir);
  }

  /**
   * Opens (creating it if needed) the Chronicle Map backend of the store in {@code dir}, the
   * one {@link #open(Path, StorageOptions)} puts a storage in front of, for backends made of
   * others (the cluster backend keeps its durable copy in one). Closing it closes its files.
   *
   * @throws StorageException as {@link #open(Path)}
   */
  static StorageBackend openBackend(Path dir, StorageOptions options) {
    JvmOptions.check();
    return ChronicleBackend.open(dir, options.initialEntries(), options.claimLease());
  }

  /** Returns a storage over a backend (the SPI entry point); closing it closes the backend. */
  static Storage of(StorageBackend backend, StorageOptions options) {
    return new MemoStorage(backend, options);
  }

  /** Opens a session in {@link SessionMode#NORMAL} (nested if this thread has one open here). */
  Session session();

  /**
   * Opens a session in {@code mode} (nested if this thread has one open here). While it is open,
   * an op called on a thread that has no session (a parallel stream's, an executor's) is made
   * through it, and its close waits for such calls to finish before committing; with several
   * such sessions open on different threads, that call fails naming their threads.
   */
  Session session(SessionMode mode);

  /**
   * Opens a session in {@code mode} that only the calling thread calls through: ops called on
   * threads without a session never join it. For worker threads that each open their own (the
   * reactive engine's), so that they do not make other threads' calls ambiguous.
   */
  Session threadSession(SessionMode mode);

  /** Returns the stored call with history id {@code callId}. */
  Optional<Call> call(HistoryId callId);

  /** Returns the stored call that output {@code ref}; empty for raw values. */
  Optional<Call> creator(Ref<?> ref);

  /** Returns the stored calls that took {@code ref} as an input (order unspecified). */
  List<Call> consumers(Ref<?> ref);

  /** Returns every stored call of the op named {@code op}, any version (order unspecified). */
  List<Call> calls(String op);

  /** Returns the names of the ops with stored calls (uncommitted ones of this process too), sorted. */
  SortedSet<String> ops();

  /**
   * Deletes stored calls, and with {@code withDependents} every call that consumed one of their
   * outputs, transitively. Values stay until {@link #cleanup()}.
   *
   * @return the number of calls deleted
   */
  int delete(Collection<HistoryId> callIds, boolean withDependents);

  /** Deletes one call; see {@link #delete(Collection, boolean)}. */
  default int delete(Call call, boolean withDependents) {
    return delete(List.of(call.historyId()), withDependents);
  }

  /**
   * Removes every stored value that no stored call references.
   *
   * @return the number of values removed
   */
  long cleanup();

  /**
   * Returns every revision of the value named {@code name} ({@link Session#named(String,
   * java.util.function.Supplier)}), oldest first: what bound it, replaced it or renamed it, and
   * when; empty if it was never bound.
   */
  List<NamedRevision> namedHistory(String name);

  /**
   * One revision of a named value: revision 1 binds the name, each later one replaces its value
   * or renames it. A named value's history id is that of its name and revision, so a call on it
   * retraces by name without reading or hashing the value.
   *
   * @param name the value's name
   * @param revision 1, 2, ...
   * @param change what this revision did
   * @param other for a rename, the other name (renamed from, or to); else null
   * @param at when it was recorded
   * @param value the value bound from this revision on (a null value for {@link Change#RENAMED_TO})
   */
  record NamedRevision(String name, int revision, Change change, String other, java.time.Instant at,
      Ref<?> value) {

    /** What a revision of a named value did. */
    public enum Change {
      /** The name was bound to its first value. */
      BOUND,
      /** The name was bound to another value ({@link Session#replaceNamed}). */
      REPLACED,
      /** The name took over the value of {@code other} ({@link Session#renameNamed}). */
      RENAMED_FROM,
      /** The value went to the name {@code other}: this name names nothing until replaced. */
      RENAMED_TO
    }
  }

  /** Returns a snapshot of the counters and of the in-memory cache (see {@link StorageStats}). */
  StorageStats stats();

  /**
   * Drops everything the in-memory cache (Caffeine, in front of a directory store) holds: call
   * records and value bytes. The store is not touched and no session's uncommitted calls are
   * dropped, so every call still retraces, reading the store again. For a storage
   * {@linkplain #inMemory() in memory}, whose maps are the store, there is nothing to drop.
   * Frees memory, or makes the next reads cost what a fresh process pays.
   *
   * @return the number of cache entries dropped
   */
  long clearCache();

  /**
   * Drops the cached call records of the op named {@code op} (any version) and the cached
   * bytes of their outputs, leaving the store and every other cache entry; see
   * {@link #clearCache()}.
   *
   * @return the number of cache entries dropped
   */
  long clearCache(String op);

  /** Drops the cached calls of {@code op}; see {@link #clearCache(String)}. */
  default long clearCache(Op op) {
    return clearCache(op.name());
  }

  /**
   * Commits the calls of sessions still open, then releases memory, files and the lock and
   * (for a directory store) writes the clean-shutdown marker.
   */
  @Override
  void close();
}
