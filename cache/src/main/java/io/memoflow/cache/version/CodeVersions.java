package io.memoflow.cache.version;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.Digest;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.objectweb.asm.Type;

/**
 * Computes content-addressed {@linkplain CodeVersion code versions} of lambdas, method references,
 * function objects and methods, by reading their bytecode.
 *
 * <p>What goes into a version: the implementation method's normalised bytecode, the bytecode of
 * every application method it calls (transitively, including lambdas and method references it
 * creates), the values of the {@code static final} fields of application classes those methods
 * read, and for a lambda the values of its captured arguments. <b>Application code</b> is a class
 * whose class file comes from the same classes directory or jar as the implementation, or whose
 * package was registered with {@link #addApplicationPackages(String...)}; JDK and third-party
 * library code is never followed (a library upgrade does not change versions).
 *
 * <p>A lambda must have a {@link java.io.Serializable} functional interface: its implementation
 * method is found through the {@link SerializedLambda} its {@code writeReplace} method returns.
 * Versions are cached per implementation (per lambda class, per method) for the life of the
 * class, so computing one costs once per op per process. Thread-safe.
 *
 * <p><b>Note:</b> calls are resolved statically. A call through an interface or an overridable
 * method reaches the declaration the bytecode names (and its application superclasses), not the
 * implementations chosen at run time (memoflow's {@code Tracked.of} records those per call that
 * runs them); calls made by reflection are not seen. Instance fields and
 * non-final static fields count by their reading code, not by value.
 */
