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
 * side of its target. The text width of a label is estimated (no font metrics on a server), with
 * room to spare.
 */
final class SvgLayout {
  private static final double CHAR_WIDTH = 7.2;
  private static final double LINE_HEIGHT = 15;
  private static final double PAD_X = 14;
  private static final double PAD_Y = 7;
  private static final double LAYER_GAP = 80;
  private static final double NODE_GAP = 18;
  private static final double MARGIN = 12;
  private static final int SWEEPS = 4;

  /** A node to place: its box, once placed, is {@code x, y, w, h}. */
  private static final class Node {
    final String id;
    final String label;
    final boolean variable;
    final List<Node> in = new ArrayList<>();
    final List<Node> out = new ArrayList<>();
    int layer;
    double order;
    double x;
    double y;
    double w;
    double h;

    Node(String id, String label, boolean variable) {
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

  private record Edge(Node from, Node to, String label) {}

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
    Edge e = new Edge(byId.get(from), byId.get(to), label);
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
      double x1 = e.from.x + e.from.w;
      double y1 = e.from.y + e.from.h / 2;
      double x2 = e.to.x;
      double y2 = e.to.y + e.to.h / 2;
      double dx = Math.max(30, (x2 - x1) / 2);
      sb.append("  <g class=\"edge\"><path d=\"M").append(num(x1)).append(',').append(num(y1))
          .append(" C").append(num(x1 + dx)).append(',').append(num(y1)).append(' ')
          .append(num(x2 - dx)).append(',').append(num(y2)).append(' ')
          .append(num(x2)).append(',').append(num(y2))
          .append("\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.2\" marker-end=\"url(#")
          .append(arrow).append(")\"/>");
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
    List<List<Node>> layers = new ArrayList<>();
    for (int i = 0; i <= deepest; i++) {
      layers.add(new ArrayList<>());
    }
    for (Node n : nodes) {
      layers.get(n.layer).add(n);
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
        width = Math.max(width, n.w);
      }
      double y = MARGIN + (tallest - heights[k]) / 2;
      for (Node n : layers.get(k)) {
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

  /**
   * Returns {@code s} escaped for XML text and attribute values. Characters XML 1.0 cannot hold
   * even escaped (control characters, unpaired surrogates, U+FFFE and U+FFFF) become a space.
   */
  static String xml(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> {
          if (Character.isHighSurrogate(c) && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else if ((c < 0x20 && c != '\t') || Character.isSurrogate(c) || c >= 0xFFFE) {
            sb.append(' ');
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }
}
