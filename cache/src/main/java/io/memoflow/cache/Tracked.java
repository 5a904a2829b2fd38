package io.memoflow.cache;

import static java.util.Objects.requireNonNull;

import io.memoflow.cache.version.CodeVersion;
import io.memoflow.cache.version.CodeVersions;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

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

  /**
   * Returns a tracked view of {@code implementation}, for calls through an interface whose
   * implementation is chosen at run time (a strategy, a model picked by a parameter): each
   * method called through the view inside an executing call records the code version of the
   * implementation's method ({@code helper:<class>.<method>(<parameters>)}), which static
   * versioning cannot see. Changing that method's code then makes exactly the calls that ran it
   * stale; calls that ran another implementation stay valid. Methods of {@code Object} are
   * not recorded.
   *
   * <pre>{@code
   * static final Map<String, Model> MODELS = Map.of(
   *     "linear", Tracked.of(Model.class, new Linear()),
   *     "tree", Tracked.of(Model.class, new Tree()));
   * static final Op FIT = Op.of("fit", (String kind, double[] xs) -> MODELS.get(kind).fit(xs));
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code type} is not an interface, or the implementation
   *     is a lambda or hidden class (its name changes between runs: use {@link #of(String,
   *     Class, Object)})
   */
  public static <I> I of(Class<I> type, I implementation) {
    checkInterface(type, implementation);
    Class<?> c = implementation.getClass();
    if (c.isHidden() || c.isSynthetic() || c.isAnonymousClass()) {
      throw new IllegalArgumentException("Tracked.of(" + type.getSimpleName() + ".class, ...): the "
          + "implementation " + c.getName() + " is a lambda, hidden or anonymous class, whose name"
          + " changes between runs. Name it: Tracked.of(\"name\", " + type.getSimpleName()
          + ".class, implementation).");
    }
    Map<Method, Helper> helpers = new HashMap<>();
    for (Method m : type.getMethods()) {
      if (!java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
        helpers.put(m, helperOf(c, m));
      }
    }
    return proxy(type, implementation, helpers::get);
  }

  /**
   * Returns a tracked view of {@code implementation} (a lambda, or any object) under
   * {@code name}: every method called through it records the helper {@code name}, versioned by
   * the implementation's code as {@link #fn(String, Fn1)} versions a lambda; see
   * {@link #of(Class, Object)}.
   */
  public static <I> I of(String name, Class<I> type, I implementation) {
    checkInterface(type, implementation);
    Helper h = new Helper(name, implementation);
    return proxy(type, implementation, m -> h);
  }

  private static void checkInterface(Class<?> type, Object implementation) {
    requireNonNull(implementation, "implementation");
    if (!requireNonNull(type, "type").isInterface()) {
      throw new IllegalArgumentException("Tracked.of needs an interface to call through; "
          + type.getName() + " is a class. Declare an interface for it, or use Tracked.fn.");
    }
  }

  /** One helper per implementation method per process: re-creating a view re-registers nothing. */
  private static final Map<Method, Helper> BY_METHOD = new java.util.concurrent.ConcurrentHashMap<>();

  private static Helper helperOf(Class<?> impl, Method declared) {
    Method m;
    try {
      m = impl.getMethod(declared.getName(), declared.getParameterTypes());
    } catch (NoSuchMethodException e) {
      m = declared;   // cannot happen for an implementation of the interface
    }
    Method found = m;
    return BY_METHOD.computeIfAbsent(found, k -> {
      StringBuilder name = new StringBuilder(impl.getName()).append('.').append(k.getName()).append('(');
      Class<?>[] ps = k.getParameterTypes();
      for (int i = 0; i < ps.length; i++) {
        name.append(i > 0 ? "," : "").append(ps[i].getTypeName());
      }
      return new Helper(name.append(')').toString(), k);
    });
  }

  @SuppressWarnings("unchecked")
  private static <I> I proxy(Class<I> type, I implementation, Function<Method, Helper> helpers) {
    return (I) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        new View(implementation, helpers));
  }

  /** The handler of a tracked view: records the helper of each method called, then calls it. */
  private static final class View implements CodeVersions.RunTimeTracked {
    private final Object implementation;
    private final Function<Method, Helper> helpers;

    View(Object implementation, Function<Method, Helper> helpers) {
      this.implementation = implementation;
      this.helpers = helpers;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() != Object.class) {
        Helper h = helpers.apply(method);
        if (h != null) {
          h.ran();
        }
      }
      try {
        if (!method.canAccess(implementation)) {
          method.setAccessible(true);
        }
        return method.invoke(implementation, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
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
        cv = fn instanceof Method m ? CodeVersions.of(m) : CodeVersions.of(fn, "tracked helper '" + name + "'");
        codeVersion = cv;
      }
      return cv;
    }

    /** Records this helper in the running call's dependency recording, if a call is running on this thread. */
    void ran() {
      DependencyRecorder.RunningCall f = DependencyRecorder.current();
      if (f != null) {
        DependencyRecorder.record(OpVersionResolver.HELPER_DEP + name,
            f.versionResolver.helperVersion(name, codeVersion()), Map.of());
      }
    }
  }
}
