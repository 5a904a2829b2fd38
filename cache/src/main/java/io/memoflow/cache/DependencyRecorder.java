package io.memoflow.cache;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/*
 * Overview: dynamic dependency tracking. While an op's function runs, the calling thread has a
 * RunningCall on its stack; every op call made inside it (executed or retraced) and every tracked
 * helper invoked adds (name -> version) to the innermost one, together with the dependencies
 * of that nested call, so it ends up with the transitive set of what actually ran. Work
 * handed to other threads inside an op body is not seen (thread-local by design).
 */
/** Records, per thread, the ops and tracked helpers each running call invokes (its dynamic dependencies). */
final class DependencyRecorder {
  private static final ThreadLocal<ArrayDeque<RunningCall>> RUNNING =
      ThreadLocal.withInitial(ArrayDeque::new);

  private DependencyRecorder() {}

  /** What one running call invoked: dependency name to version, sorted by name. */
  static final class RunningCall {
    final OpVersionResolver versionResolver;
    private final TreeMap<String, String> deps = new TreeMap<>();

    RunningCall(OpVersionResolver versionResolver) {
      this.versionResolver = versionResolver;
    }

    /** Adds a dependency; the first version seen for a name wins (deterministic per run). */
    void add(String name, String version) {
      deps.putIfAbsent(name, version);
    }

    void addAll(Map<String, String> more) {
      more.forEach(this::add);
    }

    /** Returns an unmodifiable view of the dependencies, sorted by name. */
    SortedMap<String, String> deps() {
      return Collections.unmodifiableSortedMap(deps);
    }
  }

  /** Opens a recording for a call about to run on this thread. */
  static RunningCall push(OpVersionResolver versionResolver) {
    RunningCall f = new RunningCall(versionResolver);
    RUNNING.get().push(f);
    return f;
  }

  /** Closes the recording opened by {@link #push} (tolerates ones left open by errors). */
  static void pop(RunningCall f) {
    ArrayDeque<RunningCall> stack = RUNNING.get();
    while (!stack.isEmpty()) {
      if (stack.pop() == f) {
        return;
      }
    }
  }

  /** Records a dependency (and its own dependencies) in the innermost recording, if any. */
  static void record(String name, String version, Map<String, String> transitive) {
    RunningCall f = RUNNING.get().peek();
    if (f != null) {
      f.add(name, version);
      f.addAll(transitive);
    }
  }

  /** Returns the innermost recording of this thread, or null when no call is running. */
  static RunningCall current() {
    return RUNNING.get().peek();
  }

  /** Returns whether a call is running on this thread (something would record into it). */
  static boolean active() {
    return !RUNNING.get().isEmpty();
  }
}