public final class CodeVersions {
  private static final List<String> APP_PACKAGES = new CopyOnWriteArrayList<>();
  private static final AtomicInteger GENERATION = new AtomicInteger();
  private static final ClassValue<ConcurrentHashMap<String, CodeVersion>> CACHE =
      new ClassValue<>() {
        @Override
        protected ConcurrentHashMap<String, CodeVersion> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  private CodeVersions() {}

  /**
   * Returns the code version of a function: a serializable lambda or method reference, or an
   * instance of an application class (versioned by all the methods it declares).
   *
   * @throws NullPointerException if {@code function} is null
   * @throws CodeVersionException if it is a lambda whose functional interface is not
   *     serializable, or its code cannot be read
   */
  public static CodeVersion of(Object function) {
    return of(function, "function " + requireNonNull(function, "function").getClass().getName());
  }

  /**
   * Returns the code version of a function, naming it {@code subject} (e.g. {@code op 'square'})
   * in error messages.
   *
   * @throws NullPointerException if an argument is null
   * @throws CodeVersionException as {@link #of(Object)}
   */
  public static CodeVersion of(Object function, String subject) {
    requireNonNull(function, "function");
    requireNonNull(subject, "subject");
    if (function instanceof Method m) {
      return of(m);
    }
    Class<?> type = function.getClass();
    SerializedLambda lambda = serializedLambda(function, type, subject);
    if (lambda != null) {
      CodeVersion code = CACHE.get(type).get(key("lambda"));
      if (code == null) {
        java.util.Set<Class<?>> active = VERSIONING_CONSTANT.get();
        active.add(type);
        try {
          code = lambdaCode(type.getClassLoader(), lambda, subject);
        } finally {
          active.remove(type);
        }
        CodeVersion raced = CACHE.get(type).putIfAbsent(key("lambda"), code);
        code = raced != null ? raced : code;
      }
      return withCaptured(code, lambda, subject);
    }
    if (isLambda(type)) {
      throw new CodeVersionException(CodeVersionMessages.notSerializable(subject, type));
    }
    if (type.getClassLoader() == null || type.getName().startsWith("java.")) {
      throw new CodeVersionException(CodeVersionMessages.noCode(subject, type));
    }
    return CACHE.get(type).computeIfAbsent(key("class"), k -> classCode(type, subject));
  }

  /**
   * Returns the code version of a method (its body and what it calls).
   *
   * @throws NullPointerException if {@code method} is null
   * @throws CodeVersionException if its code cannot be read
   */
  public static CodeVersion of(Method method) {
    requireNonNull(method, "method");
    Class<?> owner = method.getDeclaringClass();
    String desc = Type.getMethodDescriptor(method);
    return CACHE.get(owner).computeIfAbsent(key(method.getName() + desc), k -> {
      String internal = Type.getInternalName(owner);
      String subject = "method " + owner.getName() + "." + method.getName();
      return new BytecodeWalker(owner.getClassLoader(), internal, applicationPrefixes(), subject)
          .version(List.of(new BytecodeWalker.MethodId(internal, method.getName(), desc)),
              display(internal, method.getName(), desc));
    });
  }

  /**
   * Marks the invocation handler of a proxy whose implementation is versioned per call that runs
   * it, at run time (memoflow's {@code Tracked.of}): a constant holding such a proxy counts by
   * its interfaces (its proxy class's name is not stable from run to run), not by its code.
   */
  public interface RunTimeTracked extends java.lang.reflect.InvocationHandler {}

  /** Returns whether {@code value} is a proxy whose handler is {@link RunTimeTracked}. */
  static boolean isRunTimeTracked(Object value) {
    return java.lang.reflect.Proxy.isProxyClass(value.getClass())
        && java.lang.reflect.Proxy.getInvocationHandler(value) instanceof RunTimeTracked;
  }

  /**
   * Registers packages whose classes count as application code wherever they are loaded from
   * (other modules of your project, for instance). Sub-packages are included. Call it at start-up,
   * before versions are computed: versions computed earlier are forgotten and recomputed.
   *
   * @throws NullPointerException if a name is null
   */
  public static void addApplicationPackages(String... packageNames) {
    for (String p : packageNames) {
      requireNonNull(p, "package name");
      String internal = p.replace('.', '/');
      internal = internal.endsWith("/") ? internal : internal + "/";
      if (!APP_PACKAGES.contains(internal)) {
        APP_PACKAGES.add(internal);
        GENERATION.incrementAndGet();
      }
    }
  }

  /** Returns the registered application packages (a snapshot, dotted names, in order added). */
  public static List<String> applicationPackages() {
    return APP_PACKAGES.stream()
        .map(p -> p.substring(0, p.length() - 1).replace('/', '.'))
        .collect(Collectors.toUnmodifiableList());
  }

  /**
   * Returns the lines of two listings (as {@link CodeVersion#listing()} prints them) that
   * differ, marked {@code -} (old) and {@code +} (new), with two lines of context.
   *
   * @throws NullPointerException if an argument is null
   */
  public static String lineDiff(String older, String newer) {
    StringBuilder sb = new StringBuilder();
    LineDiff.append(sb, requireNonNull(older, "older"), requireNonNull(newer, "newer"));
    return sb.toString();
  }

  // ---- internals ----------------------------------------------------------------------------

  private static String key(String what) {
    return GENERATION.get() + "|" + what;
  }

  private static List<String> applicationPrefixes() {
    return List.copyOf(APP_PACKAGES);
  }

  /** Returns the serialized form of a serializable lambda, or null for any other object. */
  static SerializedLambda serializedLambda(Object function, Class<?> type, String subject) {
    Method writeReplace;
    try {
      writeReplace = type.getDeclaredMethod("writeReplace");
    } catch (NoSuchMethodException e) {
      return null;
    }
    try {
      writeReplace.setAccessible(true);
      Object replaced = writeReplace.invoke(function);
      return replaced instanceof SerializedLambda sl ? sl : null;
    } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
      throw new CodeVersionException(CodeVersionMessages.unreadable(subject,
          Type.getInternalName(type), e instanceof InvocationTargetException ite
              && ite.getCause() instanceof Exception c ? c : e), e);
    }
  }

