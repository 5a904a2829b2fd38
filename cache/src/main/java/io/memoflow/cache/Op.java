package io.memoflow.cache;

import static java.util.Objects.requireNonNull;

import io.memoflow.cache.internal.Codec;
import io.memoflow.cache.internal.Messages;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.version.CodeVersion;
import io.memoflow.cache.version.CodeVersionException;
import io.memoflow.cache.version.CodeVersions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A named, versioned, memoizable operation: a Java function with named inputs and one or more
 * named outputs. Immutable and thread-safe.
 *
 * <p>Inside the calling thread's open {@link Session}, {@link #call(Object...)} memoizes:
 * a call already stored under its history id is retraced without running the function.
 * Outside any session the function just runs and the returned refs are not stored.
 *
 * <pre>{@code
 * Op inc = Op.of("inc", (Integer x) -> x + 1);
 * try (Session s = storage.session()) {
 *   Ref<Integer> two = inc.call(1);
 *   Ref<Integer> three = inc.call(two);   // refs compose
 * }
 * }</pre>
 *
 * <p>Identity: a call's history id hashes the op's name, version and the history ids of its
 * inputs in declared order; {@linkplain Builder#ignored(String) ignored} inputs are left out,
 * and so is a {@linkplain Builder#newInput(String, Object) new input} whose value equals its
 * declared new default, so calls stored before the input existed stay valid.
 */
public final class Op {
  static final Object NO_DEFAULT = new Object();

  private final String name;
  // [versioning] label: the explicit version label or null (then versioned by code); code: what
  // code versioning reads (the user's function); version: label, or "code:<hex>" on first use.
  private final String label;
  private final Object code;
  private volatile String version;
  private volatile CodeVersion codeVersion;
  private final List<String> inputs;
  private final List<String> outputs;
  private final Object[] defaults;
  private final boolean[] ignored;
  private final ContentId[] newDefaultIds;
  private final OpFunction function;
  private final Map<String, Integer> inputIndex;
  /** The index of the variadic input (its values a list), or -1. */
  private final int varargs;
  /** The index of the keyword input (extra named arguments, a map), or -1. */
  private final int kwargs;

  private Op(Builder b) {
    this.name = b.name;
    this.label = b.version;
    this.version = b.version;
    this.code = b.code != null ? b.code : b.function;
    this.inputs = b.allInputs();
    this.varargs = b.varargs == null ? -1 : inputs.indexOf(b.varargs);
    this.kwargs = b.kwargs == null ? -1 : inputs.indexOf(b.kwargs);
    this.outputs = List.copyOf(b.outputs);
    this.function = b.function;
    int n = inputs.size();
    this.defaults = new Object[n];
    this.ignored = new boolean[n];
    this.newDefaultIds = new ContentId[n];
    this.inputIndex = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String in = inputs.get(i);
      inputIndex.put(in, i);
      defaults[i] = b.defaults.containsKey(in) ? b.defaults.get(in)
          : i == varargs ? List.of() : i == kwargs ? Map.of() : NO_DEFAULT;
      ignored[i] = b.ignored.contains(in);
      if (b.newDefaults.containsKey(in)) {
        Object nd = b.newDefaults.get(in);
        try {
          newDefaultIds[i] = ContentId.from(Codec.contentId(Codec.encode(nd)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(Messages.unserializable(name, shownVersion(), "new default of input '" + in + "'", nd, e), e);
        }
      }
    }
    OpVersionResolver.register(this);
  }

  /** [versioning] A copy of {@code o} with the semantic version a storage resolved. */
  private Op(Op o, String version) {
    this.name = o.name;
    this.label = o.label;
    this.code = o.code;
    this.version = version;
    this.codeVersion = o.codeVersion;
    this.inputs = o.inputs;
    this.outputs = o.outputs;
    this.defaults = o.defaults;
    this.ignored = o.ignored;
    this.newDefaultIds = o.newDefaultIds;
    this.function = o.function;
    this.inputIndex = o.inputIndex;
    this.varargs = o.varargs;
    this.kwargs = o.kwargs;
  }

  /** Returns a builder for an op called {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Returns a one-input, one-output op (input {@code x0}, output {@code output_0}). */
  @SuppressWarnings("unchecked")
  public static <A, R> Op of(String name, Fn1<A, R> fn) {
    requireNonNull(fn, "fn");
    return builder(name).inputs("x0").function(a -> fn.apply((A) a[0])).code(fn).build();
  }

  /** Returns a two-input, one-output op (inputs {@code x0, x1}). */
  @SuppressWarnings("unchecked")
  public static <A, B, R> Op of(String name, Fn2<A, B, R> fn) {
    requireNonNull(fn, "fn");
    return builder(name).inputs("x0", "x1").function(a -> fn.apply((A) a[0], (B) a[1]))
        .code(fn).build();
  }

  /** Returns a three-input, one-output op (inputs {@code x0, x1, x2}). */
  @SuppressWarnings("unchecked")
  public static <A, B, C, R> Op of(String name, Fn3<A, B, C, R> fn) {
    requireNonNull(fn, "fn");
    return builder(name)
        .inputs("x0", "x1", "x2")
        .function(a -> fn.apply((A) a[0], (B) a[1], (C) a[2]))
        .code(fn)
        .build();
  }

  /** Returns the op's name. */
  public String name() {
    return name;
  }

  /**
   * Returns the op's version (part of every call's identity): its explicit label, or else
   * {@code "code:"} and the hex digest of its {@linkplain #codeVersion() code version}, computed
   * on first use and cached. A storage maps a code version to its semantic version (the same,
   * unless a change was {@linkplain VersionHistory#markRefactor(Op) declared a refactor}), so
   * {@link Call#version()} can differ from this; a call that ran tracked dependencies also
   * carries their versions ({@code +deps:...}).
   *
   * @throws CodeVersionException if the op has no label and its code cannot be versioned
   */
  public String version() {
    String v = version;
    if (v == null) {
      v = OpVersionResolver.CODE_PREFIX + codeVersion().orElseThrow().hex();
      version = v;
    }
    return v;
  }

  /**
   * Returns the content-addressed version of the op's code (see {@link CodeVersions}), or empty
   * when the op has an explicit version label. Computed on first use, then cached.
   *
   * @throws CodeVersionException if the function's code cannot be versioned
   */
  public Optional<CodeVersion> codeVersion() {
    if (label != null) {
      return Optional.empty();
    }
    CodeVersion cv = codeVersion;
    if (cv == null) {
      cv = CodeVersions.of(code, "op '" + name + "'");
      codeVersion = cv;
    }
    return Optional.of(cv);
  }

  /** Returns whether the op has an explicit version label (no code hashing). */
  public boolean hasVersionLabel() {
    return label != null;
  }

  /** [versioning] Returns a copy of this op whose version is {@code v}. */
  Op withVersion(String v) {
    return new Op(this, v);
  }

  /** The version for messages: never computes a code version. */
  String shownVersion() {
    String v = version;
    return v != null ? v : "(code)";
  }

  /**
   * Returns the input names in declared order (an immutable list), the {@linkplain
   * Builder#varargs(String) variadic} and {@linkplain Builder#kwargs(String) keyword} inputs
   * last.
   */
  public List<String> inputNames() {
    return inputs;
  }

  /** Returns the name of the variadic input ({@link Builder#varargs(String)}), if there is one. */
  public Optional<String> varargsInput() {
    return varargs < 0 ? Optional.empty() : Optional.of(inputs.get(varargs));
  }

  /** Returns the name of the keyword input ({@link Builder#kwargs(String)}), if there is one. */
  public Optional<String> kwargsInput() {
    return kwargs < 0 ? Optional.empty() : Optional.of(inputs.get(kwargs));
  }

  /** Whether input {@code i} is the variadic or the keyword input (stored element by element). */
  boolean collects(int i) {
    return i == varargs || i == kwargs;
  }

  /** Returns the output names in declared order (an immutable list). */
  public List<String> outputNames() {
    return outputs;
  }

  /**
   * Calls this single-output op with positional arguments (raw values or {@link Ref}s) and
   * returns its output. Memoizes inside the calling thread's open session; outside any session
   * runs the function and returns an unstored ref.
   *
   * @throws IllegalStateException if the op has several outputs (use {@link #invoke})
   * @throws IllegalArgumentException if arguments are missing or too many
   */
  @SuppressWarnings("unchecked")
  public <T> Ref<T> call(Object... args) {
    if (outputs.size() != 1) {
      throw new IllegalStateException(
          "Op '" + name + "' v" + shownVersion() + " has " + outputs.size() + " outputs " + outputs
              + "; call() returns one. Use invoke(...) and Call.output(name).");
    }
    return (Ref<T>) invoke(args).outputs().values().iterator().next();
  }

  /** Calls this op with positional arguments and returns the whole call (all outputs). */
  public Call invoke(Object... args) {
    return dispatch(bind(args));
  }

  /** Calls this op with arguments bound by input name (missing ones take their defaults). */
  public Call invokeNamed(Map<String, ?> args) {
    return dispatch(bindNamed(args));
  }

  private Call dispatch(Object[] bound) {
    MemoSession s = MemoSession.current();
    if (s != null) {
      return s.callBound(this, bound).call();
    }
    MemoSession shared = MemoSession.joinable(this);
    if (shared != null) {
      return shared.callJoined(this, bound).call();
    }
    return MemoSession.runUnstored(this, bound).call();
  }

  /** Returns the argument array in input order, defaults filled in. */
  Object[] bind(Object[] args) {
    Object[] a = args == null ? new Object[] {null} : args;
    if (varargs >= 0) {
      return bindVariadic(a);
    }
    if (a.length > inputs.size()) {
      throw new IllegalArgumentException(
          "Op '" + name + "' v" + shownVersion() + " takes " + inputs.size() + " arguments " + inputs
              + " but got " + a.length + ". Remove the extra arguments.");
    }
    Object[] bound = Arrays.copyOf(a, inputs.size());
    for (int i = a.length; i < bound.length; i++) {
      bound[i] = defaultFor(i);
    }
    if (kwargs >= 0) {
      bound[kwargs] = OpArguments.keywords(this, kwargs, bound[kwargs], Map.of());
    }
    return bound;
  }

  /** Binds {@code f(x, ys...)}: the arguments past the fixed inputs are the variadic input's. */
  private Object[] bindVariadic(Object[] a) {
    Object[] bound = new Object[inputs.size()];
    int fixed = Math.min(a.length, varargs);
    System.arraycopy(a, 0, bound, 0, fixed);
    for (int i = fixed; i < varargs; i++) {
      bound[i] = defaultFor(i);
    }
    bound[varargs] = a.length > varargs
        ? new ArrayList<>(Arrays.asList(a).subList(varargs, a.length))
        : OpArguments.elements(this, varargs, defaultFor(varargs));
    if (kwargs >= 0) {
      bound[kwargs] = OpArguments.keywords(this, kwargs, defaultFor(kwargs), Map.of());
    }
    return bound;
  }

  Object[] bindNamed(Map<String, ?> args) {
    requireNonNull(args, "args");
    Object[] bound = new Object[inputs.size()];
    boolean[] given = new boolean[inputs.size()];
    Map<String, Object> extra = Map.of();
    for (Map.Entry<String, ?> e : args.entrySet()) {
      Integer i = inputIndex.get(e.getKey());
      if (i == null) {
        if (kwargs < 0) {
          throw new IllegalArgumentException(
              "Op '" + name + "' v" + shownVersion() + " has no input '" + e.getKey() + "'. Its inputs are "
                  + inputs + ". To take extra named arguments, declare kwargs(name) on its builder.");
        }
        if (extra.isEmpty()) {
          extra = new java.util.TreeMap<>();
        }
        extra.put(e.getKey(), e.getValue());
        continue;
      }
      bound[i] = e.getValue();
      given[i] = true;
    }
    for (int i = 0; i < bound.length; i++) {
      if (!given[i]) {
        bound[i] = defaultFor(i);
      }
    }
    if (varargs >= 0) {
      bound[varargs] = OpArguments.elements(this, varargs, bound[varargs]);
    }
    if (kwargs >= 0) {
      bound[kwargs] = OpArguments.keywords(this, kwargs, bound[kwargs], extra);
    }
    return bound;
  }

  private Object defaultFor(int i) {
    if (defaults[i] == NO_DEFAULT) {
      throw new IllegalArgumentException(
          "Op '" + name + "' v" + shownVersion() + ": no argument for input '" + inputs.get(i)
              + "' and it has no default. Pass it, or declare one with defaultValue(\""
              + inputs.get(i) + "\", value).");
    }
    return defaults[i];
  }

  boolean isIgnored(int i) {
    return ignored[i];
  }

  ContentId newDefaultId(int i) {
    return newDefaultIds[i];
  }

  OpFunction function() {
    return function;
  }

  /** Turns the function's result into exactly one value per output. */
  Object[] outputsOf(Object result) {
    if (outputs.size() == 1) {
      return new Object[] {result};
    }
    Object[] vals;
    if (result instanceof List<?> l) {
      vals = l.toArray();
    } else if (result instanceof Object[] arr) {
      vals = arr.clone();
    } else {
      throw new IllegalStateException(
          "Op '" + name + "' v" + shownVersion() + " declares " + outputs.size() + " outputs " + outputs
              + " but its function returned " + describe(result)
              + ". Return a List or Object[] of exactly " + outputs.size() + " values.");
    }
    if (vals.length != outputs.size()) {
      throw new IllegalStateException(
          "Op '" + name + "' v" + shownVersion() + " declares " + outputs.size() + " outputs " + outputs
              + " but its function returned " + vals.length + " values. Return exactly "
              + outputs.size() + ", or change outputs(...).");
    }
    return vals;
  }

  static String describe(Object o) {
    return o == null ? "null" : "a " + o.getClass().getName();
  }

  @Override
  public String toString() {
    return name + "@" + shownVersion() + inputs + "->" + outputs;
  }

  /** Builds an {@link Op}. Not thread-safe; build once and share the op. */
  public static final class Builder {
    private final String name;
    private String version;
    private Object code;
    private final List<String> inputs = new ArrayList<>();
    private List<String> outputs = List.of("output_0");
    private final Map<String, Object> defaults = new LinkedHashMap<>();
    private final Set<String> ignored = new HashSet<>();
    private final Map<String, Object> newDefaults = new LinkedHashMap<>();
    private OpFunction function;
    private String varargs;
    private String kwargs;

    private Builder(String name) {
      requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("Op name is blank. Give the op a name such as \"inc\".");
      }
      this.name = name;
    }

    /**
     * Sets an explicit version label, which replaces code versioning: calls stay valid until
     * you change the label. Without a label (the default) the op's version follows its code;
     * see {@link Op#version()}.
     */
    public Builder version(String version) {
      this.version = requireNonNull(version, "version");
      return this;
    }

    /** [versioning] Sets what code versioning reads when it is not the function itself. */
    Builder code(Object userFunction) {
      this.code = requireNonNull(userFunction, "userFunction");
      return this;
    }

    /** Sets the input names, in order. */
    public Builder inputs(String... names) {
      inputs.clear();
      for (String n : names) {
        requireNonNull(n, "input name");
        if (inputs.contains(n)) {
          throw new IllegalArgumentException("Op '" + name + "': input '" + n + "' declared twice.");
        }
        inputs.add(n);
      }
      return this;
    }

    /**
     * Declares a variadic input after the {@linkplain #inputs(String...) inputs}, as in
     * {@code f(x, ys...)}: positional arguments past the inputs are its elements (none by
     * default), and the function receives them as a {@code List}. The elements are stored one by
     * one, the input being the output of a structural {@code __list__} call over them (a frame
     * shows it so), so their order is part of the call's identity and a ref among them keeps its
     * history. By name ({@link Op#invokeNamed}) it takes a {@code List}.
     */
    public Builder varargs(String input) {
      this.varargs = requireNonNull(input, "input");
      return this;
    }

    /**
     * Declares a keyword input, the last input: named arguments that are not inputs
     * ({@link Op#invokeNamed}) become its entries, and the function receives them as a
     * {@code Map<String, Object>} sorted by key. The entries are stored one by one, the input
     * being the output of a structural {@code __map__} call over them (a frame shows it so), so
     * the call's identity does not depend on the order of the map it was given. Positionally (an
     * op without {@link #varargs}) it takes a {@code Map<String, ?>}; by default it is empty.
     */
    public Builder kwargs(String input) {
      this.kwargs = requireNonNull(input, "input");
      return this;
    }

    /** The inputs, then the variadic and the keyword input. */
    private List<String> allInputs() {
      List<String> all = new ArrayList<>(inputs);
      for (String extra : Arrays.asList(varargs, kwargs)) {
        if (extra != null) {
          if (all.contains(extra)) {
            throw new IllegalArgumentException("Op '" + name + "': input '" + extra
                + "' declared twice (as an input and as varargs or kwargs). Give it another name.");
          }
          all.add(extra);
        }
      }
      return List.copyOf(all);
    }

    /** Sets the output names, in order (default one output, {@code output_0}). */
    public Builder outputs(String... names) {
      if (names.length == 0) {
        throw new IllegalArgumentException("Op '" + name + "': at least one output is needed.");
      }
      if (Set.of(names).size() != names.length) {
        throw new IllegalArgumentException("Op '" + name + "': output names repeat: " + Arrays.toString(names));
      }
      outputs = List.of(names);
      return this;
    }

    /** Declares {@code n} outputs named {@code output_0 .. output_{n-1}}. */
    public Builder outputCount(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("Op '" + name + "': outputCount must be at least 1, got " + n + ".");
      }
      String[] names = new String[n];
      for (int i = 0; i < n; i++) {
        names[i] = "output_" + i;
      }
      return outputs(names);
    }

    /** Declares the value an input takes when a call leaves it out. */
    public Builder defaultValue(String input, Object value) {
      defaults.put(requireNonNull(input, "input"), value);
      return this;
    }

    /** Marks an input as ignored: passed to the function, left out of the call's identity. */
    public Builder ignored(String input) {
      ignored.add(requireNonNull(input, "input"));
      return this;
    }

    /**
     * Declares an input added after calls were stored: it defaults to {@code newDefault}, and a
     * call whose value equals {@code newDefault} keeps the identity it had without the input.
     */
    public Builder newInput(String input, Object newDefault) {
      newDefaults.put(requireNonNull(input, "input"), newDefault);
      defaults.put(input, newDefault);
      return this;
    }

    /** Sets the function. */
    public Builder function(OpFunction f) {
      this.function = requireNonNull(f, "function");
      return this;
    }

    /**
     * Builds the op.
     *
     * @throws IllegalStateException if no function was given
     * @throws IllegalArgumentException if a default, ignored or new input names no input
     */
    public Op build() {
      if (function == null) {
        throw new IllegalStateException("Op '" + name + "' has no function. Call function(args -> ...) before build().");
      }
      List<String> all = allInputs();
      for (String in : concat(defaults.keySet(), ignored, newDefaults.keySet())) {
        if (!all.contains(in)) {
          throw new IllegalArgumentException(
              "Op '" + name + "': '" + in + "' is not an input. Declare it with inputs(...) first; inputs are " + all + ".");
        }
      }
      return new Op(this);
    }

    private static List<String> concat(Set<String> a, Set<String> b, Set<String> c) {
      List<String> all = new ArrayList<>(a);
      all.addAll(b);
      all.addAll(c);
      return all;
    }
  }
}
