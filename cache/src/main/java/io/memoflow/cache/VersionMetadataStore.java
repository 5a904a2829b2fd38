package io.memoflow.cache;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memoflow.cache.spi.StorageException;
import io.memoflow.cache.version.CodeVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/*
 * Overview: what versioning remembers beside the calls, per storage: every code version seen of
 * every op (when first seen, its semantic version, its disassembly for diffs), refactor
 * declarations, and the dependency sets that calls recorded. It is metadata, not computation,
 * so it stays out of the call index (counts, frames and cleanup never see it).
 *
 * On disk (a store opened on a directory) it is an append-only JSON-lines log,
 * <dir>/versions/log.jsonl, each line ending with a tab and a CRC32C of its JSON, replayed on
 * open (a later refactor line overrides an earlier semantic version; a line torn by a crash, or
 * damaged, is skipped and counted in one warning), plus one listing file per code
 * version, <dir>/versions/listings/<hex>.txt, written atomically (temp file + rename). Every
 * append is forced to disk before the method returns. In memory it is the same maps without
 * files.
 */
/** Version metadata of one storage. Thread-safe (synchronized; writes are rare). */
final class VersionMetadataStore {
  /** Jackson, initialized on the first version record read or written (not by opening an empty store). */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }
  static final String LABEL_PREFIX = "label:";

  /** One code version of one op (or tracked helper). */
  record Entry(String op, String code, String semantic, long firstSeen, String entry) {}

  /** A set of dependencies (name to version) some call of {@code op} at {@code version} ran. */
  record DepSet(String op, String version, String hash, SortedMap<String, String> deps) {}

  private final Path dir;
  private final Map<String, Map<String, Entry>> entries = new HashMap<>();
  private final Map<String, String> listings = new HashMap<>();
  private final Map<String, Map<String, DepSet>> depSets = new HashMap<>();

  private VersionMetadataStore(Path dir) {
    this.dir = dir;
  }

  /** Returns a store that keeps everything in memory. */
  static VersionMetadataStore inMemory() {
    return new VersionMetadataStore(null);
  }

  /** Opens (creating it if needed) the store in {@code storageDir}/versions and replays it. */
  static VersionMetadataStore open(Path storageDir) {
    Path d = storageDir.resolve("versions");
    VersionMetadataStore s = new VersionMetadataStore(d);
    try {
      Files.createDirectories(d.resolve("listings"));
      Path log = d.resolve("log.jsonl");
      if (Files.exists(log)) {
        int skipped = 0;
        for (String line : new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n")) {
          skipped += line.isEmpty() || s.replay(line) ? 0 : 1;
        }
        if (skipped > 0) {
          org.slf4j.LoggerFactory.getLogger(VersionMetadataStore.class).warn("Version log {}: {} damaged"
              + " line(s) skipped (a crash while appending, or damage). Code versions are recorded"
              + " again as ops run; a refactoring declared there must be declared again.", log, skipped);
        }
      }
    } catch (IOException e) {
      throw new StorageException("Cannot open the version log in " + d + ": " + e
          + ". Check the directory's permissions, or delete " + d.resolve("log.jsonl")
          + " to forget version history (calls stay).", e);
    }
    return s;
  }

  synchronized Entry entry(String op, String code) {
    return entries.getOrDefault(op, Map.of()).get(code);
  }

  /** Records a code version if new (semantic version = its own code), and returns its entry. */
  synchronized Entry recordIfAbsent(String op, CodeVersion cv) {
    Entry e = entry(op, cv.hex());
    if (e != null) {
      return e;
    }
    e = new Entry(op, cv.hex(), cv.hex(), System.currentTimeMillis(), cv.entry());
    writeListing(cv.hex(), cv.listing());
    put(e);
    append(entryJson("version", e));
    return e;
  }

  /** Records an explicit version label of an op if new (for inspection). */
  synchronized Entry recordLabel(String op, String label) {
    String code = LABEL_PREFIX + label;
    Entry e = entry(op, code);
    if (e == null) {
      e = new Entry(op, code, label, System.currentTimeMillis(), "explicit version label");
      put(e);
      append(entryJson("version", e));
    }
    return e;
  }

  /** Declares that code version {@code code} means the same as semantic version {@code semantic}. */
  synchronized Entry declare(String op, String code, String semantic) {
    Entry old = requireNonNull(entry(op, code), "entry");
    Entry e = new Entry(op, code, semantic, old.firstSeen(), old.entry());
    put(e);
    append(entryJson("refactor", e));
    return e;
  }

  /** Returns every version of an op in the order first seen (log order, not clock order). */
  synchronized List<Entry> entries(String op) {
    return new ArrayList<>(entries.getOrDefault(op, Map.of()).values());
  }

  /** Returns the disassembly of a code version, or null when it was never recorded. */
  synchronized String listing(String code) {
    String l = listings.get(code);
    if (l == null && dir != null) {
      Path p = dir.resolve("listings").resolve(code + ".txt");
      try {
        if (Files.exists(p)) {
          l = Files.readString(p, StandardCharsets.UTF_8);
          listings.put(code, l);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return l;
  }

  /** Records a dependency set if new. */
  synchronized void recordDeps(DepSet d) {
    Map<String, DepSet> m = depSets.computeIfAbsent(d.op() + "\n" + d.version(),
        k -> new LinkedHashMap<>());
    if (m.putIfAbsent(d.hash(), d) == null) {
      ObjectNode n = Json.MAPPER.createObjectNode().put("type", "deps").put("op", d.op())
          .put("version", d.version()).put("hash", d.hash());
      ArrayNode deps = n.putArray("deps");
      d.deps().forEach((k, v) -> deps.addArray().add(k).add(v));
      append(n);
    }
  }

  /** Returns the dependency sets recorded for an op version, in the order first recorded. */
  synchronized List<DepSet> depSets(String op, String version) {
    return List.copyOf(depSets.getOrDefault(op + "\n" + version, Map.of()).values());
  }

  // ---- persistence ---------------------------------------------------------------------------

  private void put(Entry e) {
    entries.computeIfAbsent(e.op(), k -> new LinkedHashMap<>()).put(e.code(), e);
  }

  private static ObjectNode entryJson(String type, Entry e) {
    return Json.MAPPER.createObjectNode().put("type", type).put("op", e.op()).put("code", e.code())
        .put("semantic", e.semantic()).put("firstSeen", e.firstSeen()).put("entry", e.entry());
  }

  /** Whether the log's last line has no newline (a crash cut it). */
  private static boolean endsTorn(Path log) throws IOException {
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
      java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
      return ch.size() > 0 && ch.read(last, ch.size() - 1) == 1 && last.get(0) != '\n';
    }
  }

  /** The checksum that ends a line ({@code <json>\t<crc>}); lines of earlier stores have none. */
  private static String crc(String json) {
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update(json.getBytes(StandardCharsets.UTF_8));
    return Long.toHexString(c.getValue());
  }

  /**
   * Replays one line; returns false for a line that is torn or damaged (it fails its checksum,
   * does not parse, or lacks a field), which is skipped: everything else is intact.
   */
  private boolean replay(String line) {
    int tab = line.lastIndexOf('\t');
    String json = tab < 0 ? line : line.substring(0, tab);
    if (tab >= 0 && !crc(json).equals(line.substring(tab + 1))) {
      return false;
    }
    try {
      JsonNode n = Json.MAPPER.readTree(json);
      if (n == null || !n.has("type")) {
        return false;
      }
      replay(n);
      return true;
    } catch (JsonProcessingException | RuntimeException e) {
      return false;
    }
  }

  private void replay(JsonNode n) {
    String type = n.get("type").asText();
    if (type.equals("version") || type.equals("refactor")) {
      Entry e = new Entry(n.get("op").asText(), n.get("code").asText(),
          n.get("semantic").asText(), n.get("firstSeen").asLong(), n.get("entry").asText());
      Entry old = entry(e.op(), e.code());
      if (old == null || type.equals("refactor")) {
        put(e);
      }
    } else if (type.equals("deps")) {
      TreeMap<String, String> deps = new TreeMap<>();
      for (JsonNode pair : n.get("deps")) {
        deps.put(pair.get(0).asText(), pair.get(1).asText());
      }
      DepSet d = new DepSet(n.get("op").asText(), n.get("version").asText(),
          n.get("hash").asText(), deps);
      depSets.computeIfAbsent(d.op() + "\n" + d.version(), k -> new LinkedHashMap<>())
          .putIfAbsent(d.hash(), d);
    }
  }

  private void append(ObjectNode n) {
    io.memoflow.cache.internal.Uninterruptibly.call(() -> {
      appendNow(n);
      return null;
    });
  }

  private void appendNow(ObjectNode n) {
    if (dir == null) {
      return;
    }
    Path log = dir.resolve("log.jsonl");
    // APPEND: other processes append to the same log, and each write lands at the end whole.
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      String json = Json.MAPPER.writeValueAsString(n);
      // After a line a crash left torn, start a new one: glued to it, this one would be lost too.
      String text = (endsTorn(log) ? "\n" : "") + json + "\t" + crc(json) + "\n";
      java.nio.ByteBuffer line = java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (line.hasRemaining()) {
        ch.write(line);
      }
      ch.force(true);
    } catch (IOException e) {
      throw new StorageException("Cannot append to the version log in " + dir + ": " + e
          + ". Check free space and permissions.", e);
    }
  }

  private void writeListing(String code, String listing) {
    // Uninterruptibly: an op called on an interrupted thread still records its code.
    io.memoflow.cache.internal.Uninterruptibly.call(() -> {
      writeListingNow(code, listing);
      return null;
    });
  }

  private void writeListingNow(String code, String listing) {
    listings.put(code, listing);
    if (dir == null) {
      return;
    }
    Path target = dir.resolve("listings").resolve(code + ".txt");
    if (Files.exists(target)) {
      return;
    }
    try {
      Path tmp = Files.createTempFile(dir.resolve("listings"), code, ".tmp");
      Files.writeString(tmp, listing, StandardCharsets.UTF_8);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new StorageException("Cannot write the code listing " + target + ": " + e
          + ". Check free space and permissions.", e);
    }
  }
}
