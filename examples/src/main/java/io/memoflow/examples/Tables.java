package io.memoflow.examples;

import io.memoflow.cache.Call;
import io.memoflow.cache.frame.FrameTable;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/** Text tables for the command-line program: aligned columns, long values abbreviated. */
final class Tables {
  /** Cells longer than this are abbreviated. */
  static final int MAX_CELL = 24;

  private Tables() {}

  /** Returns {@code cells} (first line the header) as aligned text with a rule under the header. */
  static String align(List<List<String>> cells) {
    int m = cells.get(0).size();
    int[] width = new int[m];
    for (List<String> line : cells) {
      for (int j = 0; j < m; j++) {
        width[j] = Math.max(width[j], line.get(j).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      StringBuilder l = new StringBuilder("  ");
      for (int j = 0; j < m; j++) {
        String c = cells.get(i).get(j);
        l.append(c).append(" ".repeat(width[j] - c.length())).append("  ");
      }
      sb.append(l.toString().stripTrailing()).append('\n');
      if (i == 0) {
        StringBuilder rule = new StringBuilder("  ");
        for (int j = 0; j < m; j++) {
          rule.append("-".repeat(width[j])).append("  ");
        }
        sb.append(rule.toString().stripTrailing()).append('\n');
      }
    }
    return sb.toString();
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

  /** Returns a short text for a value. */
  static String cell(Object v) {
    if (v == null) {
      return "null";
    }
    String s;
    if (v.getClass().isArray()) {
      int n = Array.getLength(v);
      s = n <= 4 ? arrayText(v, n) : v.getClass().getComponentType().getSimpleName() + "[" + n + "]";
    } else if (v instanceof Double d) {
      s = String.format(java.util.Locale.ROOT, "%.6g", d);
    } else {
      s = String.valueOf(v);
    }
    return s.length() <= MAX_CELL ? s : s.substring(0, MAX_CELL - 3) + "...";
  }

  private static String arrayText(Object v, int n) {
    List<String> xs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      xs.add(String.valueOf(Array.get(v, i)));
    }
    return xs.toString();
  }
}
