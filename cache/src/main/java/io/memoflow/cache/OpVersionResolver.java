package io.memoflow.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.memoflow.cache.version.CodeVersion;
import io.memoflow.cache.version.CodeVersionException;
import io.memoflow.dag.Digest;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/*
 * Overview: how a storage turns an op into the versions its calls are stored under.
 *
 * Base version. An op with a label keeps it. Otherwise its code version (CodeVersions) is looked
 * up in the storage's VersionMetadataStore: new code versions are recorded with themselves as semantic
 * version; a refactor declaration maps a code version to an earlier semantic version. The base
 * version is "code:<semantic hex>", so reverting code finds the same string, hence the same
 * history ids, hence the earlier calls. Computed once per op instance per storage (weak keys).
 *
 * Dynamic dependencies. While a call executes, a DependencyRecorder.RunningCall collects the ops called and the
 * tracked helpers run inside it, transitively, with their base versions. A call that ran
 * dependencies is stored under "<base>+deps:<hash of (name, version)...>" and the dependency
 * set (names and versions) is recorded once. A later lookup tries the base version and, for
 * every dependency set recorded for this op and base, the version that set has with the
 * dependencies' *current* versions (Mandala's rule: a stored call is valid when everything it
 * actually ran is unchanged). A helper that a call never ran is not in its set, so changing it
 * does not invalidate the call; reverting a helper finds the earlier calls again. A dependency
 * whose current version is unknown in this process (not yet created) yields no candidate, so the
 * call runs again rather than risk a stale result.
 *
 * Current versions of dependencies come from a process-wide registry of ops and tracked helpers
 * by name (weak references; the newest registration of a name wins). Every registration bumps a
 * generation counter, and every new dependency set bumps the storage's own counter; resolved
 * candidate lists are recomputed when either moved.
 */
/** Per-storage version resolution and dependency tracking. Thread-safe. */
final class OpVersionResolver {
  static final String CODE_PREFIX = Call.CODE_VERSION_PREFIX;
  static final String DEPS_SEPARATOR = Call.DEPS_SEPARATOR;
  static final String OP_DEP = "op:";
  static final String HELPER_DEP = "helper:";

  private static final Map<String, WeakReference<Object>> REGISTRY = new ConcurrentHashMap<>();
  private static final AtomicLong GENERATION = new AtomicLong();

  final VersionMetadataStore store;
  private final Cache<Op, Op> bases = Caffeine.newBuilder().weakKeys().build();
  private final Cache<Op, Resolved> resolved = Caffeine.newBuilder().weakKeys().build();
  private final Map<String, String> helperVersions = new ConcurrentHashMap<>();
  private final AtomicLong depsChanged = new AtomicLong();
  /** The last op resolved and its result: a loop over one op skips the cache lookup. */
  private volatile Last last;

  private record Last(Op source, Resolved resolved) {}

  OpVersionResolver(VersionMetadataStore store) {
    this.store = store;
  }

  // ---- registry ------------------------------------------------------------------------------

  static void register(Op op) {
    register(OP_DEP + op.name(), op);
  }

  static void register(String key, Object opOrHelper) {
    REGISTRY.put(key, new WeakReference<>(opOrHelper));
    GENERATION.incrementAndGet();
  }

  // ---- resolution ----------------------------------------------------------------------------

  /** A candidate version to look a call up under, with the dependency versions it stands for. */
  record Candidate(String version, SortedMap<String, String> deps) {}

  /** A stored thing found under one candidate. */
  record Found<T>(T value, Candidate candidate) {}

  /** An op resolved in this storage: its base version and the candidates to look calls up by. */
  static final class Resolved {
    final Op op;
    final List<Candidate> candidates;
    private final long generation;
    private final long depsStamp;

    Resolved(Op op, List<Candidate> candidates, long generation, long depsStamp) {
      this.op = op;
      this.candidates = candidates;
      this.generation = generation;
      this.depsStamp = depsStamp;
    }

    /** Returns the op with its base (semantic) version. */
    Op op() {
      return op;
    }

    /** Returns the first non-null lookup over the candidates, in order, or null. */
    <T> Found<T> find(Function<String, T> lookup) {
      for (Candidate c : candidates) {
        T t = lookup.apply(c.version());
        if (t != null) {
          return new Found<>(t, c);
        }
      }
      return null;
    }
  }

