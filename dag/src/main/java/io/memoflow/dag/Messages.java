package io.memoflow.dag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** The templates of the module's user-facing error messages, kept together so tests can match. */
final class Messages {
  private Messages() {}

  static String cycle(List<Object> cycle) {
    StringBuilder sb = new StringBuilder("Cycle in DAG: ");
    for (int i = 0; i < cycle.size(); i++) {
      if (i > 0) {
        sb.append(" -> ");
      }
      Object o = cycle.get(i);
      sb.append(o instanceof Computation c ? c.operation().name() : o.toString());
    }
    return sb.append(". Remove an edge or rename a variable.").toString();
  }

  static String twoProducers(Expr variable, Computation first, Computation second) {
    return "Variable " + variable + " is produced by two computations: " + first + " and "
        + second + ". Rename the output of one of them.";
  }

  static String unknownVariable(String where, String name, Collection<String> known) {
    List<String> close = closest(name, known, 3);
    return where + ": unknown variable '" + name + "'."
        + (close.isEmpty() ? "" : " Did you mean " + quoteAll(close) + "?")
        + " Declare it with input(\"" + name + "\") or produce it in an earlier step.";
  }

  static String unknownOutput(Expr requested, Collection<String> known) {
    List<String> close = closest(requested.toString(), known, 3);
    return "Requested output " + requested + " is not a variable of this composite."
        + (close.isEmpty() ? "" : " Did you mean " + quoteAll(close) + "?")
        + " Request a variable that a computation produces or reads.";
  }

  static String noOutputs() {
    return "A computation needs at least one output.";
  }

  private static String quoteAll(List<String> xs) {
    List<String> q = new ArrayList<>();
    for (String x : xs) {
      q.add("'" + x + "'");
    }
    return String.join(" or ", q);
  }

  /** Returns up to {@code max} names closest to {@code name} by edit distance (at most 3 edits). */
  static List<String> closest(String name, Collection<String> known, int max) {
    record Scored(String name, int distance) {}
    List<Scored> scored = new ArrayList<>();
    int limit = Math.max(1, Math.min(3, name.length() / 2 + 1));
    for (String k : known) {
      int d = editDistance(name, k, limit);
      if (d <= limit) {
        scored.add(new Scored(k, d));
      }
    }
    scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
    return scored.stream().limit(max).map(Scored::name).toList();
  }

  /** Levenshtein distance, cut off above {@code limit} (returns {@code limit + 1}). */
  static int editDistance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) > limit) {
      return limit + 1;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      int rowMin = cur[0];
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin > limit) {
        return limit + 1;
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
