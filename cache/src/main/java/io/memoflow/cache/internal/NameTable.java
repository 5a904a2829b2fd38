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
 * stay short. Persisted as an append-only log of (u16 length, UTF-8 bytes, u32 CRC32C of both:
 * next() reads one, record() writes one)
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
      for (Record r; (r = next(b, true)) != null; ) {
        if (r.name() == null) {
          if (b.hasRemaining()) {
            throw new StoreDamageException(file.getParent(), file, "the name at byte " + (loaded + r.start())
                + " fails its checksum");
          }
          // The last record: a write still under way, or one a killed writer left half done.
          b.position(r.start());
          break;
        }
        add(r.name());
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

  /**
   * One record of a name log, read at {@code b}'s position.
   *
   * @param name the name, or null if the record fails its checksum
   * @param start where the record starts in {@code b}
   */
  record Record(String name, int start) {}

  /**
   * Reads the record at {@code b}'s position and moves past it; returns null, the position
   * unchanged, when the bytes end inside it. {@code checksummed}: false for the logs of format 2
   * stores, whose records have no checksum.
   */
  static Record next(ByteBuffer b, boolean checksummed) {
    int start = b.position();
    if (b.remaining() < 2) {
      return null;
    }
    int len = b.getShort() & 0xFFFF;
    if (b.remaining() < len + (checksummed ? Checksums.SIZE : 0)) {
      b.position(start);
      return null;
    }
    byte[] s = new byte[len];
    b.get(s);
    boolean intact = !checksummed || b.getInt() == Checksums.of(0, len, s, len);
    return new Record(intact ? new String(s, StandardCharsets.UTF_8) : null, start);
  }

  /** The record of a name's UTF-8 bytes, ready to append. */
  private static ByteBuffer record(byte[] utf8) {
    return ByteBuffer.allocate(2 + utf8.length + Checksums.SIZE).putShort((short) utf8.length)
        .put(utf8).putInt(Checksums.of(0, utf8.length, utf8, utf8.length)).flip();
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
      ByteBuffer buf = record(b);
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
