package io.memoflow.cache;

import static java.util.Objects.requireNonNull;

import io.memoflow.cache.version.CodeVersionException;
import io.memoflow.cache.version.CodeVersions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inspects and declares the versions of ops in a storage: which code versions it has seen (when
 * first, how many calls each), what changed between two of them, which stored calls are stale
 * for the code loaded now, and which code changes are refactors that keep old calls valid.
 *
 * <pre>{@code
 * VersionHistory versions = VersionHistory.of(storage);
 * versions.list(score).forEach(System.out::println);   // one line per code version
 * System.out.println(versions.diff(score));             // previous -> current bytecode
 * versions.markRefactor(score);                          // this edit keeps the meaning
 * }</pre>
 *
 * <p>Version metadata lives beside the calls (for a store on disk, in its {@code versions}
 * folder) and never counts as a call. Thread-safe; results are snapshots.
 */
public final class VersionHistory {
  private final MemoStorage storage;

  private VersionHistory(MemoStorage storage) {
    this.storage = storage;
  }

  /**
   * Returns the versions view of a storage.
   *
   * @throws IllegalArgumentException if the storage was not made by {@link Storage}'s factories
   */
  public static VersionHistory of(Storage storage) {
    requireNonNull(storage, "storage");
    if (!(storage instanceof MemoStorage ms)) {
      throw new IllegalArgumentException("VersionHistory needs a storage made by Storage.inMemory(),"
          + " Storage.open(dir) or Storage.of(backend, options); got "
          + storage.getClass().getName() + ".");
    }
    return new VersionHistory(ms);
  }

  /**
   * Returns every version of the op this storage has seen, oldest first, including the op's
   * current code (recorded now if new).
   *
   * @throws CodeVersionException if the op's code cannot be versioned
   */
  public List<OpVersion> list(Op op) {
    requireNonNull(op, "op");
    String currentCode = currentCode(op);
    Map<String, Long> counts = new HashMap<>();
    for (Call c : storage.calls(op.name())) {
      counts.merge(baseOf(c.version()), 1L, Long::sum);
    }
    List<OpVersion> out = new ArrayList<>();
    for (VersionMetadataStore.Entry e : storage.versionResolver.store.entries(op.name())) {
      String version = versionOf(e);
      out.add(new OpVersion(op.name(), e.code(), version, Instant.ofEpochMilli(e.firstSeen()),
          counts.getOrDefault(version, 0L), e.code().equals(currentCode)));
    }
    return out;
  }

  /** Returns the op's current version as this storage sees it. */
  public OpVersion current(Op op) {
    return list(op).stream().filter(OpVersion::current).findFirst().orElseThrow();
  }

