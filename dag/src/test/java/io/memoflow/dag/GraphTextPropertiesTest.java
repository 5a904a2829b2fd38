package io.memoflow.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Laws of {@link GraphText}: every label comes back unchanged from each format's escaping (line
 * breaks read as {@code \n}), escaped text cannot end a quoted string or a line, and the text
 * depends on nothing but the order in which nodes and edges were added.
 */
class GraphTextPropertiesTest {

  /** Labels full of what the formats treat specially, and any other character too. */
  @Provide
  Arbitrary<String> labels() {
    Arbitrary<Character> special = Arbitraries.of(
        '"', '\\', '\n', '\r', '#', '<', '>', '&', '`', ';', 'n', 'q', 'u', 'o', 't', 'b', 'r', '/');
    Arbitrary<Character> any = Arbitraries.chars().all();
    return Arbitraries.frequencyOf(Tuple.of(3, special), Tuple.of(1, any))
        .list().ofMaxSize(30)
        .map(cs -> {
          StringBuilder sb = new StringBuilder();
          cs.forEach(sb::append);
          return sb.toString();
        });
  }

  @Property
  void anyLabel_roundTripsThroughDotEscaping(@ForAll("labels") String label) {
    String escaped = GraphText.escapeDot(label);
    assertEquals(lineBreaksAsNewline(label), unescapeDot(escaped));
    assertFalse(escaped.contains("\n") || escaped.contains("\r"), escaped);
    assertFalse(escaped.replace("\\\\", "").replace("\\\"", "").contains("\""), escaped);
  }

  @Property
  void anyLabel_roundTripsThroughMermaidEscaping(@ForAll("labels") String label) {
    String escaped = GraphText.escapeMermaid(label);
    assertEquals(lineBreaksAsNewline(label), unescapeMermaid(escaped));
    String markupFree = escaped.replace("<br/>", "");
    for (String c : List.of("\"", "<", ">", "&", "`", "\n", "\r")) {
      assertFalse(markupFree.contains(c), escaped);
    }
  }

  @Property
  void text_dependsOnNothingButInsertionOrder(@ForAll("graphs") List<String[]> statements) {
    GraphText once = build(statements);
    GraphText again = build(statements);
    assertEquals(once.toDot(), again.toDot());
    assertEquals(once.toMermaid(), again.toMermaid());
    // One line per statement, in the order added.
    String[] dot = once.toDot().split("\n", -1);
    String[] mermaid = once.toMermaid().split("\n", -1);
    assertEquals(statements.size() + 4, dot.length); // header, rankdir, "}", ""
    assertEquals(statements.size() + 2, mermaid.length); // header, ""
    for (int k = 0; k < statements.size(); k++) {
      String prefix = "  " + statements.get(k)[1];
      assertTrue(dot[k + 2].startsWith(prefix), dot[k + 2]);
      assertTrue(mermaid[k + 1].startsWith(prefix), mermaid[k + 1]);
    }
  }

  /** Random bipartite graphs as statements {kind, id, to, label}: nodes first, then edges. */
  @Provide
  Arbitrary<List<String[]>> graphs() {
    return Arbitraries.integers().between(1, 8).flatMap(vars ->
        Arbitraries.integers().between(1, 8).flatMap(ops ->
            Arbitraries.integers().between(0, vars * ops - 1).list().ofMaxSize(20)
                .flatMap(edges -> labels().list().ofSize(vars + ops + edges.size())
                    .map(ls -> {
                      List<String[]> out = new ArrayList<>();
                      int l = 0;
                      for (int v = 0; v < vars; v++) {
                        out.add(new String[] {"variable", "v" + v, null, ls.get(l++)});
                      }
                      for (int o = 0; o < ops; o++) {
                        out.add(new String[] {"operation", "op" + o, null, ls.get(l++)});
                      }
                      for (int e : edges) {
                        String v = "v" + e % vars, o = "op" + e / vars;
                        boolean reads = e % 2 == 0;
                        out.add(new String[] {"edge", reads ? v : o, reads ? o : v, ls.get(l++)});
                      }
                      return out;
                    }))));
  }

  private static GraphText build(List<String[]> statements) {
    GraphText.Builder b = GraphText.builder();
    for (String[] s : statements) {
      switch (s[0]) {
        case "variable" -> b.variable(s[1], s[3]);
        case "operation" -> b.operation(s[1], s[3]);
        default -> b.edge(s[1], s[2], s[3]);
      }
    }
    return b.build();
  }

  private static String lineBreaksAsNewline(String s) {
    return s.replace("\r\n", "\n").replace('\r', '\n');
  }

  /** Reads a DOT quoted string's inside the way Graphviz draws a label. */
  private static String unescapeDot(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        char next = s.charAt(++i);
        sb.append(next == 'n' ? '\n' : next);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Reads a Mermaid label the way Mermaid draws it: entity codes and {@code <br/>}. */
  private static String unescapeMermaid(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.startsWith("<br/>", i)) {
        sb.append('\n');
        i += 4;
      } else if (s.charAt(i) == '#') {
        int end = s.indexOf(';', i);
        String code = s.substring(i + 1, end);
        sb.append(switch (code) {
          case "quot" -> '"';
          case "lt" -> '<';
          case "gt" -> '>';
          case "amp" -> '&';
          default -> (char) Integer.parseInt(code);
        });
        i = end;
      } else {
        sb.append(s.charAt(i));
      }
    }
    return sb.toString();
  }
}
