package io.memoflow.cache.internal;

import io.memoflow.cache.spi.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Overview: the store directory's own files, and how processes share a store.
 *   FORMAT       "memoflow-store <version>": marks the directory as a store and its layout version.
 *   lock         no content; three one-byte OS lock regions:
 *                  byte 0  "live": every process with the store open holds a shared lock on it;
 *                          an exclusive try-lock that succeeds proves no other process has it open;
 *                  byte 1  "open": exclusive while a process opens (and maybe recovers) or closes,
 *                          so these decisions never race;
 *                  byte 2  "write": exclusive around every commit and deletion (see ChangeLog).
 *   procs/<pid>.<n>  one marker per process (per JVM) that has the store open; deleted on clean
 *                close. A marker left behind means that process died with the store open.
 *   clean        written by the last process to close when no process died with the store open,
 *                with what the store held then ("calls N" lines: see ChronicleBackend);
 *                deleted by the first to open.
 * A process that opens the store while no other has it open recovers every index file when the
 * store was not closed cleanly (no `clean`, or a marker left behind); with another process live
 * it never recovers (Chronicle Map's recovery must not run under a live user). The OS drops a
 * killed process's locks, so a `kill -9` never blocks the others; its marker makes the next
 * lone opener recover. Within one JVM every Storage on the directory shares one Shared (Java
 * file locks are per JVM), counted by reference.
 */
final class StoreDirectory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StoreDirectory.class);
  /**
   * 3: call records and names end with a CRC32C. (2: content index keyed by 8 bytes, no
   * provenance logs. Older formats are refused with what to do.)
   */
  static final int FORMAT_VERSION = 3;
  private static final String FORMAT_TEXT = "memoflow-store " + FORMAT_VERSION;
  private static final long LIVE = 0;
  private static final long OPEN = 1;
  private static final long WRITE = 2;
  /** The stores this JVM has open, by absolute path; guarded by the class. */
  private static final Map<Path, Shared> OPEN_STORES = new HashMap<>();

  /** What every Storage of this JVM on one directory shares: the lock file and its locks. */
  private static final class Shared {
    final FileChannel channel;
    final FileLock live;
    final Path marker;
    final ReentrantLock writes = new ReentrantLock();
    FileLock writeLock;
    int users = 1;
    /** True until the first user's index files are open (others in this JVM wait for it). */
    boolean opening = true;

    Shared(FileChannel channel, FileLock live, Path marker) {
      this.channel = channel;
      this.live = live;
      this.marker = marker;
    }
  }

  final Path dir;
  /** Whether this open recovered the index files (the previous user died with the store open). */
  final boolean recover;
  /** Whether no other process (and no other Storage in this JVM) had the store open. */
  final boolean alone;
  private final Shared shared;
  /** The clean marker's text when this open is alone after a clean close, else null. */
  private String lastClose;
  /** What the last closer writes in the clean marker (set by the backend as it closes). */
  private volatile String closingSummary = "";
  private FileLock openLock;
  private boolean closed;

  /**
   * Opens the directory; the caller must call {@link #opened()} once its index files are open,
   * so that no other process opens (or recovers) them meanwhile.
   */
  StoreDirectory(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    Path format = this.dir.resolve("FORMAT");
    try {
      if (Files.exists(this.dir) && !Files.isDirectory(this.dir)) {
        throw new StorageException(Messages.notAStore(this.dir));
      }
      Files.createDirectories(this.dir);
      checkFormat(format);
      synchronized (StoreDirectory.class) {
        Shared s = OPEN_STORES.get(this.dir);
        while (s != null && s.opening) {
          try {
            StoreDirectory.class.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("Interrupted while another Storage opened " + this.dir + ".", e);
          }
          s = OPEN_STORES.get(this.dir);
        }
        if (s != null) {
          s.users++;
          shared = s;
          recover = false;
          alone = false;
          return;
        }
        FileChannel ch = FileChannel.open(this.dir.resolve("lock"), StandardOpenOption.CREATE,
            StandardOpenOption.READ, StandardOpenOption.WRITE);
        boolean rec = false;
        boolean first;
        FileLock open = null;
        FileLock live;
        Path marker;
        try {
          open = Uninterruptibly.call(() -> ch.lock(OPEN, 1, false));
          boolean existing = checkFormat(format);
          if (!existing) {
            createFormat(format);
          }
          FileLock probe = Uninterruptibly.call(() -> ch.tryLock(LIVE, 1, false));
          first = probe != null;
          Path procs = this.dir.resolve("procs");
          Files.createDirectories(procs);
          if (first) {
            // Every marker left is a dead process's (none is live): delete them all.
            boolean died = deleteMarkers(procs);
            Path cleanFile = this.dir.resolve("clean");
            rec = existing && (died || !Files.exists(cleanFile));
            if (!rec && existing) {
              lastClose = Files.readString(cleanFile, StandardCharsets.ISO_8859_1);
            }
            probe.release();
            // Nobody else has the store open: the change log starts over (ChangeLog).
            Files.deleteIfExists(this.dir.resolve(ChangeLog.FILE));
          }
          live = Uninterruptibly.call(() -> ch.tryLock(LIVE, 1, true));
          if (live == null) {
            throw new StorageException(Messages.locked(this.dir, "a process running an older memoflow "
                + "(it holds the whole lock file)"));
          }
          marker = procs.resolve(ProcessHandle.current().pid() + "." + System.nanoTime());
          Files.write(marker, new byte[0]);
          Files.deleteIfExists(this.dir.resolve("clean"));
          syncDir(this.dir);
        } catch (IOException | RuntimeException e) {
          ch.close();
          throw e;
        }
        recover = rec;
        alone = first;
        openLock = open;
        shared = new Shared(ch, live, marker);
        OPEN_STORES.put(this.dir, shared);
      }
    } catch (IOException e) {
      throw new StorageException("Cannot open store directory " + this.dir + ": " + e.getMessage()
          + ". Check that it exists and is writable.", e);
    }
  }

  /** The format version a store of an earlier memoflow has, which verify and repair still read. */
  static final int LEGACY_FORMAT_VERSION = 2;

  /**
   * Runs {@code action} with the store's format version (this one's, or
   * {@link #LEGACY_FORMAT_VERSION}) while no process (this one included) has the store in
   * {@code dir} open, and none can open it: for the tools that read or rewrite its files directly.
   *
   * @throws StorageException if it is not a store of either format, or some process has it open
   */
  static <T> T alone(Path dir, java.util.function.IntFunction<T> action) {
    Path format = dir.resolve("FORMAT");
    if (!Files.exists(format)) {
      throw new StorageException(Messages.notAStore(dir));
    }
    synchronized (StoreDirectory.class) {
      if (OPEN_STORES.containsKey(dir)) {
        throw new StorageException(Messages.locked(dir, "this process (a Storage is open on it)"));
      }
      try (FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
          StandardOpenOption.READ, StandardOpenOption.WRITE);
          FileLock open = Uninterruptibly.call(() -> ch.lock(OPEN, 1, false))) {
        String text = printable(Files.readAllBytes(format));
        int version = text.equals(FORMAT_TEXT) ? FORMAT_VERSION
            : text.equals("memoflow-store " + LEGACY_FORMAT_VERSION) ? LEGACY_FORMAT_VERSION : -1;
        if (version < 0) {
          throw new StorageException(Messages.incompatibleFormat(dir, text, FORMAT_VERSION));
        }
        FileLock live = Uninterruptibly.call(() -> ch.tryLock(LIVE, 1, false));
        if (live == null) {
          throw new StorageException(Messages.locked(dir, "another process"));
        }
        try {
          return action.apply(version);
        } finally {
          live.release();
        }
      } catch (IOException e) {
        throw new StorageException("Cannot lock store " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  /** Validates FORMAT if present; returns whether it is. Throws if the directory is not a store. */
  private boolean checkFormat(Path format) throws IOException {
    if (Files.exists(format)) {
      String text = printable(Files.readAllBytes(format));
      if (!text.equals(FORMAT_TEXT)) {
        throw new StorageException(Messages.incompatibleFormat(dir, text, FORMAT_VERSION));
      }
      return true;
    }
    List<String> names;
    try (Stream<Path> s = Files.list(dir)) {
      names = s.map(p -> p.getFileName().toString()).toList();
    }
    if (names.contains("FORMAT")) {
      // Another process created the store since the check above: check its FORMAT instead.
      return checkFormat(format);
    }
    // A store being created by another process has only its lock file (and the FORMAT it is
    // writing) so far.
    if (names.stream().anyMatch(n -> !Set.of("lock", "FORMAT.tmp").contains(n))) {
      throw new StorageException(Messages.notAStore(dir));
    }
    return false;
  }

  /** The FORMAT file's text, trimmed, with anything but printable ASCII shown as '?' (it may be damaged). */
  private static String printable(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      b.append(x >= 0x20 && x < 0x7F || x == '\n' ? (char) x : '?');
    }
    String t = b.toString().trim();
    return t.length() > 60 ? t.substring(0, 60) + "..." : t;
  }

  private void createFormat(Path format) throws IOException {
    Path tmp = dir.resolve("FORMAT.tmp");
    Files.writeString(tmp, FORMAT_TEXT + "\n", StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, format, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Deletes the markers of processes that died with the store open; returns whether any. */
  private static boolean deleteMarkers(Path procs) throws IOException {
    int n = 0;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(procs)) {
      for (Path p : s) {
        Files.deleteIfExists(p);
        n++;
      }
    }
    if (n > 0) {
      LOG.info("Store at {}: {} process(es) ended without closing it; their markers are removed.",
          procs.getParent(), n);
    }
    return n > 0;
  }

  private static boolean hasMarkers(Path procs) throws IOException {
    try (Stream<Path> s = Files.list(procs)) {
      return s.findAny().isPresent();
    }
  }

  private static void syncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * Returns what the clean marker said, when this open found the store closed cleanly and no
   * other process has it open since (so it must still hold exactly that); otherwise null.
   */
  String lastClose() {
    return lastClose;
  }

  /** Sets what the clean marker will say if this is the last user to close. */
  void closingSummary(String summary) {
    closingSummary = summary;
  }

  /** Ends the open: other processes may open (and this one's index files are open). */
  void opened() {
    FileLock l;
    synchronized (StoreDirectory.class) {
      l = openLock;
      openLock = null;
      shared.opening = false;
      StoreDirectory.class.notifyAll();
    }
    if (l != null) {
      try {
        l.release();
      } catch (IOException e) {
        throw new StorageException("Cannot release the open lock of " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Takes the store's write lock (reentrant; excludes every other writer in this JVM and in
   * other processes). Pair with {@link #unlockWrites()}.
   */
  void lockWrites() {
    Shared s = shared;
    s.writes.lock();
    if (s.writes.getHoldCount() == 1) {
      try {
        s.writeLock = Uninterruptibly.call(() -> s.channel.lock(WRITE, 1, false));
      } catch (IOException | RuntimeException e) {
        s.writes.unlock();
        throw new StorageException("Cannot lock store " + dir + " for writing: " + e.getMessage(), e);
      }
    }
  }

  /** Releases the write lock taken by {@link #lockWrites()}. */
  void unlockWrites() {
    Shared s = shared;
    try {
      if (s.writes.getHoldCount() == 1 && s.writeLock != null) {
        s.writeLock.release();
        s.writeLock = null;
      }
    } catch (IOException e) {
      throw new StorageException("Cannot unlock store " + dir + ": " + e.getMessage(), e);
    } finally {
      s.writes.unlock();
    }
  }

  /**
   * Closes this user of the store. The last user in this JVM deletes its marker and releases
   * its locks; if no other process has the store open and none died with it open, it writes the
   * clean marker and drops the change log.
   */
  @Override
  public void close() {
    release(true);
  }

  /** Releases this user without the clean marker (used when opening failed). */
  void abandon() {
    try {
      release(false);
    } catch (RuntimeException ignored) {
      // Best effort: the OS releases the locks when the process exits anyway.
    }
  }

  private void release(boolean clean) {
    synchronized (StoreDirectory.class) {
      if (closed) {
        return;
      }
      closed = true;
      Shared s = shared;
      try {
        if (openLock != null) {
          openLock.release();
          openLock = null;
        }
        if (s.opening) {
          s.opening = false;
          StoreDirectory.class.notifyAll();
        }
        if (--s.users > 0) {
          return;
        }
        OPEN_STORES.remove(dir);
        try (FileLock open = Uninterruptibly.call(() -> s.channel.lock(OPEN, 1, false))) {
          if (clean) {
            Files.deleteIfExists(s.marker);
          }
          s.live.release();
          FileLock last = Uninterruptibly.call(() -> s.channel.tryLock(LIVE, 1, false));
          if (last != null) {
            if (clean && !hasMarkers(dir.resolve("procs"))) {
              Files.deleteIfExists(dir.resolve(ChangeLog.FILE));
              Files.writeString(dir.resolve("clean"), "closed cleanly\n" + closingSummary,
                  StandardCharsets.ISO_8859_1);
            }
            last.release();
          }
          syncDir(dir);
        }
        s.channel.close();
      } catch (IOException e) {
        throw new StorageException("Cannot close store directory " + dir + ": " + e.getMessage(), e);
      }
    }
  }
}