  private static CodeVersion lambdaCode(ClassLoader loader, SerializedLambda l, String subject) {
    String owner = l.getImplClass();
    return new BytecodeWalker(loader, owner, applicationPrefixes(), subject).version(
        List.of(new BytecodeWalker.MethodId(owner, l.getImplMethodName(), l.getImplMethodSignature())),
        display(owner, l.getImplMethodName(), l.getImplMethodSignature()));
  }

  private static CodeVersion classCode(Class<?> type, String subject) {
    String internal = Type.getInternalName(type);
    List<BytecodeWalker.MethodId> roots = new ArrayList<>();
    Arrays.stream(type.getDeclaredMethods())
        .filter(m -> !m.isSynthetic() && !m.isBridge() && !Modifier.isAbstract(m.getModifiers()))
        .sorted(Comparator.comparing(Method::getName).thenComparing((Method m) -> Type.getMethodDescriptor(m)))
        .forEach(m -> roots.add(
            new BytecodeWalker.MethodId(internal, m.getName(), Type.getMethodDescriptor(m))));
    if (roots.isEmpty()) {
      throw new CodeVersionException(CodeVersionMessages.noCode(subject, type));
    }
    return new BytecodeWalker(type.getClassLoader(), internal, applicationPrefixes(), subject)
        .version(roots, type.getName());
  }

  /** Adds the captured arguments' values (counted like constants) to a lambda's code version. */
  private static CodeVersion withCaptured(CodeVersion code, SerializedLambda l, String subject) {
    if (l.getCapturedArgCount() == 0) {
      return code;
    }
    List<CodeVersion.Unit> units = new ArrayList<>(code.units());
    Digest.Hasher h = Digest.hasher("captured").add(code.digest()).add(l.getCapturedArgCount());
    for (int i = 0; i < l.getCapturedArgCount(); i++) {
      Object v = l.getCapturedArg(i);
      String name = "captured[" + i + "]";
      Digest d;
      String listing;
      if (v != null && isLambda(v.getClass())) {
        // A captured function (e.g. f::apply over a lambda f) counts by its own code.
        CodeVersion inner = of(v, subject);
        d = inner.digest();
        listing = "function " + inner.entry() + " version " + inner.digest().shortHex() + "\n";
      } else {
        d = ConstantHasher.digest(v);
        listing = ConstantHasher.render(v) + "\n";
      }
      h.add(d);
      units.add(new CodeVersion.Unit("captured", name, name, d, listing));
    }
    units.sort(Comparator.comparing(CodeVersion.Unit::key));
    return new CodeVersion(h.digest(), code.entry(), units);
  }

  private static final ThreadLocal<java.util.Set<Class<?>>> VERSIONING_CONSTANT =
      ThreadLocal.withInitial(java.util.HashSet::new);

  /**
   * Returns the code version of a function held in a constant or captured argument, or null
   * when it is not a serializable lambda or is being versioned further up this thread's stack
   * (a function constant that reads itself).
   */
  static CodeVersion ofConstant(Object function) {
    Class<?> type = function.getClass();
    java.util.Set<Class<?>> active = VERSIONING_CONSTANT.get();
    if (!active.add(type)) {
      return null;
    }
    try {
      SerializedLambda l = serializedLambda(function, type, "function constant " + type);
      if (l == null) {
        return null;
      }
      CodeVersion code = CACHE.get(type).get(key("lambda"));
      if (code == null) {
        code = lambdaCode(type.getClassLoader(), l, "function constant " + l.getImplMethodName());
        CACHE.get(type).putIfAbsent(key("lambda"), code);
      }
      return withCaptured(code, l, "function constant " + l.getImplMethodName());
    } finally {
      active.remove(type);
    }
  }

  static boolean isLambda(Class<?> type) {
    return type.isSynthetic() || type.isHidden() || type.getName().contains("$$Lambda");
  }

  static String display(String owner, String name, String desc) {
    return owner.replace('/', '.') + "." + name + Arrays.stream(Type.getArgumentTypes(desc))
        .map(Type::getClassName).collect(Collectors.joining(", ", "(", ")"));
  }
}
