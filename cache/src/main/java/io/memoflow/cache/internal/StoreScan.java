package io.memoflow.cache.internal;

import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageException;
import io.memoflow.cache.spi.StoreCheck;
import io.memoflow.cache.spi.StoreDamageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.openhft.chronicle.map.ChronicleMap;

/*
 * Overview: reads a store directory file by file, trusting nothing: every name, call record
 * and value is checked as a read checks it (CRC32C, content id), a file that cannot be opened
 * is listed and skipped instead of ending the scan, and blob files no index lists are checked
 * too (an index lost with its file can be rebuilt from them). What passes is handed on; what
 * does not is listed as Damage. `memoflow verify` prints the list; `memoflow repair` copies what
 * passed into a new store (StoreRepair). Runs only while no process has the store open.
 */
public final class StoreScan {
  private static final Pattern INDEX_FILE = Pattern.compile("(calls|bycontent|values)\\.(\\d+)\\.cm");

  private final Path dir;
  /** Whether the store has the earlier format (names and records without checksums). */
  private boolean legacy;
  private final List<StoreCheck.Damage> damage = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final Set<ContentId> goodValues = new HashSet<>();
  private long callsLost;
  private long valuesLost;

  private StoreScan(Path dir) {
    this.dir = dir;
  }

  /**
   * Checks every entry of the store in {@code dir}; {@code value} receives each value that
   * passes (with its bytes) and {@code call} each call that passes whose outputs all do.
   *
   * @throws StorageException if {@code dir} is not a store of this format, or is open elsewhere
   */
  public static StoreCheck scan(Path dir, BiConsumer<ContentId, byte[]> value,
      java.util.function.Consumer<CallRecord> call) {
    StoreScan s = new StoreScan(dir.toAbsolutePath().normalize());
    return StoreDirectory.alone(s.dir, format -> {
      s.legacy = format == StoreDirectory.LEGACY_FORMAT_VERSION;
      return s.run(value, call);
    });
  }

  /** Whether the store in {@code dir} has the earlier format, which repair converts. */
  static boolean isLegacy(Path dir) {
    return StoreDirectory.alone(dir.toAbsolutePath().normalize(),
        format -> format == StoreDirectory.LEGACY_FORMAT_VERSION);
  }

  private StoreCheck run(BiConsumer<ContentId, byte[]> value, java.util.function.Consumer<CallRecord> call) {
    readNames();
    long[] counts = new long[2];
    Set<ContentId> inBlobIndex = new HashSet<>();
    forEachEntry("values", 16, 0, 12, (f, k, v) -> {
      counts[1]++;
      ContentId cid = new ContentId(longAt(k, 0), longAt(k, 8));
      byte[] bytes;
      Path where = f;
      if (v.length >= 1 && v[0] == 1) {
        inBlobIndex.add(cid);
        where = blob(cid);
        bytes = readBlob(where);
        if (bytes == null) {
          lose(where, "the file of value " + cid.hex() + " is missing (" + f.getFileName() + " lists it)");
          return;
        }
      } else if (v.length >= 1 && v[0] == 0) {
        bytes = java.util.Arrays.copyOfRange(v, 1, v.length);
      } else {
        lose(f, "the entry of value " + cid.hex() + " is not a value entry");
        return;
      }
      if (!ContentId.from(Codec.contentId(bytes)).equals(cid)) {
        lose(where, "the bytes of value " + cid.hex() + " do not hash to its content id");
        return;
      }
      if (goodValues.add(cid)) {
        value.accept(cid, bytes);
      }
    });
    // Blobs no index lists: their values index was lost, or they outlived a cleanup's crash.
    for (Path b : blobFiles()) {
      ContentId cid = blobId(b);
      if (cid == null || inBlobIndex.contains(cid)) {
        continue;
      }
      byte[] bytes = readBlob(b);
      if (bytes != null && ContentId.from(Codec.contentId(bytes)).equals(cid) && goodValues.add(cid)) {
        value.accept(cid, bytes);
      }
    }
    forEachEntry("calls", 16, 0, 40, (f, k, v) -> {
      counts[0]++;
      HistoryId hid = new HistoryId(longAt(k, 0), longAt(k, 8));
      CallRecord c;
      try {
        c = legacy ? CallRecordCodec.decodeLegacy(hid, v, this::name) : CallRecordCodec.decode(hid, v, this::name);
      } catch (CallRecordCodec.DamagedRecord | StoreDamageException e) {
        callsLost++;
        damage.add(new StoreCheck.Damage(f, e instanceof StoreDamageException d ? d.damage() : e.getMessage()));
        return;
      }
      // Kept only if every value it names is whole: a frame of it reads its inputs too.
      for (List<CallRecord.Slot> slots : List.of(c.inputs(), c.outputs())) {
        for (CallRecord.Slot o : slots) {
          if (!goodValues.contains(o.contentId())) {
            callsLost++;
            damage.add(new StoreCheck.Damage(f, "call " + hid.hex() + " of op '" + c.op() + "' has lost its "
                + (slots == c.inputs() ? "input" : "output") + " '" + o.name() + "' (value "
                + o.contentId().hex() + ")"));
            return;
          }
        }
      }
      call.accept(c);
    });
    // The content index is rebuilt from the calls; only its files' damage is worth a line.
    forEachEntry("bycontent", 8, 16, 16, (f, k, v) -> { });
    return new StoreCheck(List.copyOf(damage), counts[0], counts[1], callsLost, valuesLost, Optional.empty());
  }

