package io.memoflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's JSON lines: field order, nulls, rounding, details. */
class FigureTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void printsTheIssueFieldsFirstThenTheDetails() {
    Figure f = Figure.of("dag.build", 650.0, "ns/computation", 1_000_000)
        .target("< 1000 ms total", true).with("shape", "uniform").with("totalMs", 650.0);
    assertEquals("{\"figure\":\"dag.build\",\"value\":650.0,\"unit\":\"ns/computation\","
        + "\"size\":1000000,\"target\":\"< 1000 ms total\",\"met\":true,\"shape\":\"uniform\","
        + "\"totalMs\":650.0}", f.toJson());
  }

  @Test
  void oneLineOfValidJson() throws Exception {
    Figure f = Figure.of("matrix.regression.vsHand", 1.0172, "x", "2000x200")
        .target("<= 1.5x \"by hand\"\nquoted", false);
    String line = f.toJson();
    assertEquals(-1, line.indexOf('\n'));
    JsonNode n = JSON.readTree(line);
    assertEquals("2000x200", n.get("size").asText());
    assertEquals("<= 1.5x \"by hand\"\nquoted", n.get("target").asText());
    assertEquals(false, n.get("met").asBoolean(true));
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("figure", "value", "unit", "size", "target", "met"), names);
  }

  @Test
  void figureWithoutTargetPrintsMetAsNull() throws Exception {
    JsonNode n = JSON.readTree(Figure.of("inplace.plan", 10.5, "ms", 1000).target("reference", null).toJson());
    assertEquals("null", n.get("met").toString());
  }

  @Test
  void skippedFigureHasNullValueAndSaysWhy() throws Exception {
    JsonNode n = JSON.readTree(Figure.skipped("frame.pipeline", "ms", 100_000, "< 1000 ms", "no frames").toJson());
    assertEquals("null", n.get("value").toString());
    assertEquals("no frames", n.get("skipped").asText());
    assertEquals("< 1000 ms", n.get("target").asText());
  }

  @Test
  void valuesKeepIntegerDigitsAndFourSignificantDigits() {
    assertEquals(14777.9, Figure.round(14777.912345));
    assertEquals(1.017, Figure.round(1.017234));
    assertEquals(0.5585, Figure.round(0.558512));
    assertEquals(-1.424, Figure.round(-1.42391));
    assertEquals(352804864.0, Figure.round(352804864.0));
    assertEquals(0.0, Figure.round(0.0));
  }

  @Test
  void valuesThatAreNotFinitePrintAsNull() throws Exception {
    assertNull(Figure.round(Double.NaN));
    assertNull(Figure.round(Double.POSITIVE_INFINITY));
    JsonNode n = JSON.readTree(Figure.of("x.y", Double.NaN, "ms", 1).with("ratio", Double.NaN).toJson());
    assertEquals("null", n.get("value").toString());
    assertEquals("null", n.get("ratio").toString());
  }

  @Test
  void detailsDoNotChangeTheFigureTheyWereAddedTo() {
    Figure base = Figure.of("a.b", 1, "ms", 1);
    base.with("k", 1);
    assertEquals(0, base.details().size());
  }
}
