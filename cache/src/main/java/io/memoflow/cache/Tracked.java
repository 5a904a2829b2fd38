package io.memoflow.cache;

import static java.util.Objects.requireNonNull;

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
    Helper h = new Helper(name, helper);
    return a -> {
      h.ran();
      return helper.apply(a);
    };
  }

  /** Returns a tracked two-argument helper; see {@link #fn(String, Fn1)}. */
  public static <A, B, R> Fn2<A, B, R> fn(String name, Fn2<A, B, R> helper) {
    Helper h = new Helper(name, helper);
    return (a, b) -> {
      h.ran();
      return helper.apply(a, b);
    };
  }

  /** Returns a tracked three-argument helper; see {@link #fn(String, Fn1)}. */
  public static <A, B, C, R> Fn3<A, B, C, R> fn(String name, Fn3<A, B, C, R> helper) {
    Helper h = new Helper(name, helper);
    return (a, b, c) -> {
      h.ran();
      return helper.apply(a, b, c);
    };
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
      Versioning.register(Versioning.HELPER_DEP + name, this);
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

    /** Records this helper in the running call's frame, if a call is running on this thread. */
    void ran() {
      Tracking.Frame f = Tracking.current();
      if (f != null) {
        Tracking.record(Versioning.HELPER_DEP + name,
            f.versioning.helperVersion(name, codeVersion()), java.util.Map.of());
      }
    }
  }
}
