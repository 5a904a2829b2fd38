package io.memoflow.cache;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/*
 * Overview: dynamic dependency tracking. While an op's function runs, the calling thread has a
 * frame on its stack; every op call made inside it (executed or retraced) and every tracked
 * helper invoked adds (name -> version) to the innermost frame, together with the dependencies
 * of that nested call, so a frame ends up with the transitive set of what actually ran. Work
 * handed to other threads inside an op body is not seen (thread-local by design).
 */
/** Per-thread frames that collect the ops and tracked helpers a running call invokes. */
final class Tracking {
  private static final ThreadLocal<ArrayDeque<Frame>> FRAMES =
      ThreadLocal.withInitial(ArrayDeque::new);

  private Tracking() {}

  /** What one running call invoked: dependency name to version, sorted by name. */
  static final class Frame {
    final Versioning versioning;
    private final TreeMap<String, String> deps = new TreeMap<>();

    Frame(Versioning versioning) {
      this.versioning = versioning;
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

  /** Opens a frame for a call about to run on this thread. */
  static Frame push(Versioning versioning) {
    Frame f = new Frame(versioning);
    FRAMES.get().push(f);
    return f;
  }

  /** Closes the frame opened by {@link #push()} (tolerates frames left open by errors). */
  static void pop(Frame f) {
    ArrayDeque<Frame> stack = FRAMES.get();
    while (!stack.isEmpty()) {
      if (stack.pop() == f) {
        return;
      }
    }
  }

  /** Records a dependency (and its own dependencies) in the innermost frame, if any. */
  static void record(String name, String version, Map<String, String> transitive) {
    Frame f = FRAMES.get().peek();
    if (f != null) {
      f.add(name, version);
      f.addAll(transitive);
    }
  }

  /** Returns the innermost frame of this thread, or null when no call is running. */
  static Frame current() {
    return FRAMES.get().peek();
  }

  /** Returns whether a call is running on this thread (something would record into it). */
  static boolean active() {
    return !FRAMES.get().isEmpty();
  }
}
