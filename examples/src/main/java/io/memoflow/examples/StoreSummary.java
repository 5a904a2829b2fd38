package io.memoflow.examples;

import io.memoflow.cache.Storage;
import io.memoflow.cache.StorageStats;
import io.memoflow.cache.frame.TextTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What {@code memoflow show} reports of a store: counts, files, their apparent size (what the
 * files claim; Chronicle Map files are sparse) and what they take on disk (allocated blocks, as
 * {@code du} counts them), and calls per op; as text, CSV or JSON.
 *
 * @param store the store directory, absolute
 * @param calls stored calls
 * @param values stored values
 * @param files regular files under the directory
 * @param apparentBytes the files' sizes summed
 * @param diskBytes bytes allocated on disk, or -1 where {@code du} is not available
 * @param callsByOp calls per op name, the demo's ops first
 */
record StoreSummary(Path store, long calls, long values, long files, long apparentBytes,
    long diskBytes, Map<String, Integer> callsByOp) {

  /** Reads the summary of the open {@code storage} in {@code dir}, counting also {@code ops}. */
  static StoreSummary of(Storage storage, Path dir, List<String> ops) {
    StorageStats st = storage.stats();
    Set<String> names = new LinkedHashSet<>(RidgeStudy.OPS);
    names.addAll(ops);
    Map<String, Integer> byOp = new LinkedHashMap<>();
    for (String name : names) {
      byOp.put(name, storage.calls(name).size());
    }
    long[] apparent = apparentSize(dir);
    return new StoreSummary(dir.toAbsolutePath().normalize(), st.calls(), st.values(), apparent[1],
        apparent[0], diskUsage(dir), byOp);
  }

  String toText() {
    StringBuilder sb = new StringBuilder("Store " + store + "\n");
    sb.append(String.format(Locale.ROOT, "  calls    %d%n  values   %d%n", calls, values));
    sb.append(String.format(Locale.ROOT, "  files    %d: %s on disk, %s apparent size (Chronicle Map files are sparse)%n",
        files, diskBytes < 0 ? "unknown" : bytes(diskBytes), bytes(apparentBytes)));
    sb.append("  calls by op:\n");
    callsByOp.forEach((op, n) -> sb.append(String.format(Locale.ROOT, "    %-12s %d%n", op, n)));
    return sb.toString();
  }

  /** Returns {@code name,value} lines; calls per op as {@code calls:OP}. */
  String toCsv() {
    StringBuilder sb = new StringBuilder();
    TextTable.csvLine(sb, List.of("name", "value"));
    for (Map.Entry<String, Object> e : fields().entrySet()) {
      if (e.getValue() instanceof Map<?, ?> m) {
        m.forEach((op, n) -> TextTable.csvLine(sb, List.of("calls:" + op, String.valueOf(n))));
      } else {
        TextTable.csvLine(sb, List.of(e.getKey(), String.valueOf(e.getValue())));
      }
    }
    return sb.toString();
  }

  /** Returns one JSON object and a newline. */
  String toJson() {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(fields()) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Could not write the store summary as JSON", e);
    }
  }

  private Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("store", store.toString());
    m.put("calls", calls);
    m.put("values", values);
    m.put("files", files);
    m.put("apparentBytes", apparentBytes);
    m.put("diskBytes", diskBytes);
    m.put("callsByOp", callsByOp);
    return m;
  }

  /** Returns {@code [bytes, files]}: the sizes the regular files under {@code dir} claim. */
  static long[] apparentSize(Path dir) {
    long[] r = new long[2];
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(Files::isRegularFile).forEach(p -> {
        try {
          r[0] += Files.size(p);
          r[1]++;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return r;
  }

  /**
   * Returns the bytes {@code dir} takes on disk, from POSIX {@code du -sk} (the JDK cannot read
   * allocated blocks), or -1 if {@code du} is missing or fails.
   */
  static long diskUsage(Path dir) {
    try {
      Process p = new ProcessBuilder("du", "-sk", dir.toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
        p.destroyForcibly();
        return -1;
      }
      return Long.parseLong(out.split("\\s+")[0]) * 1024;
    } catch (IOException | NumberFormatException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static String bytes(long b) {
    if (b < 1024) {
      return b + " B";
    }
    if (b < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
  }
}
