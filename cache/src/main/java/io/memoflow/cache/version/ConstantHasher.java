package io.memoflow.cache.version;

import io.memoflow.dag.Digest;
import io.memoflow.dag.Expr;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/*
 * Overview: hashes the value of a constant (a static final field) or of a captured lambda
 * argument for a code version. Values count by content where the content is well defined:
 * null, strings, boxed primitives (floating point by bits), enums (by class and name), classes
 * (by name), BigInteger/BigDecimal, arrays and lists (in order), sets and maps (order-free: the
 * sorted digests of elements or entries), records (by components) and memoflow's own symbolic
 * expressions (by their Merkle digest, whatever class implements them). Anything else counts by
 * its class name only (its state may be mutable or identity-based), and the listing says so.
 * Depth is capped and cycles are cut so a self-referencing structure still hashes.
 */
/** Hashes and renders values for code versions. Stateless and thread-safe. */
final class ConstantHasher {
  private static final int MAX_DEPTH = 8;
  private static final int MAX_RENDER = 200;

  private ConstantHasher() {}

  static Digest digest(Object value) {
    Digest.Hasher h = Digest.hasher("value");
    add(h, value, 0, new IdentityHashMap<>());
    return h.digest();
  }

  static String render(Object value) {
    String s;
    if (value == null || isSimple(value)) {
      s = value instanceof String str ? '"' + str + '"' : String.valueOf(value);
    } else if (value.getClass().isArray()) {
      StringBuilder sb = new StringBuilder(value.getClass().getComponentType().getName())
          .append('[').append(Array.getLength(value)).append("] {");
      for (int i = 0; i < Array.getLength(value) && sb.length() < MAX_RENDER; i++) {
        sb.append(i > 0 ? ", " : "").append(render(Array.get(value, i)));
      }
      s = sb.append('}').toString();
    } else if (byContent(value)) {
      s = value.getClass().getName() + " " + value;
    } else if (CodeVersions.isRunTimeTracked(value)) {
      s = "<tracked " + interfaces(value.getClass()) + ": versioned per call that runs it>";
    } else if (CodeVersions.isLambda(value.getClass())) {
      CodeVersion cv = CodeVersions.ofConstant(value);
      s = cv != null ? "<function " + cv.entry() + ", code " + cv.digest().shortHex() + ">"
          : "<function implementing " + interfaces(value.getClass()) + ": its code is not"
              + " versioned; make its interface Serializable or use Tracked.fn>";
    } else {
      s = "<" + stableName(value.getClass()) + ": counted by type only>";
    }
    return s.length() > MAX_RENDER ? s.substring(0, MAX_RENDER) + "..." : s;
  }

  private static boolean isSimple(Object v) {
    return v instanceof String || v instanceof Number && isBoxedOrBig(v)
        || v instanceof Boolean || v instanceof Character || v instanceof Enum<?>
        || v instanceof Class<?>;
  }

  private static boolean isBoxedOrBig(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
        || v instanceof Double || v instanceof Float || v instanceof BigInteger
        || v instanceof BigDecimal;
  }

  private static boolean byContent(Object v) {
    return v instanceof Collection<?> || v instanceof Map<?, ?> || v.getClass().isRecord();
  }

  private static void add(Digest.Hasher h, Object v, int depth, Map<Object, Boolean> seen) {
    if (v == null) {
      h.add("null");
      return;
    }
    if (depth > MAX_DEPTH || seen.put(v, Boolean.TRUE) != null && !isSimple(v)) {
      h.add("cut").add(v.getClass().getName());
      return;
    }
    try {
      addValue(h, v, depth, seen);
    } finally {
      seen.remove(v);
    }
  }

  private static void addValue(Digest.Hasher h, Object v, int depth, Map<Object, Boolean> seen) {
    if (v instanceof String s) {
      h.add("S").add(s);
    } else if (v instanceof Double d) {
      h.add("D").add(d.doubleValue());
    } else if (v instanceof Float f) {
      h.add("F").add((double) f.floatValue());
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short
        || v instanceof Byte) {
      h.add(v.getClass().getSimpleName()).add(((Number) v).longValue());
    } else if (v instanceof Character c) {
      h.add("C").add((long) c.charValue());
    } else if (v instanceof Boolean b) {
      h.add("Z").add(b ? 1L : 0L);
    } else if (v instanceof BigInteger || v instanceof BigDecimal) {
      h.add(v.getClass().getSimpleName()).add(v.toString());
    } else if (v instanceof Enum<?> e) {
      h.add("E").add(e.getDeclaringClass().getName()).add(e.name());
    } else if (v instanceof Class<?> c) {
      h.add("K").add(stableName(c));
    } else if (v instanceof Expr e) {
      h.add("X").add(e.digest());
    } else if (CodeVersions.isRunTimeTracked(v)) {
      // Its proxy class's name changes from run to run; its code is versioned where it runs.
      h.add("TRK").add(interfaces(v.getClass()));
    } else if (CodeVersions.isLambda(v.getClass())) {
      // A function constant counts by its code (serializable) or else by its interfaces.
      CodeVersion cv = CodeVersions.ofConstant(v);
      if (cv != null) {
        h.add("FN").add(cv.digest());
      } else {
        h.add("FN?").add(interfaces(v.getClass()));
      }
    } else if (v.getClass().isArray()) {
      int n = Array.getLength(v);
      h.add("A").add(v.getClass().getComponentType().getName()).add(n);
      for (int i = 0; i < n; i++) {
        add(h, Array.get(v, i), depth + 1, seen);
      }
    } else if (v instanceof List<?> list) {
      h.add("L").add(list.size());
      for (Object x : list) {
        add(h, x, depth + 1, seen);
      }
    } else if (v instanceof Set<?> set) {
      List<Digest> ds = new ArrayList<>();
      for (Object x : set) {
        Digest.Hasher eh = Digest.hasher("element");
        add(eh, x, depth + 1, seen);
        ds.add(eh.digest());
      }
      addSorted(h.add("SET"), ds);
    } else if (v instanceof Map<?, ?> map) {
      List<Digest> ds = new ArrayList<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Digest.Hasher eh = Digest.hasher("entry");
        add(eh, e.getKey(), depth + 1, seen);
        add(eh, e.getValue(), depth + 1, seen);
        ds.add(eh.digest());
      }
      addSorted(h.add("MAP"), ds);
    } else if (v.getClass().isRecord()) {
      h.add("R").add(v.getClass().getName());
      for (RecordComponent rc : v.getClass().getRecordComponents()) {
        h.add(rc.getName());
        try {
          rc.getAccessor().setAccessible(true);
          add(h, rc.getAccessor().invoke(v), depth + 1, seen);
        } catch (ReflectiveOperationException | RuntimeException e) {
          h.add("unreadable");
        }
      }
    } else {
      h.add("T").add(stableName(v.getClass()));
    }
  }

  /** A class name without the per-run suffix of hidden classes ({@code Foo$$Lambda$14/0x...}). */
  static String stableName(Class<?> c) {
    String n = c.getName();
    int slash = n.indexOf('/');
    return slash < 0 ? n : n.substring(0, slash);
  }

  private static String interfaces(Class<?> c) {
    List<String> names = new ArrayList<>();
    for (Class<?> i : c.getInterfaces()) {
      names.add(i.getName());
    }
    names.sort(null);
    return String.join(",", names);
  }

  private static void addSorted(Digest.Hasher h, List<Digest> ds) {
    ds.sort(null);
    h.add(ds.size());
    for (Digest d : ds) {
      h.add(d);
    }
  }
}
