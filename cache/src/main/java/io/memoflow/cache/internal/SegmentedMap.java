package io.memoflow.cache.internal;

import io.memoflow.cache.spi.StorageException;
import io.memoflow.cache.spi.StoreDamageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.openhft.chronicle.hash.locks.InterProcessDeadLockException;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Overview: one logical map of fixed-size keys as a list of Chronicle Map files ("segments").
 * Chronicle Map's sizing is fixed when a file is created, so when the newest segment reaches
 * the entries it was sized for, a new file is added instead of failing: twice as large, up to
 * maxEntries (so what a commit dirties, and re-faults after its fsync, stays bounded). Reads
 * look from the newest segment to the oldest (a key is only ever written once; removal
 * removes it from every segment). One writer at a time (the backend's commit, under the store's
 * write lock, across processes), many readers in any process. A segment another process added
 * is opened by refreshSegments(); the writer re-reads the newest segment's size (syncSize())
 * before writing, since other processes write to it too.
 *
 * A segment that is not the newest is sealed: nothing is added to it any more, so a KeyFilter of
 * its keys (saved beside it when the next segment is added) answers "not here" without a
 * Chronicle Map lookup. One more filter, the union of all sealed segments' keys (saved as
 * <name>.sealed-<n>.filter before segment n is added), answers it for all of them with one
 * probe, so a miss costs one probe and one map lookup however many segments the store has.
 */
