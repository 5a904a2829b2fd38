package io.memoflow.cache;

import static java.util.Objects.requireNonNull;

import io.memoflow.cache.version.CodeVersion;
import io.memoflow.cache.version.CodeVersions;

/**
 * Tracked helpers: functions whose code is versioned <em>per call that actually runs them</em>,
 * instead of being part of every calling op's code version.
 *
 * <p>An op's code version normally includes every application method it can call. A helper
 * wrapped here is reached only through the wrapper, so it is left out of the static closure;
 * instead, each time it runs inside an executing call, its name and version are recorded with
 * that call. Changing the helper then invalidates exactly the calls that ran it: a call whose
 * data-dependent branch never called it stays valid.
 *
 * <pre>{@code
 * static final Fn1<Double, Double> SMOOTH = Tracked.fn("smooth", x -> Math.tanh(x));
 * static final Op SCORE = Op.of("score", (Double x) -> x > 0 ? SMOOTH.apply(x) : 0.0);
 * }</pre>
 *
 * <p>Keep tracked helpers (and ops called inside ops) in {@code static final} fields: memoflow
 * finds their current versions by name through the objects created in this process, and a
 * stored call that depends on one not yet created is recomputed rather than trusted. Names must
 * be unique per process; the newest helper created under a name is current. Thread-safe.
 */
public final class Tracked {
  private Tracked() {}

  /**
   * Returns a tracked one-argument helper.
   *
   * @throws NullPointerException if an argument is null
   */
  public static <A, R> Fn1<A, R> fn(String name, Fn1<A, R> helper) {
    return new Tracked1<>(new Helper(name, helper), helper);
  }

  /** Returns a tracked two-argument helper; see {@link #fn(String, Fn1)}. */
  public static <A, B, R> Fn2<A, B, R> fn(String name, Fn2<A, B, R> helper) {
    return new Tracked2<>(new Helper(name, helper), helper);
  }

  /** Returns a tracked three-argument helper; see {@link #fn(String, Fn1)}. */
  public static <A, B, C, R> Fn3<A, B, C, R> fn(String name, Fn3<A, B, C, R> helper) {
    return new Tracked3<>(new Helper(name, helper), helper);
  }

  // Named classes, not lambdas or records: a constant holding one counts by its type in the code version
  // of the ops that read it, so the helper's code stays out of their static closure.
  private static final class Tracked1<A, R> implements Fn1<A, R> {
    private final Helper h;
    private final Fn1<A, R> fn;

    Tracked1(Helper h, Fn1<A, R> fn) {
      this.h = h;
      this.fn = fn;
    }

    @Override
    public R apply(A a) throws Exception {
      h.ran();
      return fn.apply(a);
    }
  }

  private static final class Tracked2<A, B, R> implements Fn2<A, B, R> {
    private final Helper h;
    private final Fn2<A, B, R> fn;

    Tracked2(Helper h, Fn2<A, B, R> fn) {
      this.h = h;
      this.fn = fn;
    }

    @Override
    public R apply(A a, B b) throws Exception {
      h.ran();
      return fn.apply(a, b);
    }
  }

  private static final class Tracked3<A, B, C, R> implements Fn3<A, B, C, R> {
    private final Helper h;
    private final Fn3<A, B, C, R> fn;

    Tracked3(Helper h, Fn3<A, B, C, R> fn) {
      this.h = h;
      this.fn = fn;
    }

    @Override
    public R apply(A a, B b, C c) throws Exception {
      h.ran();
      return fn.apply(a, b, c);
    }
  }

  /** A registered helper: its name and code, versioned on first use. */
  static final class Helper implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final transient Object fn;
    private transient volatile CodeVersion codeVersion;

    Helper(String name, Object fn) {
      this.name = requireNonNull(name, "name");
      this.fn = requireNonNull(fn, "helper");
      if (name.isBlank()) {
        throw new IllegalArgumentException(
            "A tracked helper needs a name (e.g. \"smooth\"); its calls are recorded under it.");
      }
      OpVersionResolver.register(OpVersionResolver.HELPER_DEP + name, this);
    }

    String name() {
      return name;
    }

    CodeVersion codeVersion() {
      CodeVersion cv = codeVersion;
      if (cv == null) {
        cv = CodeVersions.of(fn, "tracked helper '" + name + "'");
        codeVersion = cv;
      }
      return cv;
    }

    /** Records this helper in the running call's dependency recording, if a call is running on this thread. */
    void ran() {
      DependencyRecorder.RunningCall f = DependencyRecorder.current();
      if (f != null) {
        DependencyRecorder.record(OpVersionResolver.HELPER_DEP + name,
            f.versionResolver.helperVersion(name, codeVersion()), java.util.Map.of());
      }
    }
  }
}
