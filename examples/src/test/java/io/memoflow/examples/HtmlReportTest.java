package io.memoflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Op;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report's page: what it holds for the demo's store, an empty one and a big op. */
class HtmlReportTest {
  @TempDir
  Path tmp;

  /** A demo store of 3 lambdas x 2 seeds, in memory. */
  static Storage demoStore() {
    Storage storage = Storage.inMemory();
    RidgeStudy.run(storage, new RidgeStudy.Config(List.of(0.5, 5.0, 50.0), 2, 15, 4, 2),
        new PrintWriter(new StringWriter(), true), false);
    return storage;
  }

  @Test
  void demoStore_hasTheGraphTheSweepPlotsAndATablePerOp() {
    try (Storage storage = demoStore()) {
      HtmlReport.Page page = HtmlReport.page(storage, tmp, Instant.parse("2026-12-07T10:15:00Z"));
      String html = page.html();
      assertEquals(3, page.ops());
      assertEquals(2 + 6 + 6, page.calls());
      assertEquals(2, page.plots());
      assertTrue(html.contains("written 2026-12-07 10:15 UTC"), html);
      assertEquals(1, count(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"memoflow-graph\""));
      String byLambda = figure(html, "mse against lambda, one line per seed");
      assertEquals(2, count(byLambda, "<g class=\"series\""));
      assertTrue(byLambda.contains("data-label=\"seed=1\"") && byLambda.contains("data-label=\"seed=2\""));
      assertTrue(byLambda.contains("lambda (log scale)"), "0.5 to 50 spans a factor of 100");
      for (String points : polylines(byLambda)) {
        assertEquals(3, points.split(" ").length, points);
      }
      String bySeed = figure(html, "mse against seed, one line per lambda");
      assertEquals(3, count(bySeed, "<g class=\"series\""));
      for (String op : RidgeStudy.OPS) {
        assertTrue(html.contains("<table class=\"frame\" data-op=\"" + op + "\">"), op);
      }
      assertEquals(6, count(table(html, "score"), "<tr>") - 1); // and the header row
      assertFalse(html.contains("<script"), "the page runs no script");
      assertEquals(List.of("http://www.w3.org/2000/svg"),
          Pattern.compile("https?://[^\"\\s<]+").matcher(html).results().map(java.util.regex.MatchResult::group).distinct().toList(),
          "the page loads nothing: its only address is the SVG namespace");
    }
  }

  @Test
  void emptyStore_saysHowToFillIt() {
    try (Storage storage = Storage.inMemory()) {
      HtmlReport.Page page = HtmlReport.page(storage, tmp, Instant.EPOCH);
      assertEquals(0, page.ops());
      assertTrue(page.html().contains("The store has no calls yet. Run <code>memoflow demo --store "),
          page.html());
    }
  }

  @Test
  void aLongTable_isCutAndSaysHowToGetEveryRow() {
    Op inc = Op.of("inc", (Integer x) -> x + 1);
    try (Storage storage = Storage.inMemory()) {
      try (Session s = storage.session()) {
        for (int i = 0; i < HtmlReport.MAX_ROWS + 1; i++) {
          inc.call(i);
        }
      }
      String html = HtmlReport.page(storage, tmp, Instant.EPOCH).html();
      assertEquals(HtmlReport.MAX_ROWS, count(table(html, "inc"), "<tr>") - 1);
      assertTrue(html.contains("Showing 500 of 501 calls; <code>memoflow frame inc --format csv</code>"
          + " prints them all."), html);
      // One input holding 501 numbers, but no op produces a number from it alone: inc's output
      // against its input is a plot of its own.
      assertEquals(1, HtmlReport.page(storage, tmp, Instant.EPOCH).plots());
    }
  }

  @Test
  void write_replacesAnEarlierReport() throws Exception {
    try (Storage storage = demoStore()) {
      Path out = tmp.resolve("report");
      Files.createDirectories(out);
      Files.writeString(out.resolve("index.html"), "old");
      HtmlReport.Written w = HtmlReport.write(storage, tmp, out);
      assertEquals(out.resolve("index.html").toAbsolutePath(), w.file());
      assertTrue(Files.readString(w.file()).startsWith("<!DOCTYPE html>"));
      assertEquals(List.of(w.file()), Files.list(out).toList(), "no partial file is left");
    }
  }

  static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
      n++;
    }
    return n;
  }

  private static String figure(String html, String title) {
    int at = html.indexOf("aria-label=\"" + title + "\"");
    assertTrue(at >= 0, "no plot '" + title + "'");
    return html.substring(at, html.indexOf("</figure>", at));
  }

  private static String table(String html, String op) {
    int at = html.indexOf("<table class=\"frame\" data-op=\"" + op + "\">");
    return html.substring(at, html.indexOf("</table>", at));
  }

  private static List<String> polylines(String svg) {
    return Pattern.compile("<polyline points=\"([^\"]*)\"").matcher(svg).results()
        .map(m -> m.group(1)).toList();
  }
}
