package io.memoflow.examples;

import io.memoflow.cache.frame.ComputationFrame;
import io.memoflow.cache.frame.FrameTable;
import io.memoflow.cache.frame.TextTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds the sweeps in an op's stored calls, for the report's plots. In the frame grown backward
 * from the op, a <em>swept input</em> is a variable no op of the frame produces that holds at
 * least two different numbers (the demo: seed and lambda; rows and features too once the store
 * has runs of several sizes). Each number output of the op is plotted against each swept input,
 * one line per combination of the other swept inputs: the demo's mse against lambda, one line
 * per seed, and against seed, one line per lambda.
 */
final class Sweeps {
  /** At most this many plots per op (each output against each swept input). */
  static final int MAX_PLOTS_PER_OP = 6;

  /** One plot: {@code output} of {@code op} against {@code input}, a line per {@code lines} value. */
  record Plot(String op, String output, String input, List<String> lines, List<LinePlot.Series> series) {
    /** Returns the plot's title, e.g. {@code mse against lambda, one line per seed}. */
    String title() {
      return output + " against " + input + (lines.isEmpty() ? ""
          : ", one line per " + String.join(" and ", lines));
    }
  }

  private Sweeps() {}

  /** Returns the plots of {@code op}'s stored calls; none when nothing of it was swept. */
  static List<Plot> of(ComputationFrame frame, String op) {
    ComputationFrame back = frame.growBackward();
    Set<String> produced = new HashSet<>();
    List<String> outputs = new ArrayList<>();
    for (String node : back.operations()) {
      produced.addAll(back.outputsOf(node).values());
      if (back.opOf(node).equals(op)) {
        outputs.addAll(back.outputsOf(node).values());
      }
    }
    FrameTable t = back.toTable();
    List<String> swept = new ArrayList<>();
    for (String c : t.columns()) {
      if (t.isVariable(c) && !produced.contains(c) && distinctNumbers(t, c) >= 2) {
        swept.add(c);
      }
    }
    List<Plot> plots = new ArrayList<>();
    for (String y : outputs) {
      if (distinctNumbers(t, y) < 1) {
        continue;
      }
      for (String x : swept) {
        if (plots.size() == MAX_PLOTS_PER_OP) {
          return plots;
        }
        List<String> others = new ArrayList<>(swept);
        others.remove(x);
        plots.add(new Plot(op, y, x, others, series(t, x, y, others)));
      }
    }
    return plots;
  }

  /** One series per combination of the {@code others}' values, in their numeric order. */
  private static List<LinePlot.Series> series(FrameTable t, String x, String y, List<String> others) {
    Map<List<Double>, List<double[]>> byKey = new TreeMap<>(Sweeps::compare);
    for (FrameTable.Row row : t.rows()) {
      Double xv = number(row, x);
      Double yv = number(row, y);
      if (xv == null || yv == null) {
        continue;
      }
      List<Double> key = new ArrayList<>();
      for (String o : others) {
        Double v = number(row, o);
        key.add(v == null ? Double.NaN : v);
      }
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {xv, yv});
    }
    List<LinePlot.Series> out = new ArrayList<>();
    byKey.forEach((key, points) -> {
      points.sort((a, b) -> Double.compare(a[0], b[0]));
      double[] xs = new double[points.size()];
      double[] ys = new double[points.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = points.get(i)[0];
        ys[i] = points.get(i)[1];
      }
      out.add(new LinePlot.Series(label(others, key), xs, ys));
    });
    return out;
  }

  private static String label(List<String> names, List<Double> values) {
    if (names.isEmpty()) {
      return "all calls";
    }
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      parts.add(names.get(i) + "=" + TextTable.number(values.get(i)));
    }
    return String.join(", ", parts);
  }

  private static int compare(List<Double> a, List<Double> b) {
    for (int i = 0; i < a.size(); i++) {
      int c = Double.compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** How many different numbers column {@code c} holds; 0 if any value in it is not a number. */
  private static int distinctNumbers(FrameTable t, String c) {
    Set<Double> seen = new HashSet<>();
    for (FrameTable.Row row : t.rows()) {
      if (row.isNull(c)) {
        continue;
      }
      Object v = row.value(c);
      if (!(v instanceof Number n)) {
        return 0;
      }
      seen.add(n.doubleValue());
    }
    return seen.size();
  }

  private static Double number(FrameTable.Row row, String c) {
    if (row.isNull(c)) {
      return null;
    }
    return row.value(c) instanceof Number n ? n.doubleValue() : null;
  }
}
