package io.memoflow.cache.internal;

import io.memoflow.cache.spi.StorageException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/*
 * Overview: how the processes (and the Storages of one JVM) that share a store learn what the
 * others changed, so that their caches and in-memory indexes never hide a committed call nor
 * resurrect a deleted one. `changes.log` is append-only:
 *
 *   bytes 0..7   the published end: the offset after the last complete record (big-endian long,
 *                read and written through a shared memory mapping, so a check costs one
 *                volatile read, no system call)
 *   then         17-byte records: tag (1 call added, 2 call deleted, 3 value deleted), 16-byte id
 *
 * A writer holds the store's write lock, appends its records at the published end (cutting off
 * whatever a killed writer left there unpublished) after its index writes, then publishes the
 * new end. A reader remembers the end it has read up to; when the published end differs it
 * reads the records in between. The log holds nothing that is not also in the index files, so
 * it is dropped whenever no process has the store open (StoreDirectory), and is not fsynced.
 */
final class ChangeLog implements AutoCloseable {
  static final String FILE = "changes.log";
  static final int HEADER = 8;
  static final int RECORD = 17;
  static final byte CALL_ADDED = 1;
  static final byte CALL_DELETED = 2;
  static final byte VALUE_DELETED = 3;
  private static final VarHandle END =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Receives the records of a read. */
  interface Reader {
    void record(byte tag, long hi, long lo);
  }

  private final Path file;
  private final FileChannel channel;
  private final MappedByteBuffer header;

  ChangeLog(Path dir) {
    this.file = dir.resolve(FILE);
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      header = channel.map(FileChannel.MapMode.READ_WRITE, 0, HEADER);
    } catch (IOException e) {
      throw new StorageException("Cannot open change log " + file + ": " + e.getMessage()
          + ". Check that the store directory is writable.", e);
    }
  }

  /** Returns the published end (one volatile read of shared memory). */
  long end() {
    long e = (long) END.getVolatile(header, 0);
    return e == 0 ? HEADER : e;
  }

  /** Reads the complete records in [{@code from}, {@code to}), in order. */
  void read(long from, long to, Reader reader) {
    // Uninterruptibly: on an interrupted thread the channel would close for every later use.
    Uninterruptibly.call(() -> {
      readRecords(from, to, reader);
      return null;
    });
  }

  private void readRecords(long from, long to, Reader reader) {
    if (to <= from) {
      return;
    }
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(to - from, RECORD * 4096L));
    long pos = from;
    try {
      while (pos < to) {
        b.clear().limit((int) Math.min(b.capacity(), to - pos));
        while (b.hasRemaining()) {
          if (channel.read(b, pos + b.position()) < 0) {
            throw new StorageException("Change log " + file + " ends before its published end "
                + to + ". Close every process using the store and open it again.");
          }
        }
        b.flip();
        while (b.remaining() >= RECORD) {
          reader.record(b.get(), b.getLong(), b.getLong());
        }
        pos += b.limit();
      }
    } catch (IOException e) {
      throw new StorageException("Cannot read change log " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Appends records (the caller holds the store's write lock) and publishes them; returns the
   * new end. {@code records} holds whole records, written from its position to its limit.
   */
  long append(ByteBuffer records) {
    return Uninterruptibly.call(() -> appendRecords(records));
  }

  private long appendRecords(ByteBuffer records) {
    long at = end();
    long to = at + records.remaining();
    try {
      long pos = at;
      while (records.hasRemaining()) {
        pos += channel.write(records, pos);
      }
    } catch (IOException e) {
      throw new StorageException("Cannot append to change log " + file + ": " + e.getMessage()
          + ". Check free space.", e);
    }
    END.setVolatile(header, 0, to);
    return to;
  }

  /** Returns a buffer for {@code n} records. */
  static ByteBuffer records(int n) {
    return ByteBuffer.allocate(n * RECORD);
  }

  /** Adds one record to a buffer from {@link #records}. */
  static void put(ByteBuffer b, byte tag, long hi, long lo) {
    b.put(tag).putLong(hi).putLong(lo);
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new StorageException("Cannot close change log " + file + ": " + e.getMessage(), e);
    }
  }
}
