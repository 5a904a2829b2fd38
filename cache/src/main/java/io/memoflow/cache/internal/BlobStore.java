package io.memoflow.cache.internal;

import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/*
 * Overview: large values as content-addressed files, blobs/ab/cdef... (the content id's hex
 * split after two characters). A blob is written to a temporary file, synced, renamed into
 * place atomically and the directory synced, so a crash leaves either no file or a whole one;
 * leftover temporary files are deleted when the store is opened.
 */
final class BlobStore {
  private static final String TMP = ".tmp-";
  private final Path root;

  BlobStore(Path root) {
    this.root = root;
    try {
      Files.createDirectories(root);
      try (Stream<Path> s = Files.list(root)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          if (p.getFileName().toString().startsWith(TMP)) {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException e) {
      throw new StorageException("Cannot prepare blob directory " + root + ": " + e.getMessage(), e);
    }
  }

  /** The file that holds (or would hold) the blob {@code cid}. */
  Path path(ContentId cid) {
    String hex = cid.hex();
    return root.resolve(hex.substring(0, 2)).resolve(hex.substring(2));
  }

  void write(ContentId cid, byte[] bytes) {
    Uninterruptibly.call(() -> {
      writeNow(cid, bytes);
      return null;
    });
  }

  private void writeNow(ContentId cid, byte[] bytes) {
    Path target = path(cid);
    if (Files.exists(target)) {
      return;
    }
    Path tmp = root.resolve(TMP + cid.hex() + "-" + Thread.currentThread().getId());
    try {
      Files.createDirectories(target.getParent());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDir(target.getParent());
    } catch (IOException e) {
      throw new StorageException("Cannot write blob " + target + ": " + e.getMessage()
          + ". Check free space and permissions.", e);
    }
  }

  private static void syncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  byte[] read(ContentId cid) {
    try {
      // Uninterruptibly: a worker of a cancelled run still reads (or writes) a whole blob.
      return Uninterruptibly.call(() -> Files.readAllBytes(path(cid)));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new StorageException("Cannot read blob " + path(cid) + ": " + e.getMessage(), e);
    }
  }

  void delete(ContentId cid) {
    try {
      Files.deleteIfExists(path(cid));
    } catch (IOException e) {
      throw new StorageException("Cannot delete blob " + path(cid) + ": " + e.getMessage(), e);
    }
  }
}