  /**
   * Resolves an op for this storage (cached per op instance).
   *
   * @throws CodeVersionException if the op has no label and its code cannot be versioned
   */
  Resolved resolve(Op op) {
    long gen = GENERATION.get();
    long stamp = depsChanged.get();
    Last l = last;
    if (l != null && l.source == op && l.resolved.generation == gen && l.resolved.depsStamp == stamp) {
      return l.resolved;
    }
    Resolved r = resolved.getIfPresent(op);
    if (r != null && r.generation == gen && r.depsStamp == stamp) {
      last = new Last(op, r);
      return r;
    }
    Op base = base(op);
    List<Candidate> cands = new ArrayList<>();
    cands.add(new Candidate(base.version(), Collections.emptySortedMap()));
    Set<String> seen = new LinkedHashSet<>();
    seen.add(base.version());
    Set<Set<String>> nameSets = new LinkedHashSet<>();
    for (VersionMetadataStore.DepSet d : store.depSets(op.name(), base.version())) {
      nameSets.add(d.deps().keySet());
    }
    for (Set<String> names : nameSets) {
      TreeMap<String, String> current = new TreeMap<>();
      for (String n : names) {
        String v = currentVersion(n);
        if (v == null) {
          current = null;
          break;
        }
        current.put(n, v);
      }
      if (current != null) {
        String v = withDeps(base.version(), current);
        if (seen.add(v)) {
          cands.add(new Candidate(v, Collections.unmodifiableSortedMap(current)));
        }
      }
    }
    r = new Resolved(base, List.copyOf(cands), gen, stamp);
    resolved.put(op, r);
    last = new Last(op, r);
    return r;
  }

  /** Returns the op with its base (semantic) version in this storage. */
  Op base(Op op) {
    Op b = bases.getIfPresent(op);
    if (b == null) {
      b = computeBase(op);
      bases.put(op, b);
    }
    return b;
  }

  private Op computeBase(Op op) {
    if (op.hasVersionLabel()) {
      store.recordLabel(op.name(), op.version());
      return op;
    }
    CodeVersion cv = op.codeVersion().orElseThrow();
    String v = CODE_PREFIX + store.recordIfAbsent(op.name(), cv).semantic();
    return v.equals(op.version()) ? op : op.withVersion(v);
  }

  /** Returns the base version of a tracked helper in this storage. */
  String helperVersion(String name, CodeVersion cv) {
    String key = name + "\n" + cv.hex();
    String v = helperVersions.get(key);
    if (v == null) {
      v = CODE_PREFIX + store.recordIfAbsent(HELPER_DEP + name, cv).semantic();
      helperVersions.put(key, v);
    }
    return v;
  }

  private String currentVersion(String dep) {
    WeakReference<Object> ref = REGISTRY.get(dep);
    Object o = ref == null ? null : ref.get();
    if (o instanceof Op op) {
      return base(op).version();
    }
    if (o instanceof Tracked.Helper h) {
      return helperVersion(h.name(), h.codeVersion());
    }
    return null;
  }

  static String withDeps(String base, SortedMap<String, String> deps) {
    Digest.Hasher h = Digest.hasher("deps").add(deps.size());
    deps.forEach((k, v) -> h.add(k).add(v));
    return base + DEPS_SEPARATOR + h.digest().hex();
  }

  // ---- tracking ------------------------------------------------------------------------------

  /**
   * After an execution: returns the version the call is stored under, records a new dependency
   * set, and reports the call (and its dependencies) to the enclosing running call.
   */
  String executed(Resolved r, DependencyRecorder.RunningCall running) {
    SortedMap<String, String> deps = running.deps();
    String base = r.op.version();
    String version = base;
    if (!deps.isEmpty()) {
      version = withDeps(base, deps);
      String hash = version.substring(version.indexOf(DEPS_SEPARATOR) + DEPS_SEPARATOR.length());
      if (store.depSets(r.op.name(), base).stream().noneMatch(d -> d.hash().equals(hash))) {
        store.recordDeps(new VersionMetadataStore.DepSet(r.op.name(), base, hash, new TreeMap<>(deps)));
        depsChanged.incrementAndGet();
      }
    }
    DependencyRecorder.record(OP_DEP + r.op.name(), base, deps);
    return version;
  }

  /** After a retrace or reuse: reports the call and its dependencies to the enclosing running call. */
  void noteCall(Op resolvedOp, String callVersion) {
    if (!DependencyRecorder.active()) {
      return;
    }
    String base = resolvedOp.version();
    SortedMap<String, String> deps = Collections.emptySortedMap();
    int i = callVersion.indexOf(DEPS_SEPARATOR);
    if (i >= 0) {
      String hash = callVersion.substring(i + DEPS_SEPARATOR.length());
      for (VersionMetadataStore.DepSet d : store.depSets(resolvedOp.name(), base)) {
        if (d.hash().equals(hash)) {
          deps = d.deps();
        }
      }
    }
    DependencyRecorder.record(OP_DEP + resolvedOp.name(), base, deps);
  }

  // ---- declarations and inspection -----------------------------------------------------------

  /** Forgets resolved versions (after a refactor declaration). */
  void invalidate() {
    last = null;
    bases.invalidateAll();
    resolved.invalidateAll();
    helperVersions.clear();
    depsChanged.incrementAndGet();
  }

  /** Returns the candidate versions under which current calls of {@code op} are stored. */
  Set<String> currentVersions(Op op) {
    Set<String> out = new LinkedHashSet<>();
    for (Candidate c : resolve(op).candidates) {
      out.add(c.version());
    }
    return out;
  }
}
