package io.memoflow.dag;

import io.memoflow.testkit.DagArbitraries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Laws of {@link GraphText#toSvg()}: the drawing is well-formed XML whatever the labels, has one
 * shape per node and one arrow per edge, no two nodes overlap, every node lies inside the
 * drawing, and on a DAG every arrow points right (from an earlier layer to a later one).
 */
class GraphSvgPropertiesTest {

  @Provide
  Arbitrary<CompositeComputation> dags() {
    return DagArbitraries.dags(0, 40);
  }

  @Provide
  Arbitrary<String> labels() {
    return Arbitraries.strings().all().ofMaxLength(20);
  }

  @Property
  void dag_drawsEveryNodeOnceWithoutOverlapAndArrowsPointRight(@ForAll("dags") CompositeComputation dag)
      throws Exception {
    Document doc = parse(dag.toSvg());
    Element svg = doc.getDocumentElement();
    double width = Double.parseDouble(svg.getAttribute("width"));
    double height = Double.parseDouble(svg.getAttribute("height"));
    NodeList ellipses = doc.getElementsByTagName("ellipse");
    NodeList rects = doc.getElementsByTagName("rect");
    assertEquals(dag.variables().size(), ellipses.getLength());
    assertEquals(dag.computations().size(), rects.getLength());
    List<double[]> boxes = new ArrayList<>();
    for (int i = 0; i < ellipses.getLength(); i++) {
      Element e = (Element) ellipses.item(i);
      double cx = d(e, "cx");
      double cy = d(e, "cy");
      double rx = d(e, "rx");
      double ry = d(e, "ry");
      boxes.add(new double[] {cx - rx, cy - ry, cx + rx, cy + ry});
    }
    for (int i = 0; i < rects.getLength(); i++) {
      Element r = (Element) rects.item(i);
      boxes.add(new double[] {d(r, "x"), d(r, "y"), d(r, "x") + d(r, "width"), d(r, "y") + d(r, "height")});
    }
    for (int i = 0; i < boxes.size(); i++) {
      double[] a = boxes.get(i);
      assertTrue(a[0] >= 0 && a[1] >= 0 && a[2] <= width && a[3] <= height, "node outside the drawing");
      for (int j = i + 1; j < boxes.size(); j++) {
        double[] b = boxes.get(j);
        boolean apart = a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1];
        assertTrue(apart, "two nodes overlap");
      }
    }
    int edges = 0;
    for (Computation c : dag.computations()) {
      edges += c.inputs().size() + c.outputs().size();
    }
    NodeList paths = doc.getElementsByTagName("path");
    assertEquals(edges + 1, paths.getLength()); // and the arrowhead's
    for (int i = 0; i < paths.getLength(); i++) {
      Element p = (Element) paths.item(i);
      if (p.getParentNode().getNodeName().equals("marker")) {
        continue;
      }
      String[] pts = p.getAttribute("d").replace("M", "").replace("C", "").replace("L", "").trim().split("\\s+");
      double x1 = Double.parseDouble(pts[0].split(",")[0]);
      double x2 = Double.parseDouble(pts[pts.length - 1].split(",")[0]);
      assertTrue(x1 < x2, "an arrow points left: " + p.getAttribute("d"));
    }
  }

  @Property
  void anyLabel_isWellFormedAndShownAsGiven(@ForAll("labels") String variable, @ForAll("labels") String op)
      throws Exception {
    String svg = GraphText.builder().variable("v", variable).operation("o", op).edge("v", "o", op)
        .build().toSvg();
    Document doc = parse(svg);
    NodeList titles = doc.getElementsByTagName("title");
    assertEquals(2, titles.getLength());
    assertEquals(shown(variable), titles.item(0).getTextContent());
    assertEquals(shown(op), titles.item(1).getTextContent());
    assertFalse(svg.contains("<script"), svg);
  }

  /** What the drawing shows for a label: characters XML cannot hold become spaces. */
  private static String shown(String label) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < label.length()
          && Character.isLowSurrogate(label.charAt(i + 1))) {
        sb.append(c).append(label.charAt(++i));
      } else {
        sb.append((c < 0x20 && c != '\t') || Character.isSurrogate(c) || c >= 0xFFFE ? ' ' : c);
      }
    }
    return sb.toString();
  }

  private static double d(Element e, String attribute) {
    return Double.parseDouble(e.getAttribute(attribute));
  }

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }
}
