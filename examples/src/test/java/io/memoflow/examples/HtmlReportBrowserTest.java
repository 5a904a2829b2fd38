package io.memoflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Storage;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report rendered by a real browser, headless Chromium: the page the browser built
 * holds the call graph, the sweep plots with their lines and the tables, and its screenshot
 * shows the plot lines in their colours. {@code .ci/run} installs Chromium when it is missing;
 * elsewhere set {@code MEMOFLOW_CHROMIUM} to the browser, or install Debian's {@code chromium}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HtmlReportBrowserTest {
  @TempDir
  static Path tmp;
  private Path page;

  @BeforeAll
  void writeTheReport() throws Exception {
    try (Storage storage = HtmlReportTest.demoStore()) {
      page = HtmlReport.write(storage, tmp, tmp.resolve("report")).file();
    }
  }

  @Test
  void renderedPage_hasTheGraphThePlotsAndTheTables() throws Exception {
    String dom = chromium("--dump-dom", page.toUri().toString());
    assertTrue(dom.contains("<h1>memoflow report</h1>"), dom);
    assertEquals(1, HtmlReportTest.count(dom, "class=\"memoflow-graph\""), dom);
    assertEquals(2, HtmlReportTest.count(dom, "<figure class=\"sweep\""), dom);
    assertEquals(2 + 3, HtmlReportTest.count(dom, "<polyline "), "a line per seed, then per lambda");
    assertTrue(dom.contains("mse against lambda, one line per seed"), dom);
    int score = dom.indexOf("<table class=\"frame\" data-op=\"score\">");
    assertTrue(score >= 0, dom);
    String table = dom.substring(score, dom.indexOf("</table>", score));
    assertEquals(1 + 6, HtmlReportTest.count(table, "<tr>"), table);
  }

  @Test
  void screenshot_showsThePlotLinesInTheirColours() throws Exception {
    Path png = tmp.resolve("report.png");
    chromium("--window-size=1280,2000", "--screenshot=" + png, page.toUri().toString());
    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(image != null && image.getWidth() == 1280, "no screenshot at " + png);
    for (String colour : LinePlot.COLOURS.subList(0, 3)) {
      int rgb = Integer.parseInt(colour.substring(1), 16);
      assertTrue(pixelsNear(image, rgb) > 40, "the screenshot has no line drawn in " + colour);
    }
  }

  /** Pixels within a small distance of {@code rgb} (anti-aliasing blends a line's edges). */
  private static int pixelsNear(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        int dr = ((p >> 16) & 0xff) - ((rgb >> 16) & 0xff);
        int dg = ((p >> 8) & 0xff) - ((rgb >> 8) & 0xff);
        int db = (p & 0xff) - (rgb & 0xff);
        if (dr * dr + dg * dg + db * db < 400) {
          n++;
        }
      }
    }
    return n;
  }

  /** Runs headless Chromium with {@code args}; returns what it printed on standard output. */
  private String chromium(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(browser(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium")));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("chromium.out");
    Path err = tmp.resolve("chromium.err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("Chromium did not finish in 120 s: " + cmd);
    }
    assertEquals(0, p.exitValue(), "Chromium failed: " + Files.readString(err, StandardCharsets.UTF_8));
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static String browser() {
    String given = System.getenv("MEMOFLOW_CHROMIUM");
    if (given != null && !given.isEmpty()) {
      return given;
    }
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome")) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    throw new AssertionError("No Chromium found for the report's browser test. Install it "
        + "(Debian: apt-get install chromium; .ci/run does this when it is missing) or set "
        + "MEMOFLOW_CHROMIUM to a Chromium or Chrome executable.");
  }
}
