package io.memoflow.dag;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable symbolic expression: a {@link Symbol} ({@code x}), a {@link Constant}
 * ({@code 2}, {@code 0.5}, {@code "adam"}) or an {@link Apply application} of a named
 * operation to arguments ({@code Min(x, y)}).
 *
 * <p>Expressions are the variables of a {@link CompositeComputation}: a variable's identity
 * is its mathematical meaning, so equality is structural ({@code Min(x, y)} built twice is one
 * variable). Every expression has a {@link #digest() Merkle digest} that is identical across
 * JVM runs. Expressions are thread-safe and never null inside one another.
 */
public sealed interface Expr permits Expr.Symbol, Expr.Constant, Expr.Apply {

  /** Returns the symbol with this name. */
  static Symbol symbol(String name) {
    return new Symbol(name);
  }

  /** Returns the integer constant {@code value}. */
  static Constant constant(long value) {
    return new Constant(value);
  }

  /** Returns the floating-point constant {@code value}. */
  static Constant constant(double value) {
    return new Constant(value);
  }

  /** Returns the string constant {@code value}. */
  static Constant constant(String value) {
    return new Constant(value);
  }

  /** Returns the boolean constant {@code value}. */
  static Constant constant(boolean value) {
    return new Constant(value);
  }

  /** Returns {@code op(args...)}. */
  static Apply apply(String op, Expr... args) {
    return new Apply(op, Arrays.asList(args));
  }

  /** Returns {@code op(args...)}. */
  static Apply apply(String op, List<? extends Expr> args) {
    return new Apply(op, args);
  }

  /**
   * Returns the Merkle digest of this expression: symbols by name, constants by type and value,
   * applications by operation name and the digests of their arguments, in order.
   */
  Digest digest();

  /**
   * Returns this expression with every sub-expression that is a key of {@code replacements}
   * replaced by its value (outermost match wins; replacements are not re-visited).
   */
  Expr substitute(Map<? extends Expr, ? extends Expr> replacements);

  /** Returns the symbols that occur in this expression, in first-occurrence order. */
  default Set<Symbol> symbols() {
    Set<Symbol> out = new LinkedHashSet<>();
    collectSymbols(this, out);
    return out;
  }

  private static void collectSymbols(Expr e, Set<Symbol> out) {
    if (e instanceof Symbol s) {
      out.add(s);
    } else if (e instanceof Apply a) {
      for (Expr arg : a.args()) {
        collectSymbols(arg, out);
      }
    }
  }

  /**
   * A named symbol such as {@code x}.
   *
   * <p>A final class rather than a record: it caches its digest, which planners and caches ask
   * for once per use of the symbol, and its name's hash code, so that hashing a symbol reads
   * the symbol alone (in a million-variable graph the name is one more cache miss). Equality,
   * hash code and {@code toString} are those of the name.
   */
  final class Symbol implements Expr {
    private final String name;
    private final int hash; // the name's; fits in the object's padding
    private volatile Digest digest;

    /**
     * Creates the symbol {@code name}.
     *
     * @param name the name; not blank
     * @throws IllegalArgumentException if the name is blank
     */
    public Symbol(String name) {
      requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("A symbol needs a non-blank name.");
      }
      this.name = name;
      this.hash = name.hashCode();
    }

    /** Returns the name. */
    public String name() {
      return name;
    }

    @Override
    public Digest digest() {
      Digest d = digest;
      if (d == null) {
        digest = d = Digest.hasher("sym").add(name).digest();
      }
      return d;
    }

    @Override
    public Expr substitute(Map<? extends Expr, ? extends Expr> replacements) {
      Expr r = replacements.get(this);
      return r != null ? r : this;
    }

    @Override
    public boolean equals(Object o) {
      return this == o || o instanceof Symbol s && s.hash == hash && s.name.equals(name);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A constant: a {@code Long}, {@code Double}, {@code String} or {@code Boolean}. Values of
   * different types differ ({@code 1}, {@code 1.0} and {@code true} are three constants).
   *
   * @param value the value; an {@code Integer}, {@code Short} or {@code Byte} is widened to
   *     {@code Long} and a {@code Float} to {@code Double}
   */
  record Constant(Object value) implements Expr {
    /** @throws IllegalArgumentException if the value is of another type */
    public Constant {
      requireNonNull(value, "value");
      if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
        value = ((Number) value).longValue();
      } else if (value instanceof Float f) {
        value = f.doubleValue();
      }
      if (!(value instanceof Long
          || value instanceof Double
          || value instanceof String
          || value instanceof Boolean)) {
        throw new IllegalArgumentException(
            "A constant is a number, string or boolean, not "
                + value.getClass().getName()
                + ". Use a symbol for other values and bind it when running.");
      }
    }

    @Override
    public Digest digest() {
      Digest.Hasher h = Digest.hasher("const");
      if (value instanceof Long l) {
        h.add("long").add(l);
      } else if (value instanceof Double d) {
        h.add("double").add(d);
      } else if (value instanceof Boolean b) {
        h.add("boolean").add(b ? 1L : 0L);
      } else {
        h.add("string").add((String) value);
      }
      return h.digest();
    }

    @Override
    public Expr substitute(Map<? extends Expr, ? extends Expr> replacements) {
      Expr r = replacements.get(this);
      return r != null ? r : this;
    }

    @Override
    public String toString() {
      return value instanceof String s ? '"' + s + '"' : value.toString();
    }
  }

  /**
   * An operation applied to arguments, such as {@code Min(x, y)}.
   *
   * <p>A final class rather than a record: it caches its hash code and digest, so that
   * expressions that share sub-expressions (as DAGs do) are hashed in linear, not exponential,
   * time.
   */
  final class Apply implements Expr {
    private final String op;
    private final List<Expr> args;
    private final int hash;
    private volatile Digest digest;

    /**
     * @throws IllegalArgumentException if {@code op} is blank
     */
    public Apply(String op, List<? extends Expr> args) {
      requireNonNull(op, "op");
      if (op.isBlank()) {
        throw new IllegalArgumentException("An application needs a non-blank operation name.");
      }
      this.op = op;
      this.args = List.copyOf(args);
      this.hash = 31 * op.hashCode() + this.args.hashCode();
    }

    /** Returns the operation name. */
    public String op() {
      return op;
    }

    /** Returns the arguments, in order; an immutable list. */
    public List<Expr> args() {
      return args;
    }

    @Override
    public Digest digest() {
      Digest d = digest;
      if (d == null) {
        Digest.Hasher h = Digest.hasher("apply").add(op).add(args.size());
        for (Expr a : args) {
          h.add(a.digest());
        }
        digest = d = h.digest();
      }
      return d;
    }

    @Override
    public Expr substitute(Map<? extends Expr, ? extends Expr> replacements) {
      Expr r = replacements.get(this);
      if (r != null) {
        return r;
      }
      List<Expr> out = null;
      for (int i = 0; i < args.size(); i++) {
        Expr a = args.get(i);
        Expr s = a.substitute(replacements);
        if (s != a && out == null) {
          out = new ArrayList<>(args.subList(0, i));
        }
        if (out != null) {
          out.add(s);
        }
      }
      return out == null ? this : new Apply(op, out);
    }

    @Override
    public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      return o instanceof Apply a && a.hash == hash && a.op.equals(op) && a.args.equals(args);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(op).append('(');
      for (int i = 0; i < args.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(args.get(i));
      }
      return sb.append(')').toString();
    }
  }
}
