package io.memoflow.examples;

import io.memoflow.cache.frame.TextTable;
import io.memoflow.dag.GraphText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line plot drawn as standalone SVG, for the HTML report: one line per series, a point marker
 * with a tooltip at each value, axes with round ticks, and a legend. An axis whose values are all
 * positive and span a factor of 100 or more is logarithmic (a sweep of lambda from 0.01 to 100
 * reads as evenly spaced points). Non-finite values are left out.
 */
final class LinePlot {
  static final int WIDTH = 700;
  static final int HEIGHT = 400;
  private static final int LEFT = 72;
  private static final int RIGHT = 180;
  private static final int TOP = 34;
  private static final int BOTTOM = 52;
  private static final int LEGEND_ROWS = 12;
  /** Colours told apart by most readers, also in print (Tableau 10). */
  static final List<String> COLOURS = List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
      "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf");

  /** One line: its legend label and its points, in drawing order. */
  record Series(String label, double[] x, double[] y) {}

  private LinePlot() {}

  /** Returns the plot as an {@code <svg>} element. */
  static String svg(String title, String xLabel, String yLabel, List<Series> series) {
    Axis xAxis = Axis.of(series, true, LEFT, WIDTH - RIGHT);
    Axis yAxis = Axis.of(series, false, HEIGHT - BOTTOM, TOP);
    StringBuilder sb = new StringBuilder(4096);
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"memoflow-plot\" width=\"").append(WIDTH)
        .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
        .append(HEIGHT).append("\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\""
            + " aria-label=\"").append(GraphText.escapeXml(title)).append("\">\n");
    sb.append("  <text x=\"").append(LEFT).append("\" y=\"20\" font-size=\"14\" font-weight=\"bold\">")
        .append(GraphText.escapeXml(title)).append("</text>\n");
    // Grid, ticks and tick labels.
    for (double t : xAxis.ticks) {
      String px = num(xAxis.px(t));
      sb.append("  <line x1=\"").append(px).append("\" y1=\"").append(TOP).append("\" x2=\"").append(px)
          .append("\" y2=\"").append(HEIGHT - BOTTOM).append("\" stroke=\"#e4e4e4\"/>")
          .append("<text x=\"").append(px).append("\" y=\"").append(HEIGHT - BOTTOM + 16)
          .append("\" text-anchor=\"middle\" fill=\"#333\">").append(GraphText.escapeXml(TextTable.number(t)))
          .append("</text>\n");
    }
    for (double t : yAxis.ticks) {
      String py = num(yAxis.px(t));
      sb.append("  <line x1=\"").append(LEFT).append("\" y1=\"").append(py).append("\" x2=\"")
          .append(WIDTH - RIGHT).append("\" y2=\"").append(py).append("\" stroke=\"#e4e4e4\"/>")
          .append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(num(yAxis.px(t) + 4))
          .append("\" text-anchor=\"end\" fill=\"#333\">").append(GraphText.escapeXml(TextTable.number(t)))
          .append("</text>\n");
    }
    sb.append("  <rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
        .append(WIDTH - RIGHT - LEFT).append("\" height=\"").append(HEIGHT - BOTTOM - TOP)
        .append("\" fill=\"none\" stroke=\"#888\"/>\n");
    sb.append("  <text x=\"").append((LEFT + WIDTH - RIGHT) / 2).append("\" y=\"").append(HEIGHT - 12)
        .append("\" text-anchor=\"middle\">").append(GraphText.escapeXml(xLabel + (xAxis.log ? " (log scale)" : "")))
        .append("</text>\n");
    int midY = (TOP + HEIGHT - BOTTOM) / 2;
    sb.append("  <text x=\"16\" y=\"").append(midY).append("\" text-anchor=\"middle\" transform=\"rotate(-90 16 ")
        .append(midY).append(")\">").append(GraphText.escapeXml(yLabel + (yAxis.log ? " (log scale)" : "")))
        .append("</text>\n");
    // The lines, each with its markers.
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      String colour = COLOURS.get(k % COLOURS.size());
      StringBuilder points = new StringBuilder();
      StringBuilder markers = new StringBuilder();
      for (int i = 0; i < s.x.length; i++) {
        if (!xAxis.shows(s.x[i]) || !yAxis.shows(s.y[i])) {
          continue;
        }
        String px = num(xAxis.px(s.x[i]));
        String py = num(yAxis.px(s.y[i]));
        points.append(points.length() == 0 ? "" : " ").append(px).append(',').append(py);
        markers.append("<circle cx=\"").append(px).append("\" cy=\"").append(py)
            .append("\" r=\"3\" fill=\"").append(colour).append("\"><title>")
            .append(GraphText.escapeXml(s.label + ": " + xLabel + " " + TextTable.number(s.x[i]) + ", "
                + yLabel + " " + TextTable.number(s.y[i])))
            .append("</title></circle>");
      }
      sb.append("  <g class=\"series\" data-label=\"").append(GraphText.escapeXml(s.label)).append("\">")
          .append("<polyline points=\"").append(points).append("\" fill=\"none\" stroke=\"")
          .append(colour).append("\" stroke-width=\"1.6\"/>").append(markers).append("</g>\n");
    }
    // Legend: the first lines by name, then how many more.
    int lx = WIDTH - RIGHT + 14;
    for (int k = 0; k < Math.min(series.size(), LEGEND_ROWS); k++) {
      int ly = TOP + 8 + 18 * k;
      sb.append("  <line x1=\"").append(lx).append("\" y1=\"").append(ly).append("\" x2=\"").append(lx + 18)
          .append("\" y2=\"").append(ly).append("\" stroke=\"").append(COLOURS.get(k % COLOURS.size()))
          .append("\" stroke-width=\"2\"/><text x=\"").append(lx + 24).append("\" y=\"").append(ly + 4)
          .append("\">").append(GraphText.escapeXml(series.get(k).label)).append("</text>\n");
    }
    if (series.size() > LEGEND_ROWS) {
      sb.append("  <text x=\"").append(lx).append("\" y=\"").append(TOP + 12 + 18 * LEGEND_ROWS)
          .append("\" fill=\"#555\">and ").append(series.size() - LEGEND_ROWS).append(" more</text>\n");
    }
    return sb.append("</svg>\n").toString();
  }

  /** One axis: its range, scale and ticks, mapping values to pixels. */
  private static final class Axis {
    final boolean log;
    final double lo;
    final double hi;
    final double from;
    final double to;
    final List<Double> ticks;

    private Axis(boolean log, double lo, double hi, double from, double to, List<Double> ticks) {
      this.log = log;
      this.lo = lo;
      this.hi = hi;
      this.from = from;
      this.to = to;
      this.ticks = ticks;
    }

    static Axis of(List<Series> series, boolean x, double from, double to) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (Series s : series) {
        for (double v : x ? s.x : s.y) {
          if (Double.isFinite(v)) {
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
        }
      }
      if (min > max) { // nothing finite to show
        min = 0;
        max = 1;
      }
      boolean log = min > 0 && max / min >= 100;
      if (log) {
        double lo = Math.floor(Math.log10(min));
        double hi = Math.ceil(Math.log10(max));
        List<Double> ticks = new ArrayList<>();
        for (double e = lo; e <= hi; e++) {
          ticks.add(Math.pow(10, e));
        }
        return new Axis(true, lo, hi, from, to, ticks);
      }
      if (min == max) {
        double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
        min -= pad;
        max += pad;
      }
      double step = niceStep((max - min) / 5);
      double lo = Math.floor(min / step) * step;
      double hi = Math.ceil(max / step) * step;
      List<Double> ticks = new ArrayList<>();
      for (int i = 0; lo + i * step <= hi + step / 2; i++) {
        // Rounded to the step's digits, so ticks read 0.3, not 0.30000000000000004.
        ticks.add(Double.parseDouble(String.format(Locale.ROOT, "%.12g", lo + i * step)));
      }
      return new Axis(false, lo, hi, from, to, ticks);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
      double p = Math.pow(10, Math.floor(Math.log10(raw)));
      for (double m : new double[] {1, 2, 5, 10}) {
        if (m * p >= raw) {
          return m * p;
        }
      }
      return 10 * p;
    }

    boolean shows(double v) {
      return Double.isFinite(v) && (!log || v > 0);
    }

    double px(double v) {
      double t = log ? (Math.log10(v) - lo) / (hi - lo) : (v - lo) / (hi - lo);
      return from + t * (to - from);
    }
  }

  private static String num(double v) {
    long tenths = Math.round(v * 10);
    return tenths % 10 == 0 ? Long.toString(tenths / 10) : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
  }
}
