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
 * <dir>/versions/log.jsonl, replayed on open (a later refactor line overrides an earlier
 * semantic version; a torn last line from a crash is skipped), plus one listing file per code
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
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
          s.replay(line);
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

  private void replay(String line) {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return; // a line torn by a crash while appending: everything before it is intact
    }
    if (n == null || !n.has("type")) {
      return;
    }
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
    try (FileChannel ch = FileChannel.open(dir.resolve("log.jsonl"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(java.nio.ByteBuffer.wrap(
          (Json.MAPPER.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8)));
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
