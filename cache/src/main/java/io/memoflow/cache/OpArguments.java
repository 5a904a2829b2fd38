package io.memoflow.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What an op's variadic and keyword inputs take, checked and normalized when a call is bound. */
final class OpArguments {
  private OpArguments() {}

  private static String where(Op op) {
    return "Op '" + op.name() + "' v" + op.shownVersion();
  }

  /** The variadic input's elements, given by name or as its default: a list, copied. */
  static List<Object> elements(Op op, int varargs, Object given) {
    if (given instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    throw new IllegalArgumentException(where(op) + ": input '"
        + op.inputNames().get(varargs) + "' is variadic and takes a List of its elements, got "
        + Op.describe(given) + ". Pass the elements as the last positional arguments, or a List by name.");
  }

  /**
   * The keyword input's entries, sorted by key (so no call depends on a map's order): the map
   * given for it (or its default) and the extra named arguments.
   */
  static Map<String, Object> keywords(Op op, int kwargs, Object given,
      Map<String, Object> extra) {
    String in = op.inputNames().get(kwargs);
    if (!(given instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(where(op) + ": input '" + in
          + "' takes keyword arguments, a Map with String keys, got " + Op.describe(given)
          + ". Pass a Map, or name the arguments in invokeNamed.");
    }
    Map<String, Object> all = new TreeMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String k)) {
        throw new IllegalArgumentException(where(op) + ": input '" + in
            + "' takes a Map with String keys, found key " + Op.describe(e.getKey()) + ".");
      }
      all.put(k, e.getValue());
    }
    for (Map.Entry<String, Object> e : extra.entrySet()) {
      if (all.containsKey(e.getKey())) {
        throw new IllegalArgumentException(where(op) + ": keyword '"
            + e.getKey() + "' is given twice, by name and in the map of input '" + in + "'. Give it once.");
      }
      all.put(e.getKey(), e.getValue());
    }
    return all;
  }
}
