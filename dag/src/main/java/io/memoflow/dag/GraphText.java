package io.memoflow.dag;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes a bipartite graph of variables and operations as Graphviz DOT, Mermaid text or SVG: the one
 * writer behind {@link CompositeComputation#toDot()} and any other drawing of such a graph (a
 * computation frame, say).
 *
 * <pre>{@code
 * GraphText text = GraphText.builder()
 *     .variable("v0", "x")
 *     .operation("op1", "Square\n3 calls")     // a line break in a label is kept
 *     .variable("v2", "sq")
 *     .edge("v0", "op1", "x")                   // the operation reads x as its input "x"
 *     .edge("op1", "v2", "sq")
 *     .build();
 * text.toDot();       // digraph memoflow { rankdir=LR; v0 [shape=ellipse, label="x"]; ...
 * text.toMermaid();   // flowchart LR  v0(["x"]) ...
 * text.toSvg();       // <svg xmlns="http://www.w3.org/2000/svg" ...
 * }</pre>
 *
 * <p>Variables are drawn as ellipses (Mermaid: stadiums), operations as boxes, left to right.
 * Every node and edge is written in the order it was added, so the text depends on nothing but
 * the calls that built it. Labels are free text: quotes, backslashes, line breaks ({@code \n},
 * {@code \r\n} or {@code \r}) and Mermaid's special characters ({@code # < > & `}) are escaped
 * so that each format shows the label as given. Ids are the caller's: letters, digits and
 * underscores, not starting with a digit, and no keyword of either format.
 *
 * <p>Instances are immutable and thread-safe; the builder is not thread-safe.
 */
public final class GraphText {
  /*
   * Overview: the builder records every node and edge, in order, as one list of statements; each
   * writer walks that list once. Nothing is sorted or hashed on the way out, which is what makes
   * the text a function of the insertion order alone.
   */

  /** Words that would not parse as a node id: DOT keywords and Mermaid's {@code end}. */
  private static final Set<String> RESERVED =
      Set.of("node", "edge", "graph", "digraph", "subgraph", "strict", "end");

  private enum Kind { VARIABLE, OPERATION, EDGE }

  /** A node (id, label) or an edge (from, to, label; an empty label draws none). */
  private record Statement(Kind kind, String id, String to, String label) {}

  private final String name;
  private final List<Statement> statements;

  private GraphText(String name, List<Statement> statements) {
    this.name = name;
    this.statements = statements;
  }

  /** Returns a new, empty builder; the DOT graph is named {@code memoflow} unless renamed. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the graph as Graphviz DOT: {@code digraph name}, left to right, variables as
   * ellipses and operations as boxes, each statement on its own line in insertion order.
   */
  public String toDot() {
    StringBuilder sb = new StringBuilder("digraph ").append(name).append(" {\n  rankdir=LR;\n");
    for (Statement s : statements) {
      sb.append("  ").append(s.id);
      switch (s.kind) {
        case VARIABLE -> sb.append(" [shape=ellipse, label=\"").append(escapeDot(s.label))
            .append("\"];\n");
        case OPERATION -> sb.append(" [shape=box, label=\"").append(escapeDot(s.label))
            .append("\"];\n");
        case EDGE -> {
          sb.append(" -> ").append(s.to);
          if (!s.label.isEmpty()) {
            sb.append(" [label=\"").append(escapeDot(s.label)).append("\"]");
          }
          sb.append(";\n");
        }
      }
    }
    return sb.append("}\n").toString();
  }

  /**
   * Returns the graph as a Mermaid flowchart, left to right: variables as stadiums {@code
   * (["..."])}, operations as boxes {@code ["..."]}, in insertion order. The graph's name is not
   * part of Mermaid text.
   */
  public String toMermaid() {
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    for (Statement s : statements) {
      sb.append("  ").append(s.id);
      switch (s.kind) {
        case VARIABLE -> sb.append("([\"").append(escapeMermaid(s.label)).append("\"])\n");
        case OPERATION -> sb.append("[\"").append(escapeMermaid(s.label)).append("\"]\n");
        case EDGE -> {
          if (!s.label.isEmpty()) {
            sb.append(" -- \"").append(escapeMermaid(s.label)).append('"');
          }
          sb.append(" --> ").append(s.to).append('\n');
        }
      }
    }
    return sb.toString();
  }

  /**
   * Returns the graph as a standalone SVG drawing, left to right: variables as ellipses,
   * operations as boxes, each node in the layer of its longest path from a source and ordered
   * within its layer to keep crossings few (a source just before its first reader), edges as
   * arrows labelled with their port where it is not named as its variable. Labels are
   * XML-escaped and each line break starts a new line; the first line is bold. Needs no script
   * and no font: it can be inlined in an HTML page, and the same graph always gives the same
   * text.
   */
  public String toSvg() {
    SvgLayout layout = new SvgLayout(name);
    for (Statement s : statements) {
      switch (s.kind) {
        case VARIABLE -> layout.node(s.id, s.label, true);
        case OPERATION -> layout.node(s.id, s.label, false);
        case EDGE -> { }
      }
    }
    for (Statement s : statements) {
      if (s.kind == Kind.EDGE) {
        layout.edge(s.id, s.to, s.label);
      }
    }
    return layout.svg();
  }