  /**
   * Returns the stored calls of the op that the code loaded now would not retrace: made under
   * another semantic version, or with dependencies (ops, tracked helpers) that changed since.
   */
  public List<Call> staleCalls(Op op) {
    requireNonNull(op, "op");
    Set<String> current = storage.versionResolver.currentVersions(op);
    List<Call> out = new ArrayList<>();
    for (Call c : storage.calls(op.name())) {
      if (!current.contains(c.version())) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * Returns the stored calls of the op made under one version: {@code version} is a code
   * version (hex, or a unique prefix of at least 6 characters), a version string as in {@link
   * Call#version()} (then dependencies must match too), or a label.
   *
   * @throws IllegalArgumentException if a prefix matches no version or several
   */
  public List<Call> calls(Op op, String version) {
    requireNonNull(op, "op");
    requireNonNull(version, "version");
    String wanted;
    boolean exact = version.contains(OpVersionResolver.DEPS_SEPARATOR);
    if (exact || version.startsWith(OpVersionResolver.CODE_PREFIX)) {
      wanted = version;
    } else {
      VersionMetadataStore.Entry e = find(op, version, false);
      wanted = e == null ? version : versionOf(e);
    }
    List<Call> out = new ArrayList<>();
    for (Call c : storage.calls(op.name())) {
      if (exact ? c.version().equals(wanted) : baseOf(c.version()).equals(wanted)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * Returns a readable listing of what changed between the op's previous code version and its
   * current one (disassembled bytecode, {@code -} old and {@code +} new lines).
   *
   * @throws IllegalStateException if the storage has seen no earlier code version of the op
   */
  public String diff(Op op) {
    String current = currentCode(op);
    VersionMetadataStore.Entry previous = previous(op, current);
    return diff(op, previous.code(), current);
  }

  /**
   * Returns a readable listing of what changed from code version {@code from} to {@code to}
   * (hex or unique prefixes of at least 6 characters).
   *
   * @throws IllegalArgumentException if a version is unknown or ambiguous, or has no listing
   *     (an explicit label)
   */
  public String diff(Op op, String from, String to) {
    VersionMetadataStore.Entry a = find(op, from, true);
    VersionMetadataStore.Entry b = find(op, to, true);
    String la = storage.versionResolver.store.listing(a.code());
    String lb = storage.versionResolver.store.listing(b.code());
    if (la == null || lb == null) {
      throw new IllegalArgumentException("Op '" + op.name() + "': no bytecode listing for "
          + (la == null ? a.code() : b.code()) + " (explicit labels have none). Compare two"
          + " code versions from VersionHistory.list(op).");
    }
    StringBuilder sb = new StringBuilder();
    sb.append("--- ").append(op.name()).append(' ').append(a.code(), 0, 12).append('\n');
    sb.append("+++ ").append(op.name()).append(' ').append(b.code(), 0, 12).append('\n');
    if (la.equals(lb)) {
      return sb.append("(same code)\n").toString();
    }
    return sb.append(CodeVersions.lineDiff(la, lb)).toString();
  }

  /**
   * Declares that the op's current code is a refactor of its previous code version (the one
   * this storage saw most recently before it): calls made under the previous version stay valid
   * and are retraced. Declarations persist with the storage. <b>Note:</b> it applies to the code
   * loaded now, so run it once after the edit; a later edit is a new version again.
   *
   * @throws IllegalArgumentException if the op has an explicit version label
   * @throws IllegalStateException if the storage has seen no earlier code version of the op
   */
  public OpVersion markRefactor(Op op) {
    String current = currentCode(op);
    return declare(op, current, previous(op, current));
  }

  /**
   * Declares that the op's current code is a refactor of code version {@code earlier} (hex or a
   * unique prefix of at least 6 characters); see {@link #markRefactor(Op)}.
   *
   * @throws IllegalArgumentException if the op has a label, or {@code earlier} is unknown or
   *     ambiguous
   */
  public OpVersion markRefactor(Op op, String earlier) {
    String current = currentCode(op);
    return declare(op, current, find(op, earlier, true));
  }

  // ---- internals ----------------------------------------------------------------------------

  private OpVersion declare(Op op, String current, VersionMetadataStore.Entry earlier) {
    VersionMetadataStore.Entry mine = storage.versionResolver.store.entry(op.name(), current);
    if (!mine.semantic().equals(earlier.semantic())) {
      if (earlier.code().equals(current)) {
        throw new IllegalArgumentException("Op '" + op.name() + "': " + current.substring(0, 12)
            + " is the current code itself. Name the earlier code version it refactors.");
      }
      storage.versionResolver.store.declare(op.name(), current, earlier.semantic());
      storage.versionResolver.invalidate();
    }
    return current(op);
  }

  private String currentCode(Op op) {
    requireNonNull(op, "op");
    if (op.hasVersionLabel()) {
      storage.versionResolver.base(op);
      return VersionMetadataStore.LABEL_PREFIX + op.version();
    }
    storage.versionResolver.base(op);
    return op.codeVersion().orElseThrow().hex();
  }

  private VersionMetadataStore.Entry previous(Op op, String current) {
    if (current.startsWith(VersionMetadataStore.LABEL_PREFIX)) {
      throw new IllegalArgumentException("Op '" + op.name() + "' has the explicit version label '"
          + op.version() + "', so its code is not versioned. Keep the label to keep old calls,"
          + " or change it to start a new version.");
    }
    VersionMetadataStore.Entry prev = null;
    for (VersionMetadataStore.Entry e : storage.versionResolver.store.entries(op.name())) {
      if (!e.code().equals(current) && !e.code().startsWith(VersionMetadataStore.LABEL_PREFIX)) {
        prev = e;
      }
    }
    if (prev == null) {
      throw new IllegalStateException("Op '" + op.name() + "': this storage has seen no earlier"
          + " code version than the current one (" + current.substring(0, 12) + "). Run the"
          + " earlier code with this storage first; there is nothing to be a refactor of.");
    }
    return prev;
  }

  private VersionMetadataStore.Entry find(Op op, String prefix, boolean required) {
    List<VersionMetadataStore.Entry> matches = new ArrayList<>();
    List<String> known = new ArrayList<>();
    for (VersionMetadataStore.Entry e : storage.versionResolver.store.entries(op.name())) {
      known.add(e.code().startsWith(VersionMetadataStore.LABEL_PREFIX) ? e.code()
          : e.code().substring(0, 12));
      if (e.code().equals(prefix) || prefix.length() >= 6 && e.code().startsWith(prefix)) {
        matches.add(e);
      }
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (!required && matches.isEmpty()) {
      return null;
    }
    throw new IllegalArgumentException("Op '" + op.name() + "': "
        + (matches.isEmpty() ? "no version '" + prefix + "'" : "'" + prefix + "' is ambiguous")
        + ". Known code versions: " + known + ". Give at least 6 hex characters of one.");
  }

  private static String versionOf(VersionMetadataStore.Entry e) {
    return e.code().startsWith(VersionMetadataStore.LABEL_PREFIX) ? e.semantic()
        : OpVersionResolver.CODE_PREFIX + e.semantic();
  }

  private static String baseOf(String callVersion) {
    int i = callVersion.indexOf(OpVersionResolver.DEPS_SEPARATOR);
    return i < 0 ? callVersion : callVersion.substring(0, i);
  }
}