final class SegmentedMap implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentedMap.class);

  static {
    // Before Chronicle's Jvm class initializes (ChronicleMap.of below): its static init binds
    // libc through jnr-ffi, generating stub classes with ASM (~0.3 s of a cold start). Chronicle
    // Map needs POSIX only for fallocate of non-sparse files and ChronicleMap.msync(); these maps
    // are sparse and made durable by FileChannel.force. The switch is JVM-wide, so a program that
    // also uses Chronicle's POSIX calls itself (Chronicle Queue) sets -Dmemoflow.posix=native.
    if (!"native".equals(System.getProperty("memoflow.posix"))) {
      try {
        net.openhft.posix.PosixAPI.useNoOpPosixApi();
      } catch (RuntimeException | LinkageError e) {
        LOG.debug("Chronicle's POSIX API stays as it is: {}", e.toString());
      }
    }
  }
  private static final Pattern FILE = Pattern.compile("(.+)\\.(\\d+)\\.cm");
  /** The default most entries a file is sized for (see {@link #capacityOf}). */
  static final long MAX_FILE_ENTRIES = 1 << 17;

  private final Path dir;
  private final String name;
  private final int keySize;
  private final int constantValueSize;
  private final double averageValueSize;
  private final long initialEntries;
  private final long maxEntries;
  private boolean recover;
  /** What the files should be (IndexManifest); changed under the store's open or write lock. */
  private final IndexManifest manifest;
  /** How many index files this open recovered (they were not closed cleanly). */
  private int recovered;
  private volatile Segment[] segments;
  /** One filter of the keys of sealed segments [0, covers): a miss probes it, not each of theirs. */
  private volatile Union union = Union.NONE;

  private record Union(KeyFilter filter, int covers) {
    static final Union NONE = new Union(null, 0);

    /** Whether segments [0, covers) may hold {@code key}. */
    boolean mayHold(byte[] key) {
      return covers == 0 || filter.mightContain(key);
    }
  }

  private static final class Segment {
    final ChronicleMap<byte[], byte[]> map;
    final long capacity;
    final FileChannel channel;
    /** The keys of a sealed segment (every one but the newest), or null. */
    volatile KeyFilter filter;
    volatile boolean dirty;
    long size;

    Segment(ChronicleMap<byte[], byte[]> map, long capacity, FileChannel channel) {
      this.map = map;
      this.capacity = capacity;
      this.channel = channel;
      this.size = map.longSize();
    }
  }

  /**
   * Opens every segment file of {@code name} in {@code dir}, recovering each if {@code recover}.
   *
   * @param keySize the size of every key in bytes
   * @param constantValueSize the value size if all values have it, else 0
   * @param initialEntries the entries the first file is sized for; each next file twice as many
   * @param maxEntries the most entries a later file is sized for (at least {@code initialEntries})
   * @param alone whether no other process has the store open (so none is creating a file)
   * @throws StoreDamageException if a file is missing, shorter than it was, or has another header
   */
  SegmentedMap(Path dir, String name, int keySize, int constantValueSize, double averageValueSize,
      long initialEntries, long maxEntries, boolean recover, boolean alone) {
    this.dir = dir;
    this.name = name;
    this.keySize = keySize;
    this.constantValueSize = constantValueSize;
    this.averageValueSize = averageValueSize;
    this.initialEntries = initialEntries;
    this.maxEntries = Math.max(initialEntries, maxEntries);
    this.recover = recover;
    List<Integer> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(p -> {
        Matcher m = FILE.matcher(p.getFileName().toString());
        if (m.matches() && m.group(1).equals(name)) {
          found.add(Integer.parseInt(m.group(2)));
        }
      });
    } catch (IOException e) {
      throw new StorageException("Cannot list store directory " + dir + ": " + e.getMessage(), e);
    }
    found.sort(null);
    manifest = IndexManifest.read(dir, name);
    int files = Math.max(manifest.files(), found.isEmpty() ? 0 : found.get(found.size() - 1) + 1);
    for (int i = 0; i < files; i++) {
      if (i >= found.size() || found.get(i) != i) {
        throw new StoreDamageException(dir, file(i), "it is missing (the store has " + files + " "
            + name + " files)");
      }
      manifest.check(i, file(i));
    }
    if (alone && !found.isEmpty() && IndexManifest.headerCrc(file(found.size() - 1)) == null
        && found.size() > manifest.files()) {
      // Its creator died before the file was whole, so nothing was written to it.
      Path torn = file(found.size() - 1);
      LOG.info("Removing {}: a process died while creating it.", torn);
      deleteFile(torn);
      found.remove(found.size() - 1);
    }
    List<Segment> segs = new ArrayList<>();
    for (int i = 0; i < found.size(); i++) {
      segs.add(openSegment(i));
    }
    if (segs.isEmpty()) {
      segs.add(openSegment(0));
    }
    if (alone) {
      // Recovery may rewrite headers, and files a dead creator did not list are whole now.
      for (int i = recover ? 0 : manifest.files(); i < segs.size(); i++) {
        manifest.record(i, file(i));
      }
      manifest.save();
    }
    for (int i = 0; i < segs.size() - 1; i++) {
      seal(segs.get(i), i, false);
    }
    this.segments = segs.toArray(new Segment[0]);
    // Only the files present at open are recovered; files added later are new.
    this.recover = false;
    unite(this.segments, this.segments.length - 1, true);
  }

  /** Returns how many of this map's index files were recovered when it was opened. */
  int recoveredFiles() {
    return recovered;
  }

  /** Opens the segments other processes added since; returns whether there were any. */
  synchronized boolean refreshSegments() {
    boolean added = false;
    while (Files.exists(file(segments.length))) {
      // The process that added the next file saved this one's filter first.
      seal(segments[segments.length - 1], segments.length - 1, false);
      Segment next = openSegment(segments.length);
      Segment[] grown = java.util.Arrays.copyOf(segments, segments.length + 1);
      grown[grown.length - 1] = next;
      segments = grown;
      added = true;
    }
    if (added) {
      unite(segments, segments.length - 1, false);
    }
    return added;
  }

  /** Re-reads the newest segment's entry count (other processes add to it); hold the write lock. */
  void syncSize() {
    Segment last = segments[segments.length - 1];
    last.size = last.map.longSize();
  }

  private Path file(int i) {
    return dir.resolve(name + "." + i + ".cm");
  }

  private Path filterFile(int i) {
    return dir.resolve(name + "." + i + ".filter");
  }

  private Path unionFile(int covers) {
    return dir.resolve(name + ".sealed-" + covers + ".filter");
  }

  /**
   * Makes the union filter cover segments [0, {@code sealed}): loads the saved one, else (if
   * {@code build}: the writer adding a file, or an open) adds the newly sealed segments' keys to
   * it, or rebuilds it twice as large when they would overfill it (so each key is added about
   * twice in all), and saves it. A reader that finds no saved union for the current segments
   * (the writer has rolled again since) keeps the one it has: the per-segment filters of the
   * segments it does not cover still answer.
   */
  private synchronized void unite(Segment[] segs, int sealed, boolean build) {
    Union u = union;
    if (u.covers >= sealed) {
      return;
    }
    long total = 0;
    for (int i = 0; i < sealed; i++) {
      total += segs[i].map.longSize();
    }
    KeyFilter loaded = KeyFilter.load(unionFile(sealed), total);
    if (loaded != null) {
      union = new Union(loaded, sealed);
      return;
    }
    if (!build) {
      return;
    }
    KeyFilter f = u.filter;
    int from = u.covers;
    long adding = 0;
    for (int i = from; i < sealed; i++) {
      adding += segs[i].map.longSize();
    }
    if (f == null || f.keys() + adding > f.capacity()) {
      f = KeyFilter.forKeys(Math.max(initialEntries, 2 * total));
      from = 0;
    }
    // Extending u's filter in place is safe: its readers only ask it about u's segments' keys.
    KeyFilter into = f;
    for (int i = from; i < sealed; i++) {
      segs[i].map.keySet().forEach(into::add);
    }
    try {
      f.save(unionFile(sealed));
      if (u.covers > 0) {
        Files.deleteIfExists(unionFile(u.covers));
      }
    } catch (IOException e) {
      throw new StorageException("Cannot write key filter " + unionFile(sealed) + ": " + e.getMessage()
          + ". Check free space and permissions.", e);
    }
    union = new Union(f, sealed);
  }

  /**
   * Gives sealed segment {@code i} its key filter: the saved one unless {@code rebuild} (or it is
   * missing or damaged), else one built from the segment's keys and saved.
   */
  private void seal(Segment s, int i, boolean rebuild) {
    if (s.filter != null) {
      return;
    }
    KeyFilter f = rebuild ? null : KeyFilter.load(filterFile(i), s.map.longSize());
    if (f == null) {
      if (!rebuild) {
        LOG.info("Rebuilding key filter {}: it was missing or damaged.", filterFile(i));
      }
      f = KeyFilter.forKeys(Math.max(s.capacity, s.map.longSize()));
      KeyFilter into = f;
      s.map.keySet().forEach(into::add);
      try {
        f.save(filterFile(i));
      } catch (IOException e) {
        throw new StorageException("Cannot write key filter " + filterFile(i) + ": " + e.getMessage()
            + ". Check free space and permissions.", e);
      }
    }
    s.filter = f;
  }

  /**
   * A process died holding one of Chronicle Map's segment locks (it was killed in the few
   * microseconds of a write): only recovery, which must not run under live users, clears it.
   */
  private StorageException deadLock(InterProcessDeadLockException e) {
    return new StorageException("An index file of '" + name + "' in " + dir + " is locked by a process "
        + "that died while writing it. Close every process using the store and open it again: "
        + "the first to open it then recovers it.", e);
  }

  /** Whether sealed segment {@code s} may hold {@code key} (always true for the newest). */
  private static boolean mayHold(Segment s, byte[] key) {
    KeyFilter f = s.filter;
    return f == null || f.mightContain(key);
  }

  /**
   * Files double from {@code initialEntries} up to {@code maxEntries} entries, then stay that
   * size: the pages one commit dirties, and those each commit's fsync leaves write-protected for
   * the next to fault on, stay bounded by one file instead of growing with the store.
   */
  private long capacityOf(int i) {
    return Math.min(maxEntries, initialEntries << Math.min(i, 20));
  }

  private Segment openSegment(int i) {
    Path f = file(i);
    long capacity = capacityOf(i);
    ChronicleMapBuilder<byte[], byte[]> b =
        builder(name + "." + i, capacity, keySize, constantValueSize, averageValueSize);
    try {
      boolean exists = Files.exists(f);
      ChronicleMap<byte[], byte[]> map;
      if (exists && recover) {
        map = b.recoverPersistedTo(f.toFile(), false);
        recovered++;
      } else {
        map = b.createPersistedTo(f.toFile());
      }
      FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
      return new Segment(map, capacity, ch);
    } catch (IOException | RuntimeException e) {
      if (Files.exists(f)) {
        // The manifest's checks passed, so Chronicle found the damage further in.
        throw (StoreDamageException) new StoreDamageException(dir, f, "Chronicle Map cannot open it ("
            + e.getMessage() + ")").initCause(e);
      }
      throw new StorageException("Cannot create index file " + f + ": " + e.getMessage()
          + ". Check free space and permissions.", e);
    }
  }

  /** The configuration of every index file; an existing file keeps the sizing it was made with. */
  private static ChronicleMapBuilder<byte[], byte[]> builder(String name, long capacity, int keySize,
      int constantValueSize, double averageValueSize) {
    ChronicleMapBuilder<byte[], byte[]> b = ChronicleMap.of(byte[].class, byte[].class)
        .name(name)
        .entries(capacity)
        .constantKeySizeBySample(new byte[keySize])
        .checksumEntries(false)
        // Storage.close closes the maps (and a program's shutdown hook may still commit): with
        // Chronicle's own exit hook a commit racing JVM shutdown met a closed map mid-write.
        .skipCloseOnExitHook(true)
        // Sparse files and few, large Chronicle segments: the unused tail of a file sized
        // for growth takes no disk, and each segment's used area is pages, not page scraps.
        .sparseFile(true)
        .actualSegments((int) Math.max(2, Math.min(64, capacity / 8192)));
    return constantValueSize > 0
        ? b.constantValueSizeBySample(new byte[constantValueSize])
        : b.averageValueSize(averageValueSize);
  }

  /**
   * Opens one existing index file on its own (for a scan of a store that may be damaged, with
   * no other process using it); the caller closes it.
   *
   * @throws StoreDamageException if its header is not whole or Chronicle Map cannot open it
   */
  static ChronicleMap<byte[], byte[]> openFile(Path store, Path f, int keySize, int constantValueSize,
      double averageValueSize) {
    if (IndexManifest.headerCrc(f) == null) {
      throw new StoreDamageException(store, f, "its header is not a Chronicle Map header");
    }
    try {
      return builder(f.getFileName().toString(), 1024, keySize, constantValueSize, averageValueSize)
          .recoverPersistedTo(f.toFile(), false);
    } catch (IOException | RuntimeException e) {
      throw (StoreDamageException) new StoreDamageException(store, f, "Chronicle Map cannot open it ("
          + e.getMessage() + ")").initCause(e);
    }
  }

  byte[] get(byte[] key) {
    try {
      Union u = union;
      Segment[] segs = segments;
      int low = u.mayHold(key) ? 0 : u.covers;
      for (int i = segs.length - 1; i >= low; i--) {
        Segment s = segs[i];
        if (mayHold(s, key)) {
          byte[] v = s.map.get(key);
          if (v != null) {
            return v;
          }
        }
      }
      return null;
    } catch (InterProcessDeadLockException e) {
      throw deadLock(e);
    }
  }

  /** The index file that holds {@code key} (the newest one if none does), for messages. */
  Path fileOf(byte[] key) {
    Segment[] segs = segments;
    for (int i = segs.length - 1; i >= 0; i--) {
      if (segs[i].map.containsKey(key)) {
        return file(i);
      }
    }
    return newestFile();
  }

  /** The newest index file (the one entries are added to). */
  Path newestFile() {
    return file(segments.length - 1);
  }

  boolean containsKey(byte[] key) {
    try {
      Union u = union;
      Segment[] segs = segments;
      int low = u.mayHold(key) ? 0 : u.covers;
      for (int i = segs.length - 1; i >= low; i--) {
        Segment s = segs[i];
        if (mayHold(s, key) && s.map.containsKey(key)) {
          return true;
        }
      }
      return false;
    } catch (InterProcessDeadLockException e) {
      throw deadLock(e);
    }
  }

  /** Puts an entry unless the key is present; returns whether it was put. */
  boolean putIfAbsent(byte[] key, byte[] value) {
    try {
      Union u = union;
      Segment[] segs = segments;
      for (int i = u.mayHold(key) ? 0 : u.covers; i < segs.length - 1; i++) {
        Segment s = segs[i];
        if (mayHold(s, key) && s.map.containsKey(key)) {
          return false;
        }
      }
      Segment last = segs[segs.length - 1];
      if (last.size >= last.capacity) {
        if (last.map.containsKey(key)) {
          return false;
        }
        put(key, value);
        return true;
      }
      byte[] prev;
      try {
        prev = last.map.putIfAbsent(key, value);
      } catch (IllegalStateException full) {
        put(key, value);
        return true;
      }
      if (prev == null) {
        last.size++;
        last.dirty = true;
        return true;
      }
      return false;
    } catch (InterProcessDeadLockException e) {
      throw deadLock(e);
    }
  }

  /** Puts a new entry into the newest segment, rolling to a new one when it is full. */
  void put(byte[] key, byte[] value) {
    try {
      Segment last = segments[segments.length - 1];
      if (last.size >= last.capacity) {
        last = roll();
      }
      try {
        last.map.put(key, value);
      } catch (IllegalStateException full) {
        last = roll();
        last.map.put(key, value);
      }
      last.size++;
      last.dirty = true;
    } catch (InterProcessDeadLockException e) {
      throw deadLock(e);
    }
  }

  private synchronized Segment roll() {
    // Another process may have added the next file: refreshSegments() opens it if so.
    if (!refreshSegments()) {
      Segment[] segs = segments;
      // Filters first, then the next file: whoever sees the next file finds these filters.
      seal(segs[segs.length - 1], segs.length - 1, true);
      unite(segs, segs.length, true);
      Segment next = openSegment(segs.length);
      // Listed before anything is written to it: an unlisted file holds nothing (see open).
      manifest.record(segs.length, file(segs.length));
      manifest.save();
      Segment[] grown = java.util.Arrays.copyOf(segs, segs.length + 1);
      grown[segs.length] = next;
      segments = grown;
    }
    Segment last = segments[segments.length - 1];
    last.size = last.map.longSize();
    return last;
  }

  void remove(byte[] key) {
    try {
      for (Segment s : segments) {
        if (mayHold(s, key) && s.map.remove(key) != null) {
          s.dirty = true;
        }
      }
    } catch (InterProcessDeadLockException e) {
      throw deadLock(e);
    }
  }

  void forEach(BiConsumer<byte[], byte[]> action) {
    for (Segment s : segments) {
      s.map.forEach(action);
    }
  }

  long size() {
    long n = 0;
    for (Segment s : segments) {
      n += s.map.longSize();
    }
    return n;
  }

  /** Makes every write since the last force durable (fsync of the changed files). */
  void force() {
    for (Segment s : segments) {
      if (s.dirty) {
        s.dirty = false;
        try {
          s.channel.force(false);
        } catch (IOException e) {
          throw new StorageException("Cannot sync index file of " + name + " in " + dir + ": " + e.getMessage(), e);
        }
      }
    }
  }

  /**
   * Brings the manifest's file lengths up to date (Chronicle grows a file when it adds a tier),
   * so a later cut is caught; the caller holds the store's write lock.
   */
  synchronized void updateManifest() {
    Segment[] segs = segments;
    for (int i = 0; i < segs.length; i++) {
      manifest.record(i, file(i));
    }
    manifest.save();
  }

  private static void deleteFile(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException e) {
      throw new StorageException("Cannot delete " + f + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    for (Segment s : segments) {
      s.map.close();
      try {
        s.channel.close();
      } catch (IOException ignored) {
        // Closing a read-only channel after the map is closed cannot lose data.
      }
    }
  }
}
