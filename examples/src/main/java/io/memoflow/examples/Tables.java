package io.memoflow.examples;

import io.memoflow.cache.Call;
import io.memoflow.cache.frame.ComputationFrame;
import io.memoflow.cache.frame.FrameTable;
import io.memoflow.cache.frame.TextTable;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Text tables for the command-line program: the frame table's format ({@link TextTable}:
 * numbers right-aligned, to six significant digits), indented by two spaces, long values abbreviated.
 */
final class Tables {
  /** Cells longer than this are abbreviated. */
  static final int MAX_CELL = 24;

  private Tables() {}

  /** Returns {@code cells} (first line the header) as aligned text with a rule under the header. */
  static String align(List<List<String>> cells) {
    return TextTable.format(cells, "  ");
  }

  /**
   * Returns a frame table as aligned text: values abbreviated (arrays as {@code double[4000]}),
   * calls as {@code op@version}, {@code null} where a row has no element.
   */
  static String frame(FrameTable t) {
    List<List<String>> cells = new ArrayList<>();
    cells.add(t.columns());
    for (FrameTable.Row row : t.rows()) {
      List<String> line = new ArrayList<>();
      for (String c : t.columns()) {
        if (row.isNull(c)) {
          line.add("null");
        } else if (t.isVariable(c)) {
          line.add(cell(row.value(c)));
        } else {
          Call call = row.call(c);
          line.add(call.op() + "@" + call.version());
        }
      }
      cells.add(line);
    }
    return align(cells);
  }

  /** Returns a short text for a value: as {@link TextTable#value}, long arrays by type and length. */
  static String cell(Object v) {
    String s;
    if (v != null && v.getClass().isArray() && Array.getLength(v) > 4) {
      s = v.getClass().getComponentType().getSimpleName() + "[" + Array.getLength(v) + "]";
    } else {
      s = TextTable.value(v);
    }
    return s.length() <= MAX_CELL ? s : s.substring(0, MAX_CELL - 3) + "...";
  }

  /** Returns {@code n} and the noun, plural unless {@code n} is 1: {@code 1 value}, {@code 2 values}. */
  static String count(long n, String noun) {
    return count(n, noun, noun + "s");
  }

  /** Returns {@code "1 entry"}, {@code "2 entries"}: the count with the noun's right form. */
  static String count(long n, String singular, String plural) {
    return String.format(Locale.ROOT, "%d %s", n, n == 1 ? singular : plural);
  }

  /**
   * Returns the frame's table with rows sorted by its inputs (variables no operation node of
   * the frame produces, in column order), then by the other variables: the same rows always
   * print in the same order, whatever order the store holds them in.
   */
  static FrameTable sortedByInputs(ComputationFrame f) {
    FrameTable t = f.toTable();
    Set<String> produced = new HashSet<>();
    for (String node : f.operations()) {
      produced.addAll(f.outputsOf(node).values());
    }
    List<String> keys = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (String c : t.columns()) {
      if (t.isVariable(c)) {
        (produced.contains(c) ? rest : keys).add(c);
      }
    }
    keys.addAll(rest);
    return t.sortedBy(keys.toArray(String[]::new));
  }
}