  private void lose(Path file, String what) {
    valuesLost++;
    damage.add(new StoreCheck.Damage(file, what));
  }

  private String name(int id) {
    String n = id >= 0 && id < names.size() ? names.get(id) : null;
    if (n == null) {
      throw new StoreDamageException(dir, dir.resolve("names.log"), "it has no readable name " + id
          + ", which a call record uses");
    }
    return n;
  }

  /** Reads names.log like NameTable, but goes on past a damaged name (leaving a hole). */
  private void readNames() {
    Path f = dir.resolve("names.log");
    byte[] all;
    try {
      all = Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new StorageException("Cannot read " + f + ": " + e.getMessage(), e);
    }
    ByteBuffer b = ByteBuffer.wrap(all);
    for (NameTable.Record r; (r = NameTable.next(b, !legacy)) != null; ) {
      names.add(r.name());
      if (r.name() == null) {
        damage.add(new StoreCheck.Damage(f, "the name at byte " + r.start() + " fails its checksum"));
      }
    }
    if (b.hasRemaining()) {
      damage.add(new StoreCheck.Damage(f, "it ends in a partial name at byte " + b.position()));
    }
  }

  private interface Entry {
    void accept(Path file, byte[] key, byte[] value);
  }

  private void forEachEntry(String map, int keySize, int constantValueSize, double average, Entry action) {
    IndexManifest manifest;
    try {
      manifest = IndexManifest.read(dir, map);
    } catch (StoreDamageException e) {
      damage.add(new StoreCheck.Damage(e.file(), e.damage()));
      manifest = null;
    }
    List<Path> files = indexFiles(map);
    for (int i = 0; manifest != null && i < manifest.files(); i++) {
      if (!files.contains(dir.resolve(map + "." + i + ".cm"))) {
        damage.add(new StoreCheck.Damage(dir.resolve(map + "." + i + ".cm"), "it is missing (the store had "
            + manifest.files() + " " + map + " files): what it held is lost"));
      }
    }
    for (int idx = 0; idx < files.size(); idx++) {
      Path f = files.get(idx);
      try {
        if (manifest != null) {
          manifest.check(Integer.parseInt(f.getFileName().toString().split("\\.")[1]), f);
        }
        try (ChronicleMap<byte[], byte[]> m = SegmentedMap.openFile(dir, f, keySize, constantValueSize, average)) {
          m.forEach((k, v) -> action.accept(f, k, v));
        }
      } catch (StoreDamageException e) {
        damage.add(new StoreCheck.Damage(e.file(), e.damage() + ": what it held is lost"));
      } catch (RuntimeException e) {
        damage.add(new StoreCheck.Damage(f, "it cannot be read (" + e + "): what it held is lost"));
      }
    }
  }

  private List<Path> indexFiles(String map) {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> {
        Matcher m = INDEX_FILE.matcher(p.getFileName().toString());
        if (m.matches() && m.group(1).equals(map)) {
          out.add(p);
        }
      });
    } catch (IOException e) {
      throw new StorageException("Cannot list " + dir + ": " + e.getMessage(), e);
    }
    out.sort(null);
    return out;
  }

  private Path blob(ContentId cid) {
    String hex = cid.hex();
    return dir.resolve("blobs").resolve(hex.substring(0, 2)).resolve(hex.substring(2));
  }

  private List<Path> blobFiles() {
    Path root = dir.resolve("blobs");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root, 2)) {
      return s.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new StorageException("Cannot list " + root + ": " + e.getMessage(), e);
    }
  }

  private static ContentId blobId(Path blob) {
    String hex = blob.getParent().getFileName().toString() + blob.getFileName();
    try {
      return ContentId.from(io.memoflow.dag.Digest.fromHex(hex));
    } catch (IllegalArgumentException e) {
      return null;   // a temporary file, or not ours
    }
  }

  private static byte[] readBlob(Path b) {
    try {
      return Files.readAllBytes(b);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new StorageException("Cannot read " + b + ": " + e.getMessage(), e);
    }
  }

  private static long longAt(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }
}
