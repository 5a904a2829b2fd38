package io.memoflow.cache.internal;

import io.memoflow.cache.HistoryId;
import io.memoflow.cache.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/*
 * Overview: the provenance edges of the call graph as an append-only file of fixed 32-byte
 * records (key hi, key lo, call hid hi, call hid lo): "output ref -> creator call",
 * "input ref -> consumer call" or "op -> call", one file per kind. Appending costs 32 bytes
 * on disk and no index maintenance; the in-memory index (key -> calls) is built on the first
 * query by one sequential read, then kept up to date by later appends. A record cut off by a
 * crash is dropped when the file is opened; edges of deleted calls stay in the file and
 * readers skip calls that no longer exist.
 */
final class ProvenanceLog implements AutoCloseable {
  private static final int RECORD = 32;
  private final Path file;
  private final FileChannel channel;
  private final ByteBuffer pending = ByteBuffer.allocate(RECORD * 4096);
  private Map<HistoryId, Object> index;
  private boolean dirty;

  ProvenanceLog(Path file) {
    this.file = file;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      long size = channel.size();
      long whole = size - size % RECORD;
      if (whole != size) {
        channel.truncate(whole);
      }
      channel.position(whole);
    } catch (IOException e) {
      throw new StorageException("Cannot open provenance log " + file + ": " + e.getMessage(), e);
    }
  }

  /** Appends an edge {@code key -> call}; durable after {@link #force()}. */
  synchronized void append(HistoryId key, HistoryId call) {
    if (pending.remaining() < RECORD) {
      flush();
    }
    pending.putLong(key.hi()).putLong(key.lo()).putLong(call.hi()).putLong(call.lo());
    if (index != null) {
      add(index, key, call);
    }
  }

  private void flush() {
    pending.flip();
    try {
      while (pending.hasRemaining()) {
        channel.write(pending);
      }
    } catch (IOException e) {
      throw new StorageException("Cannot append to provenance log " + file + ": " + e.getMessage()
          + ". Check free space.", e);
    } finally {
      pending.clear();
    }
    dirty = true;
  }

  /** Writes buffered edges and syncs the file. */
  synchronized void force() {
    if (pending.position() > 0) {
      flush();
    }
    if (dirty) {
      try {
        channel.force(false);
      } catch (IOException e) {
        throw new StorageException("Cannot sync provenance log " + file + ": " + e.getMessage(), e);
      }
      dirty = false;
    }
  }

  /** Returns the calls recorded under {@code key}, oldest first (may repeat, may name deleted calls). */
  @SuppressWarnings("unchecked")
  synchronized List<HistoryId> get(HistoryId key) {
    if (index == null) {
      index = load();
    }
    Object v = index.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof HistoryId h) {
      return List.of(h);
    }
    return new ArrayList<>((List<HistoryId>) v);
  }

  @SuppressWarnings("unchecked")
  private static void add(Map<HistoryId, Object> index, HistoryId key, HistoryId call) {
    Object v = index.get(key);
    if (v == null) {
      index.put(key, call);
    } else if (v instanceof HistoryId h) {
      if (!h.equals(call)) {
        List<HistoryId> l = new ArrayList<>(2);
        l.add(h);
        l.add(call);
        index.put(key, l);
      }
    } else {
      ((List<HistoryId>) v).add(call);
    }
  }

  private Map<HistoryId, Object> load() {
    force();
    Map<HistoryId, Object> m = new HashMap<>();
    try {
      long size = channel.size();
      ByteBuffer b = ByteBuffer.allocate(RECORD * 8192);
      long pos = 0;
      while (pos < size) {
        b.clear();
        int n = channel.read(b, pos);
        if (n <= 0) {
          break;
        }
        int usable = n - n % RECORD;
        b.flip();
        for (int i = 0; i < usable; i += RECORD) {
          add(m, new HistoryId(b.getLong(), b.getLong()), new HistoryId(b.getLong(), b.getLong()));
        }
        pos += usable;
      }
    } catch (IOException e) {
      throw new StorageException("Cannot read provenance log " + file + ": " + e.getMessage(), e);
    }
    return m;
  }

  @Override
  public synchronized void close() {
    force();
    try {
      channel.close();
    } catch (IOException e) {
      throw new StorageException("Cannot close provenance log " + file + ": " + e.getMessage(), e);
    }
  }
}
