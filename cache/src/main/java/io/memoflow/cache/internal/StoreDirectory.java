package io.memoflow.cache.internal;

import io.memoflow.cache.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/*
 * Overview: the store directory's own files.
 *   FORMAT  "memoflow-store <version>": marks the directory as a store and its layout version.
 *   lock    held with an OS file lock while a process has the store open; holds that pid.
 *   clean   present only while the store is closed and was closed cleanly; deleted (and the
 *           deletion synced) on open, written last on close. Absent on open => the previous
 *           process died with the store open => recover every index file.
 */
final class StoreDirectory implements AutoCloseable {
  /** 2: content index keyed by 8 bytes, no provenance logs (format 1 stores are refused). */
  static final int FORMAT_VERSION = 2;
  private static final String FORMAT_TEXT = "memoflow-store " + FORMAT_VERSION;

  final Path dir;
  final boolean recover;
  private final FileChannel lockChannel;
  private final FileLock lock;

  StoreDirectory(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    try {
      if (Files.exists(this.dir) && !Files.isDirectory(this.dir)) {
        throw new StorageException(Messages.notAStore(this.dir));
      }
      Files.createDirectories(this.dir);
      Path format = this.dir.resolve("FORMAT");
      boolean existing = Files.exists(format);
      if (existing) {
        String text = Files.readString(format, StandardCharsets.UTF_8).trim();
        if (!text.equals(FORMAT_TEXT)) {
          throw new StorageException(Messages.incompatibleFormat(this.dir, text, FORMAT_VERSION));
        }
      } else if (!isEmpty(this.dir)) {
        throw new StorageException(Messages.notAStore(this.dir));
      }
      lockChannel = FileChannel.open(this.dir.resolve("lock"), StandardOpenOption.CREATE,
          StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lockChannel.close();
        throw new StorageException(Messages.locked(this.dir, "this process (another open Storage)"));
      }
      if (l == null) {
        String pid = Files.readString(this.dir.resolve("lock"), StandardCharsets.UTF_8).trim();
        lockChannel.close();
        throw new StorageException(Messages.locked(this.dir, "process " + (pid.isEmpty() ? "?" : pid)));
      }
      lock = l;
      lockChannel.truncate(0);
      lockChannel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
          .getBytes(StandardCharsets.UTF_8)), 0);
      lockChannel.force(true);
      Path clean = this.dir.resolve("clean");
      recover = existing && !Files.exists(clean);
      if (!existing) {
        Path tmp = this.dir.resolve("FORMAT.tmp");
        Files.writeString(tmp, FORMAT_TEXT + "\n", StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
        Files.move(tmp, format, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.deleteIfExists(clean);
      syncDir();
    } catch (IOException e) {
      throw new StorageException("Cannot open store directory " + this.dir + ": " + e.getMessage()
          + ". Check that it exists and is writable.", e);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private void syncDir() throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** Writes the clean-shutdown marker and releases the lock. */
  @Override
  public void close() {
    try {
      Files.writeString(dir.resolve("clean"), "closed cleanly\n", StandardCharsets.UTF_8);
      syncDir();
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      throw new StorageException("Cannot close store directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Releases the lock without the clean marker (the next open recovers). */
  void abandon() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException ignored) {
      // Best effort: the OS releases the lock when the process exits anyway.
    }
  }
}