  /**
   * Returns {@code s} escaped for XML (and HTML) text and attribute values: {@code & < > " '}
   * as entities. Characters XML 1.0 cannot hold
   * even escaped (control characters, unpaired surrogates, U+FFFE and U+FFFF) become a space.
   */
  public static String escapeXml(String s) {
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

  /**
   * Returns {@code label} as the inside of a DOT quoted string: backslash and quote escaped, each
   * line break written {@code \n}.
   */
  static String escapeDot(String label) {
    StringBuilder sb = new StringBuilder(label.length() + 8);
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\r' -> {
          sb.append("\\n");
          if (i + 1 < label.length() && label.charAt(i + 1) == '\n') {
            i++; // \r\n is one line break
          }
        }
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Returns {@code label} as the inside of a Mermaid quoted label: the characters Mermaid would
   * read as markup written as entity codes ({@code #quot;}, {@code #35;} ...), each line break
   * written {@code <br/>}.
   */
  static String escapeMermaid(String label) {
    StringBuilder sb = new StringBuilder(label.length() + 8);
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      switch (c) {
        case '"' -> sb.append("#quot;");
        case '#' -> sb.append("#35;");
        case '<' -> sb.append("#lt;");
        case '>' -> sb.append("#gt;");
        case '&' -> sb.append("#amp;");
        case '`' -> sb.append("#96;");
        case '\r' -> {
          sb.append("<br/>");
          if (i + 1 < label.length() && label.charAt(i + 1) == '\n') {
            i++;
          }
        }
        case '\n' -> sb.append("<br/>");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Collects the nodes and edges of a {@link GraphText}. Not thread-safe. Each call checks its
   * arguments at once; {@link #build()} checks that every edge joins a variable and an
   * operation that were added.
   */
  public static final class Builder {
    private final List<Statement> statements = new ArrayList<>();
    private final Map<String, Kind> kinds = new HashMap<>();
    private String name = "memoflow";

    private Builder() {}

    /**
     * Names the DOT graph ({@code digraph name}; default {@code memoflow}).
     *
     * @throws IllegalArgumentException if {@code name} is not a valid id
     */
    public Builder name(String name) {
      this.name = requireId(name, "Graph name");
      return this;
    }

    /**
     * Adds a variable node, drawn as an ellipse.
     *
     * @throws IllegalArgumentException if {@code id} is not a valid id or already taken
     */
    public Builder variable(String id, String label) {
      return node(Kind.VARIABLE, id, label);
    }

    /**
     * Adds an operation node, drawn as a box.
     *
     * @throws IllegalArgumentException if {@code id} is not a valid id or already taken
     */
    public Builder operation(String id, String label) {
      return node(Kind.OPERATION, id, label);
    }

    /** Adds an unlabelled edge; see {@link #edge(String, String, String)}. */
    public Builder edge(String fromId, String toId) {
      return edge(fromId, toId, "");
    }

    /**
     * Adds an edge from a variable to an operation that reads it, or from an operation to a
     * variable it produces; an empty {@code label} draws none. Its ends may be added later,
     * before {@link #build()}.
     */
    public Builder edge(String fromId, String toId, String label) {
      statements.add(new Statement(Kind.EDGE, requireNonNull(fromId, "fromId"),
          requireNonNull(toId, "toId"), requireNonNull(label, "label")));
      return this;
    }

    /**
     * Returns the graph of every node and edge added so far; the builder stays usable.
     *
     * @throws IllegalArgumentException if an edge names an id that was not added, or joins two
     *     variables or two operations
     */
    public GraphText build() {
      for (Statement s : statements) {
        if (s.kind == Kind.EDGE) {
          Kind from = kindOf(s.id, s);
          Kind to = kindOf(s.to, s);
          if (from == to) {
            throw new IllegalArgumentException(
                "Edge " + s.id + " -> " + s.to + " joins two "
                    + from.name().toLowerCase(Locale.ROOT) + "s. An edge joins a variable and an"
                    + " operation: the operation reads the variable or produces it.");
          }
        }
      }
      return new GraphText(name, List.copyOf(statements));
    }

    private Builder node(Kind kind, String id, String label) {
      requireId(id, "Node id");
      requireNonNull(label, "label");
      Kind before = kinds.putIfAbsent(id, kind);
      if (before != null) {
        throw new IllegalArgumentException(
            "Node id '" + id + "' is already a " + before.name().toLowerCase(Locale.ROOT)
                + ". Give every node its own id.");
      }
      statements.add(new Statement(kind, id, null, label));
      return this;
    }

    private Kind kindOf(String id, Statement edge) {
      Kind k = kinds.get(id);
      if (k == null) {
        throw new IllegalArgumentException(
            "Edge " + edge.id + " -> " + edge.to + " names '" + id + "', which is no node."
                + " Add it with variable(...) or operation(...).");
      }
      return k;
    }

    private static String requireId(String id, String what) {
      requireNonNull(id, what);
      boolean ok = !id.isEmpty() && !Character.isDigit(id.charAt(0))
          && !RESERVED.contains(id.toLowerCase(Locale.ROOT));
      for (int i = 0; ok && i < id.length(); i++) {
        char c = id.charAt(i);
        ok = c == '_' || (c < 128 && Character.isLetterOrDigit(c));
      }
      if (!ok) {
        throw new IllegalArgumentException(
            what + " '" + id + "' is not a valid id: use letters, digits and underscores, not"
                + " starting with a digit, and no keyword ("
                + String.join(", ", new TreeSet<>(RESERVED)) + ").");
      }
      return id;
    }
  }
}
