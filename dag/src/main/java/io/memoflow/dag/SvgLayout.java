package io.memoflow.dag;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a bipartite graph as SVG, left to right, for {@link GraphText#toSvg()}: each node goes
 * to the layer of its longest path from a source, nodes within a layer are ordered by the mean
 * position of their neighbours (a few sweeps each way, which removes most crossings of the small
 * graphs memoflow draws), and every edge is a curve from the right side of its source to the left
 * side of its target, labelled with its port where the port is not named as its variable. A
 * source sits in the layer just before its first reader. The text width of a label is estimated (no font metrics on a server), with
 * room to spare.
 */
final class SvgLayout {
  private static final double CHAR_WIDTH = 7.2;
  private static final double LINE_HEIGHT = 15;
  private static final double PAD_X = 14;
  private static final double PAD_Y = 7;
  private static final double LAYER_GAP = 60;
  private static final double NODE_GAP = 18;
  private static final double MARGIN = 12;
  private static final int SWEEPS = 4;
  private static final double WAYPOINT_HEIGHT = 6;

  /** A node to place: its box, once placed, is {@code x, y, w, h}. */
  private static final class Node {
    final String id;
    final String label;
    final boolean variable;
    /** A waypoint of an edge that spans layers, so that it passes beside the nodes it skips. */
    final boolean waypoint;
    final List<Node> in = new ArrayList<>();
    final List<Node> out = new ArrayList<>();
    int layer;
    double order;
    double x;
    double y;
    double w;
    double h;

    /** A waypoint: no label, as wide as its layer once placed. */
    Node() {
      this.id = null;
      this.label = "";
      this.variable = false;
      this.waypoint = true;
      this.h = WAYPOINT_HEIGHT;
    }

    Node(String id, String label, boolean variable) {
      this.waypoint = false;
      this.id = id;
      this.label = label;
      this.variable = variable;
      String[] lines = lines(label);
      int longest = 1;
      for (String l : lines) {
        longest = Math.max(longest, l.length());
      }
      w = Math.max(56, longest * CHAR_WIDTH + 2 * PAD_X + (variable ? 16 : 0));
      h = lines.length * LINE_HEIGHT + 2 * PAD_Y + (variable ? 6 : 0);
    }
  }

  /** An edge; {@code via} holds its waypoints, one per layer it passes. */
  private record Edge(Node from, Node to, String label, List<Node> via) {}

  private final String name;
  private final List<Node> nodes = new ArrayList<>();
  private final Map<String, Node> byId = new HashMap<>();
  private final List<Edge> edges = new ArrayList<>();

  SvgLayout(String name) {
    this.name = name;
  }

  void node(String id, String label, boolean variable) {
    Node n = new Node(id, label, variable);
    nodes.add(n);
    byId.put(id, n);
  }

  void edge(String from, String to, String label) {
    Node a = byId.get(from);
    Node b = byId.get(to);
    // A port named as its variable says nothing the variable does not: no label.
    Node variable = a.variable ? a : b;
    if (label.equals(lines(variable.label)[0])) {
      label = "";
    }
    Edge e = new Edge(a, b, label, new ArrayList<>());
    e.from.out.add(e.to);
    e.to.in.add(e.from);
    edges.add(e);
  }

  /** Returns the drawing. */
  String svg() {
    List<List<Node>> layers = layers();
    order(layers);
    double[] size = place(layers);
    StringBuilder sb = new StringBuilder(256 + 200 * (nodes.size() + edges.size()));
    String arrow = name + "-arrow";
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"memoflow-graph\" width=\"")
        .append(num(size[0])).append("\" height=\"").append(num(size[1]))
        .append("\" viewBox=\"0 0 ").append(num(size[0])).append(' ').append(num(size[1]))
        .append("\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"")
        .append(xml("graph of " + countVariables() + " variables and "
            + (nodes.size() - countVariables()) + " operations"))
        .append("\">\n");
    sb.append("  <defs><marker id=\"").append(arrow).append("\" viewBox=\"0 0 10 10\" refX=\"10\""
        + " refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
        + "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n");
    for (Edge e : edges) {
      // Curves across the gaps between layers, straight lines across the layers it skips.
      List<double[]> pts = new ArrayList<>();
      pts.add(new double[] {e.from.x + e.from.w, e.from.y + e.from.h / 2});
      for (Node d : e.via) {
        pts.add(new double[] {d.x, d.y + d.h / 2});
        pts.add(new double[] {d.x + d.w, d.y + d.h / 2});
      }
      pts.add(new double[] {e.to.x, e.to.y + e.to.h / 2});
      sb.append("  <g class=\"edge\"><path d=\"M").append(num(pts.get(0)[0])).append(',')
          .append(num(pts.get(0)[1]));
      for (int i = 1; i < pts.size(); i++) {
        double[] a = pts.get(i - 1);
        double[] b = pts.get(i);
        if (i % 2 == 0) {
          sb.append(" L").append(num(b[0])).append(',').append(num(b[1]));
        } else {
          double dx = Math.max(30, (b[0] - a[0]) / 2);
          sb.append(" C").append(num(a[0] + dx)).append(',').append(num(a[1])).append(' ')
              .append(num(b[0] - dx)).append(',').append(num(b[1])).append(' ')
              .append(num(b[0])).append(',').append(num(b[1]));
        }
      }
      sb.append("\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.2\" marker-end=\"url(#")
          .append(arrow).append(")\"/>");
      // The label goes on the curve next to the operation: its port is on that side.
      int seg = e.to.variable ? 1 : pts.size() - 1;
      double x1 = pts.get(seg - 1)[0];
      double y1 = pts.get(seg - 1)[1];
      double x2 = pts.get(seg)[0];
      double y2 = pts.get(seg)[1];
      if (!e.label.isEmpty()) {
        sb.append("<text x=\"").append(num((x1 + x2) / 2)).append("\" y=\"")
            .append(num((y1 + y2) / 2 - 3)).append("\" font-size=\"10\" fill=\"#444\""
                + " text-anchor=\"middle\" stroke=\"#fff\" stroke-width=\"3\""
                + " paint-order=\"stroke\">").append(xml(e.label)).append("</text>");
      }
      sb.append("</g>\n");
    }
    for (Node n : nodes) {
      sb.append("  <g class=\"").append(n.variable ? "variable" : "operation").append("\">");
      sb.append("<title>").append(xml(n.label)).append("</title>");
      if (n.variable) {
        sb.append("<ellipse cx=\"").append(num(n.x + n.w / 2)).append("\" cy=\"")
            .append(num(n.y + n.h / 2)).append("\" rx=\"").append(num(n.w / 2))
            .append("\" ry=\"").append(num(n.h / 2))
            .append("\" fill=\"#eef4fb\" stroke=\"#4a78a8\"/>");
      } else {
        sb.append("<rect x=\"").append(num(n.x)).append("\" y=\"").append(num(n.y))
            .append("\" width=\"").append(num(n.w)).append("\" height=\"").append(num(n.h))
            .append("\" rx=\"3\" fill=\"#fdf3e3\" stroke=\"#b07a2a\"/>");
      }
      String[] lines = lines(n.label);
      double top = n.y + n.h / 2 - (lines.length - 1) * LINE_HEIGHT / 2 + 4;
      sb.append("<text text-anchor=\"middle\" fill=\"#222\">");
      for (int i = 0; i < lines.length; i++) {
        sb.append("<tspan x=\"").append(num(n.x + n.w / 2)).append("\" y=\"")
            .append(num(top + i * LINE_HEIGHT)).append('"')
            .append(i == 0 ? " font-weight=\"bold\"" : "").append('>')
            .append(xml(lines[i])).append("</tspan>");
      }
      sb.append("</text></g>\n");
    }
    return sb.append("</svg>\n").toString();
  }

  private int countVariables() {
    int v = 0;
    for (Node n : nodes) {
      v += n.variable ? 1 : 0;
    }
    return v;
  }

  /** Longest-path layers from the sources; nodes on a cycle go after everything else. */
  private List<List<Node>> layers() {
    Map<Node, Integer> missing = new HashMap<>();
    Deque<Node> ready = new ArrayDeque<>();
    for (Node n : nodes) {
      missing.put(n, n.in.size());
      if (n.in.isEmpty()) {
        ready.add(n);
      }
    }
    int placed = 0;
    int deepest = 0;
    while (!ready.isEmpty()) {
      Node n = ready.poll();
      placed++;
      deepest = Math.max(deepest, n.layer);
      for (Node s : n.out) {
        s.layer = Math.max(s.layer, n.layer + 1);
        if (missing.merge(s, -1, Integer::sum) == 0) {
          ready.add(s);
        }
      }
    }
    if (placed < nodes.size()) {
      for (Node n : nodes) {
        if (missing.get(n) > 0) {
          n.layer = deepest + 1;
        }
      }
      deepest++;
    }
    // A source sits just before its first reader (lambda beside ridge_fit, not in column one).
    for (Node n : nodes) {
      if (n.in.isEmpty() && !n.out.isEmpty()) {
        int first = Integer.MAX_VALUE;
        for (Node s : n.out) {
          first = Math.min(first, s.layer);
        }
        n.layer = Math.max(n.layer, first - 1);
      }
    }
    List<List<Node>> layers = new ArrayList<>();
    for (int i = 0; i <= deepest; i++) {
      layers.add(new ArrayList<>());
    }
    for (Node n : nodes) {
      layers.get(n.layer).add(n);
    }
    for (Edge e : edges) {
      if (e.to.layer - e.from.layer > 1) {
        e.from.out.remove(e.to);
        e.to.in.remove(e.from);
        Node prev = e.from;
        for (int l = e.from.layer + 1; l < e.to.layer; l++) {
          Node d = new Node();
          d.layer = l;
          layers.get(l).add(d);
          prev.out.add(d);
          d.in.add(prev);
          e.via.add(d);
          prev = d;
        }
        prev.out.add(e.to);
        e.to.in.add(prev);
      }
    }
    layers.removeIf(List::isEmpty);
    return layers;
  }

  /** Barycentre sweeps: down (by predecessors), then up (by successors), a few times. */
  private static void order(List<List<Node>> layers) {
    renumber(layers);
    for (int sweep = 0; sweep < SWEEPS; sweep++) {
      boolean down = sweep % 2 == 0;
      for (int k = 0; k < layers.size(); k++) {
        List<Node> layer = layers.get(down ? k : layers.size() - 1 - k);
        Map<Node, Double> key = new HashMap<>();
        for (Node n : layer) {
          List<Node> near = down ? n.in : n.out;
          double sum = 0;
          for (Node m : near) {
            sum += m.order;
          }
          key.put(n, near.isEmpty() ? n.order : sum / near.size());
        }
        layer.sort(Comparator.comparingDouble(key::get)); // stable: ties keep their order
        for (int i = 0; i < layer.size(); i++) {
          layer.get(i).order = i;
        }
      }
    }
  }

  private static void renumber(List<List<Node>> layers) {
    for (List<Node> layer : layers) {
      for (int i = 0; i < layer.size(); i++) {
        layer.get(i).order = i;
      }
    }
  }

  /** Places the layers side by side, each centred vertically; returns the drawing's size. */
  private static double[] place(List<List<Node>> layers) {
    double[] heights = new double[layers.size()];
    double tallest = 0;
    for (int k = 0; k < layers.size(); k++) {
      double h = -NODE_GAP;
      for (Node n : layers.get(k)) {
        h += n.h + NODE_GAP;
      }
      heights[k] = h;
      tallest = Math.max(tallest, h);
    }
    double x = MARGIN;
    for (int k = 0; k < layers.size(); k++) {
      double width = 0;
      for (Node n : layers.get(k)) {
        width = n.waypoint ? width : Math.max(width, n.w);
      }
      double y = MARGIN + (tallest - heights[k]) / 2;
      for (Node n : layers.get(k)) {
        if (n.waypoint) {
          n.w = width;
        }
        n.x = x + (width - n.w) / 2;
        n.y = y;
        y += n.h + NODE_GAP;
      }
      x += width + LAYER_GAP;
    }
    return new double[] {Math.max(x - LAYER_GAP + MARGIN, 2 * MARGIN),
        Math.max(tallest, 0) + 2 * MARGIN};
  }

  private static String[] lines(String label) {
    return label.split("\r\n|\r|\n", -1);
  }

  /** Returns a coordinate with at most one decimal. */
  static String num(double v) {
    long tenths = Math.round(v * 10);
    return tenths % 10 == 0 ? Long.toString(tenths / 10)
        : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
  }

  private static String xml(String s) {
    return GraphText.escapeXml(s);
  }
}
