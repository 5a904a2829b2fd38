package io.memoflow.cache.internal;

import io.memoflow.cache.spi.StorageException;
import io.memoflow.cache.spi.StoreDamageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/*
 * Overview: interns op names, versions and input/output names as small ints so call records
 * stay short. Persisted as an append-only log of (u16 length, UTF-8 bytes, u32 CRC32C of both)
 * (a damaged name would silently rename every call that uses it), shared by every
 * process with the store open: a writer appends only under the store's write lock, after
 * reading what others appended; readers read new names when they meet an id they lack. A record
 * cut off by a crash is cut off by the next writer (nothing can reference it: names are synced
 * before the calls that use them).
 */
final class NameTable implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final List<String> names = new ArrayList<>();
  private final Map<String, Integer> ids = new ConcurrentHashMap<>();
  private volatile String[] snapshot = new String[0];
  /** The length of the log read so far (whole records); guarded by {@code this}. */
  private long loaded;
  private boolean dirty;

  NameTable(Path file) {
    this.file = file;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StorageException("Cannot open name table " + file + ": " + e.getMessage(), e);
    }
    refresh(false);
  }

  /**
   * Reads the names other processes appended since the last read. A record cut off at the end
   * is left for later (its writer may still be writing) unless {@code cutTorn}: the caller holds
   * the store's write lock, so no one is writing and the tail is what a killed writer left.
   */
  void refresh(boolean cutTorn) {
    // Uninterruptibly: on an interrupted thread the channel would close for every later use.
    Uninterruptibly.call(() -> {
      readNew(cutTorn);
      return null;
    });
  }

  private synchronized void readNew(boolean cutTorn) {
    try {
      long size = channel.size();
      if (size == loaded) {
        return;
      }
      ByteBuffer b = ByteBuffer.allocate((int) (size - loaded));
      while (b.hasRemaining()) {
        if (channel.read(b, loaded + b.position()) < 0) {
          break;
        }
      }
      b.flip();
      long valid = loaded;
      while (b.remaining() >= 2) {
        int start = b.position();
        int len = b.getShort() & 0xFFFF;
        if (b.remaining() < len + Checksums.SIZE) {
          break;
        }
        byte[] s = new byte[len];
        b.get(s);
        if (b.getInt() != Checksums.of(0, len, s, len)) {
          if (b.hasRemaining()) {
            throw new StoreDamageException(file.getParent(), file, "the name at byte " + (loaded + start)
                + " fails its checksum");
          }
          // The last record: a write still under way, or one a killed writer left half done.
          b.position(start);
          break;
        }
        add(new String(s, StandardCharsets.UTF_8));
        valid = loaded + b.position();
      }
      loaded = valid;
      if (cutTorn && valid < size) {
        channel.truncate(valid);
      }
      snapshot = names.toArray(new String[0]);
    } catch (IOException e) {
      throw new StorageException("Cannot read name table " + file + ": " + e.getMessage(), e);
    }
  }

  private int add(String s) {
    int id = names.size();
    names.add(s);
    ids.putIfAbsent(s, id);
    return id;
  }

  /**
   * Returns the id of {@code s}, appending it to the log if new (synced by {@link #force}).
   * Appending needs the store's write lock (other processes append too), so the backend calls
   * this only while committing.
   */
  int intern(String s) {
    Integer id = ids.get(s);
    if (id != null) {
      return id;
    }
    synchronized (this) {
      refresh(true);
      id = ids.get(s);
      if (id != null) {
        return id;
      }
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length > 0xFFFF) {
        throw new IllegalArgumentException("Name longer than 65535 bytes: " + s.substring(0, 40) + "...");
      }
      ByteBuffer buf = ByteBuffer.allocate(2 + b.length + Checksums.SIZE).putShort((short) b.length)
          .put(b).putInt(Checksums.of(0, b.length, b, b.length)).flip();
      try {
        long at = loaded;
        Uninterruptibly.call(() -> {
          while (buf.hasRemaining()) {
            channel.write(buf, at + buf.position());
          }
          return null;
        });
      } catch (IOException e) {
        throw new StorageException("Cannot append to name table " + file + ": " + e.getMessage(), e);
      }
      loaded += buf.limit();
      dirty = true;
      int nid = add(s);
      snapshot = names.toArray(new String[0]);
      return nid;
    }
  }

  String name(int id) {
    String[] s = snapshot;
    if (id >= s.length && id >= 0) {
      // Another process interned it: read what it appended.
      refresh(false);
      s = snapshot;
    }
    if (id < 0 || id >= s.length) {
      throw new StoreDamageException(file.getParent(), file, "it has no name " + id
          + " (it holds " + s.length + "), which a call record uses");
    }
    return s[id];
  }

  synchronized void force() {
    if (dirty) {
      try {
        Uninterruptibly.call(() -> {
          channel.force(false);
          return null;
        });
      } catch (IOException e) {
        throw new StorageException("Cannot sync name table " + file + ": " + e.getMessage(), e);
      }
      dirty = false;
    }
  }

  @Override
  public void close() {
    try {
      force();
      channel.close();
    } catch (IOException e) {
      throw new StorageException("Cannot close name table " + file + ": " + e.getMessage(), e);
    }
  }
}
