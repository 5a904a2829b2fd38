package io.memoflow.cache.internal;

import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.StorageException;
import io.memoflow.cache.spi.StoreCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/*
 * Overview: rebuilds a damaged store, or converts one of the earlier format (2: no checksums), from what StoreScan found whole: the verified values and the
 * calls whose records and outputs are whole go into a new store beside it (through the backend's
 * own commit, so the result is an ordinary store with fresh indexes, manifests and names), the
 * version metadata is copied, and then the new store takes the old one's place. The old one is
 * kept beside it, renamed, for the user to delete. A crash before the swap leaves the old store
 * as it was (and a half-built ".repairing" directory, removed by the next repair).
 */
public final class StoreRepair {
  private static final int BATCH_BYTES = 64 << 20;

  private StoreRepair() {}

  /**
   * Repairs the store in {@code dir} if a scan finds damage; does nothing to a whole store.
   *
   * @throws StorageException if it is not a store of this format, or some process has it open
   */
  public static StoreCheck repair(Path dir) {
    Path d = dir.toAbsolutePath().normalize();
    boolean legacy = StoreScan.isLegacy(d);
    // A first pass that only reads: a whole store (the usual answer) is never copied.
    StoreCheck found = StoreScan.scan(d, (c, b) -> { }, c -> { });
    if (found.damage().isEmpty() && !legacy) {
      return found;
    }
    Path fresh = d.resolveSibling(d.getFileName() + ".repairing");
    deleteTree(fresh);
    StoreCheck copied;
    try (ChronicleBackend into = ChronicleBackend.open(fresh, Math.max(1024, found.callsChecked()))) {
      Map<ContentId, byte[]> values = new HashMap<>();
      List<CallRecord> calls = new ArrayList<>();
      long[] bytes = {0};
      copied = StoreScan.scan(d, (cid, b) -> {
        values.put(cid, b);
        bytes[0] += b.length;
        if (bytes[0] > BATCH_BYTES) {
          into.commit(values, List.of());
          values.clear();
          bytes[0] = 0;
        }
      }, c -> {
        if (!values.isEmpty()) {
          into.commit(values, List.of());
          values.clear();
        }
        calls.add(c);
        if (calls.size() >= 10_000) {
          into.commit(Map.of(), calls);
          calls.clear();
        }
      });
      into.commit(values, calls);
      copyTree(d.resolve("versions"), fresh.resolve("versions"));
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path kept = d.resolveSibling(d.getFileName() + (found.damage().isEmpty() ? ".format2-" : ".damaged-") + stamp);
    try {
      Files.move(d, kept, StandardCopyOption.ATOMIC_MOVE);
      Files.move(fresh, d, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StorageException("Repaired store is in " + fresh + " but could not replace " + d + ": "
          + e.getMessage() + ". Move it into place by hand (the original is "
          + (Files.exists(kept) ? kept : d) + ").", e);
    }
    return copied.keptAs(kept);
  }

  private static void copyTree(Path from, Path to) {
    if (!Files.isDirectory(from)) {
      return;
    }
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new StorageException("Cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(s.toList());
      java.util.Collections.reverse(all);
      for (Path p : all) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new StorageException("Cannot remove the unfinished repair in " + dir + ": " + e.getMessage(), e);
    }
  }
}
