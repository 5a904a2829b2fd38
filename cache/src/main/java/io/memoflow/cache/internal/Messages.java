package io.memoflow.cache.internal;

import java.nio.file.Path;
import java.util.List;

/** The cache module's user-facing message templates, kept together so tests can assert on them. Not API; may change without notice. */
public final class Messages {
  private Messages() {}

  /** A value that cannot be serialized. */
  public static String unserializable(String op, String version, String where, Object value, Exception cause) {
    return "Op '" + op + "' v" + version + ", " + where + ": " + cause.getMessage() + ".";
  }

  /** A store directory without a FORMAT file. */
  public static String notAStore(Path dir) {
    return "Directory " + dir + " is not a memoflow store (it is not empty and has no FORMAT file). "
        + "Open an empty or new directory, or the directory of an existing store.";
  }

  /** A store written by another format version. */
  public static String incompatibleFormat(Path dir, String found, int expected) {
    if (found.equals("memoflow-store 2")) {
      return "Store at " + dir + " was written by an earlier memoflow (format 2); this memoflow"
          + " reads format " + expected + ", whose records carry checksums. Run `memoflow repair"
          + " --store " + dir + "` (Storage.repair) to convert it: it keeps every call and value,"
          + " and the original beside it.";
    }
    return "Store at " + dir + " has format '" + found + "' in " + dir.resolve("FORMAT")
        + ", but this memoflow reads format version " + expected + ". Open it with the memoflow"
        + " version that wrote it, or start a new store. If the FORMAT file is damaged, restore"
        + " it: its one line is 'memoflow-store " + expected + "' for a store of this version.";
  }

  /** A store locked by another process. */
  public static String locked(Path dir, String holder) {
    return "Storage at " + dir + " is locked by " + holder + ". Close it there or open a copy.";
  }

  /** Missing JVM options for Chronicle Map. */
  public static String missingJvmOptions(List<String> missing, String all) {
    return "Persistent storage needs Chronicle Map's JVM options on Java 17+; missing: " + missing
        + ". Start the JVM with: " + all;
  }
}
