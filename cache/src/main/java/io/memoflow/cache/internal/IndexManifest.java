package io.memoflow.cache.internal;

import io.memoflow.cache.spi.StorageException;
import io.memoflow.cache.spi.StoreDamageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/*
 * Overview: what a SegmentedMap's files should be, so that a lost, cut or overwritten index
 * file is named at open instead of opening as an empty map (everything recomputes with no
 * warning), hanging in Chronicle's wait for a header that never becomes ready, or crashing on
 * a mapping past the end of a file. <name>.manifest holds one line per segment file,
 * "<index> <length> <header crc>": the length the file had (Chronicle files only grow) and a
 * CRC32C of its header (the immutable part: its first 8 bytes, its length and the map's
 * configuration as text). A line is added after its file is created, and lengths are brought up
 * to date when the store closes; the file is replaced atomically each time.
 */
final class IndexManifest {
  /* Chronicle Map's header: 8 bytes that depend on the configuration (never all zero once the
   * file is whole), the configuration's length (int, little-endian), the configuration. */
  private static final int MAX_HEADER = 1 << 20;

  record Entry(int index, long length, int headerCrc) {}

  private final Path file;
  private final Path store;
  private final List<Entry> entries = new ArrayList<>();
  /** Whether entries differ from the file (save writes only then: it costs an fsync). */
  private boolean changed;

  private IndexManifest(Path store, String name) {
    this.store = store;
    this.file = store.resolve(name + ".manifest");
  }

  /** Reads the manifest of map {@code name} in {@code store}; empty if there is none. */
  static IndexManifest read(Path store, String name) {
    IndexManifest m = new IndexManifest(store, name);
    List<String> lines;
    try {
      lines = Files.readAllLines(m.file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      return m;
    } catch (IOException e) {
      throw new StorageException("Cannot read " + m.file + ": " + e.getMessage(), e);
    }
    for (String line : lines) {
      String[] f = line.trim().split(" ");
      try {
        if (f.length != 3) {
          throw new NumberFormatException(line);
        }
        m.entries.add(new Entry(Integer.parseInt(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2])));
      } catch (NumberFormatException e) {
        throw new StoreDamageException(store, m.file, "its line '" + line + "' is not '<index> <length> <crc>'");
      }
    }
    return m;
  }

  /** Whether the manifest exists (a store of this format always has one once a file is made). */
  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The number of segment files the manifest lists. */
  int files() {
    return entries.size();
  }

  /**
   * Checks segment file {@code index} ({@code path}) against its line: present, not shorter,
   * same header. A file the manifest does not list yet (its creator died before adding it, or
   * is adding it now) is not checked.
   */
  void check(int index, Path path) {
    if (index >= entries.size()) {
      return;
    }
    Entry e = entries.get(index);
    long size;
    try {
      size = Files.size(path);
    } catch (NoSuchFileException x) {
      throw new StoreDamageException(store, path, "it is missing (the store had " + entries.size()
          + " such files)");
    } catch (IOException x) {
      throw new StorageException("Cannot read " + path + ": " + x.getMessage(), x);
    }
    if (size < e.length()) {
      throw new StoreDamageException(store, path, "it is shorter than it was (" + size + " bytes, was "
          + e.length() + ")");
    }
    Integer crc = headerCrc(path);
    if (crc == null || crc != e.headerCrc()) {
      throw new StoreDamageException(store, path, "its header is not the one it was written with");
    }
  }

  /** Adds or updates the line of segment file {@code index} from the file as it is now. */
  void record(int index, Path path) {
    Integer crc = headerCrc(path);
    if (crc == null) {
      throw new StoreDamageException(store, path, "its header is not a Chronicle Map header");
    }
    long size;
    try {
      size = Files.size(path);
    } catch (IOException x) {
      throw new StorageException("Cannot read " + path + ": " + x.getMessage(), x);
    }
    Entry e = new Entry(index, size, crc);
    if (index < entries.size()) {
      changed |= !entries.get(index).equals(e);
      entries.set(index, e);
    } else if (index == entries.size()) {
      entries.add(e);
      changed = true;
    } else {
      throw new IllegalStateException("segment " + index + " recorded before " + entries.size());
    }
  }

  /** Replaces the manifest file atomically with what this holds, if that changed. */
  void save() {
    if (!changed) {
      return;
    }
    StringBuilder b = new StringBuilder();
    for (Entry e : entries) {
      b.append(e.index()).append(' ').append(e.length()).append(' ').append(e.headerCrc()).append('\n');
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, b, StandardCharsets.ISO_8859_1);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      changed = false;
    } catch (IOException x) {
      throw new StorageException("Cannot write " + file + ": " + x.getMessage()
          + ". Check free space and permissions.", x);
    }
  }

  /** The CRC32C of a Chronicle Map file's header, or null if it does not start with a whole one. */
  static Integer headerCrc(Path path) {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      if (ch.read(head, 0) < 12 || head.getLong(0) == 0) {
        return null;
      }
      int len = head.getInt(8) & 0x3FFF_FFFF;
      if (len <= 0 || len > MAX_HEADER || 12L + len > ch.size()) {
        return null;
      }
      ByteBuffer all = ByteBuffer.allocate(12 + len);
      while (all.hasRemaining() && ch.read(all, all.position()) > 0) {
        // read the whole header
      }
      CRC32C crc = new CRC32C();
      crc.update(all.array(), 0, all.position());
      return (int) crc.getValue();
    } catch (NoSuchFileException x) {
      return null;
    } catch (IOException x) {
      throw new StorageException("Cannot read " + path + ": " + x.getMessage(), x);
    }
  }
}
