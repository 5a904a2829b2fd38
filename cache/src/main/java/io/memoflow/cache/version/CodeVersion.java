package io.memoflow.cache.version;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.Digest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content-addressed version of an op's code: a digest of the normalised bytecode of its
 * implementation method, of every application method it calls (transitively), and of the values
 * of the constants ({@code static final} fields) those methods read.
 *
 * <p>Two versions are equal when their digests are equal; the digest is the same in every run
 * and every class loader for the same compiled code, and it ignores line numbers, local variable
 * names, parameter names and the numbers javac gives to lambda methods. {@link #units()} lists
 * what went into the digest, sorted by key, with a disassembly of each method so that {@link
 * #diff(CodeVersion)} can show what changed. Immutable and thread-safe.
 *
 * @param digest the version digest
 * @param entry a readable name of the implementation, e.g. {@code demo.Ops.square(int)}
 * @param units what was hashed, sorted by {@link Unit#key()}
 */
public record CodeVersion(Digest digest, String entry, List<Unit> units) {

  /** Validates and copies. */
  public CodeVersion {
    requireNonNull(digest, "digest");
    requireNonNull(entry, "entry");
    units = List.copyOf(units);
  }

  /** Returns the 32-character hex form of the digest. */
  public String hex() {
    return digest.hex();
  }

  /** Returns the whole disassembly: every unit's listing, in key order. */
  public String listing() {
    StringBuilder sb = new StringBuilder("code version ").append(digest.shortHex())
        .append(" of ").append(entry).append('\n');
    for (Unit u : units) {
      sb.append(u.title()).append('\n').append(u.listing());
    }
    return sb.toString();
  }

  /**
   * Returns a readable listing of what changed from this version to {@code newer}: units added,
   * removed and changed, with the changed lines of the disassembled bytecode (or constant values)
   * marked {@code -} and {@code +} and two lines of context. Returns a one-line note when the
   * digests are equal.
   *
   * @throws NullPointerException if {@code newer} is null
   */
  public String diff(CodeVersion newer) {
    requireNonNull(newer, "newer");
    StringBuilder sb = new StringBuilder();
    sb.append("--- ").append(digest.shortHex()).append(' ').append(entry).append('\n');
    sb.append("+++ ").append(newer.digest.shortHex()).append(' ').append(newer.entry).append('\n');
    if (digest.equals(newer.digest)) {
      return sb.append("(same code version)\n").toString();
    }
    Map<String, Unit> olds = new LinkedHashMap<>();
    units.forEach(u -> olds.put(u.key(), u));
    Map<String, Unit> news = new LinkedHashMap<>();
    newer.units.forEach(u -> news.put(u.key(), u));
    // Content-named units (lambdas) change key when they change: pair leftovers by readable name.
    Map<String, Unit> oldByName = new HashMap<>();
    for (Unit u : units) {
      if (!news.containsKey(u.key())) {
        oldByName.putIfAbsent(u.name(), u);
      }
    }
    List<String> removedKeys = new ArrayList<>(olds.keySet());
    removedKeys.removeAll(news.keySet());
    for (Unit n : newer.units) {
      Unit o = olds.get(n.key());
      if (o == null) {
        o = oldByName.remove(n.name());
        if (o != null) {
          removedKeys.remove(o.key());
        }
      }
      if (o == null) {
        sb.append("+ ").append(n.title()).append(" (new)\n");
        LineDiff.appendAll(sb, "+ ", n.listing());
      } else if (!o.digest().equals(n.digest())) {
        sb.append("~ ").append(n.title()).append('\n');
        LineDiff.append(sb, o.listing(), n.listing());
      }
    }
    for (String k : removedKeys) {
      Unit o = olds.get(k);
      sb.append("- ").append(o.title()).append(" (no longer used)\n");
    }
    return sb.toString();
  }

  /** Returns whether {@code o} is a code version with the same digest. */
  @Override
  public boolean equals(Object o) {
    return o instanceof CodeVersion v && v.digest.equals(digest);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "CodeVersion[" + digest.shortHex() + " " + entry + ", " + units.size() + " units]";
  }

  /**
   * One thing hashed into a code version: a method body or a constant's value.
   *
   * @param kind {@code "method"}, {@code "declaration"} (abstract or native, hashed by
   *     signature), {@code "constant"} or {@code "captured"}
   * @param key the normalised key that is hashed (lambda methods are named by content)
   * @param name the readable name as in the class file, e.g. {@code demo/Ops.lambda$square$0(I)I}
   * @param digest the digest of this unit alone
   * @param listing the disassembly (methods) or value rendering (constants), one line each
   */
  public record Unit(String kind, String key, String name, Digest digest, String listing) {
    /** Validates. */
    public Unit {
      requireNonNull(kind, "kind");
      requireNonNull(key, "key");
      requireNonNull(name, "name");
      requireNonNull(digest, "digest");
      requireNonNull(listing, "listing");
    }

    String title() {
      return kind + " " + name;
    }
  }
}
