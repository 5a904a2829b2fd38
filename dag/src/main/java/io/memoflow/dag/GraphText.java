package io.memoflow.dag;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Draws a composite as DOT or Mermaid text: variables as ellipses, operations as boxes. */
final class GraphText {
  private GraphText() {}

  static String dot(CompositeComputation g) {
    StringBuilder sb = new StringBuilder("digraph memoflow {\n  rankdir=LR;\n");
    Map<Expr, String> ids = variableIds(g);
    for (Map.Entry<Expr, String> v : ordered(g, ids)) {
      sb.append("  ").append(v.getValue()).append(" [shape=ellipse, label=\"")
          .append(escapeDot(v.getKey().toString())).append("\"];\n");
    }
    Computation[] order = g.orderArray();
    for (int q = 0; q < order.length; q++) {
      Computation c = order[q];
      String id = "c" + q;
      sb.append("  ").append(id).append(" [shape=box, label=\"")
          .append(escapeDot(c.operation().name())).append("\"];\n");
      List<String> in = c.operation().inputNames();
      for (int k = 0; k < c.inputs().size(); k++) {
        sb.append("  ").append(ids.get(c.inputs().get(k))).append(" -> ").append(id)
            .append(" [label=\"").append(escapeDot(in.get(k))).append("\"];\n");
      }
      List<String> out = c.operation().outputNames();
      for (int k = 0; k < c.outputs().size(); k++) {
        sb.append("  ").append(id).append(" -> ").append(ids.get(c.outputs().get(k)))
            .append(" [label=\"").append(escapeDot(out.get(k))).append("\"];\n");
      }
    }
    return sb.append("}\n").toString();
  }

  static String mermaid(CompositeComputation g) {
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    Map<Expr, String> ids = variableIds(g);
    for (Map.Entry<Expr, String> v : ordered(g, ids)) {
      sb.append("  ").append(v.getValue()).append("([\"")
          .append(escapeMermaid(v.getKey().toString())).append("\"])\n");
    }
    Computation[] order = g.orderArray();
    for (int q = 0; q < order.length; q++) {
      Computation c = order[q];
      String id = "c" + q;
      sb.append("  ").append(id).append("[\"").append(escapeMermaid(c.operation().name()))
          .append("\"]\n");
      List<String> in = c.operation().inputNames();
      for (int k = 0; k < c.inputs().size(); k++) {
        sb.append("  ").append(ids.get(c.inputs().get(k))).append(" -- \"")
            .append(escapeMermaid(in.get(k))).append("\" --> ").append(id).append('\n');
      }
      List<String> out = c.operation().outputNames();
      for (int k = 0; k < c.outputs().size(); k++) {
        sb.append("  ").append(id).append(" -- \"").append(escapeMermaid(out.get(k)))
            .append("\" --> ").append(ids.get(c.outputs().get(k))).append('\n');
      }
    }
    return sb.toString();
  }

  private static Map<Expr, String> variableIds(CompositeComputation g) {
    Map<Expr, String> ids = new HashMap<>();
    for (Expr v : g.variables()) {
      ids.putIfAbsent(v, "v" + ids.size());
    }
    return ids;
  }

  private static List<Map.Entry<Expr, String>> ordered(CompositeComputation g, Map<Expr, String> ids) {
    return g.variables().stream().distinct().map(v -> Map.entry(v, ids.get(v))).toList();
  }

  private static String escapeDot(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String escapeMermaid(String s) {
    return s.replace("\"", "#quot;");
  }
}
