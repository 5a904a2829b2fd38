package io.memoflow.examples;

import static io.memoflow.dag.GraphText.escapeXml;
import static java.util.Objects.requireNonNull;

import io.memoflow.cache.Call;
import io.memoflow.cache.Storage;
import io.memoflow.cache.frame.ComputationFrame;
import io.memoflow.cache.frame.FrameTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;

/**
 * {@code memoflow report}: one self-contained HTML page of a store, to look at rather than read.
 * It shows the store's summary, the graph of every stored call as SVG, for each swept op a line
 * plot of each number output against each swept input ({@link Sweeps}; the demo: mean squared
 * error against lambda, one line per seed), and the frame table of each op. Everything is drawn
 * here, as inline SVG and CSS: the page loads nothing, runs no script and opens from disk.
 *
 * <pre>{@code
 * HtmlReport.Written w = HtmlReport.write(storage, storeDir, Path.of("memoflow-report"));
 * // w.file() is memoflow-report/index.html
 * }</pre>
 */
public final class HtmlReport {
  /** Rows of an op's table shown on the page; the rest are counted and pointed to. */
  static final int MAX_ROWS = 500;

  /**
   * What {@link #write} wrote.
   *
   * @param file the page ({@code index.html} in the output directory), absolute
   * @param ops ops with stored calls
   * @param calls stored calls
   * @param plots sweep plots drawn
   */
  public record Written(Path file, int ops, long calls, int plots) {}

  private HtmlReport() {}

  /**
   * Writes the report of the open {@code storage} (kept in {@code storeDir}) to {@code
   * outDir/index.html}, creating the directory if needed and replacing an earlier report (a
   * reader never sees half a page: it is written beside and moved into place).
   *
   * @throws IOException if the directory cannot be created or written
   */
  public static Written write(Storage storage, Path storeDir, Path outDir) throws IOException {
    requireNonNull(storage, "storage");
    requireNonNull(storeDir, "storeDir");
    requireNonNull(outDir, "outDir");
    Page page = page(storage, storeDir, Instant.now());
    Files.createDirectories(outDir);
    Path file = outDir.resolve("index.html").toAbsolutePath().normalize();
    Path part = outDir.resolve("index.html.part");
    Files.writeString(part, page.html, StandardCharsets.UTF_8);
    Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Written(file, page.ops, page.calls, page.plots);
  }

  /** The page's text and what it holds. */
  record Page(String html, int ops, long calls, int plots) {}

  /** Returns the page of {@code storage}, stamped with {@code when}. */
  static Page page(Storage storage, Path storeDir, Instant when) {
    SortedSet<String> ops = storage.ops();
    StoreSummary summary = StoreSummary.of(storage, storeDir, List.copyOf(ops));
    StringBuilder body = new StringBuilder(1 << 16);
    body.append("<h1>memoflow report</h1>\n<p class=\"meta\">Store <code>")
        .append(escapeXml(summary.store().toString())).append("</code>, written ")
        .append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .format(when.atOffset(ZoneOffset.UTC)))
        .append("</p>\n");
    summary(body, summary, ops);
    if (ops.isEmpty()) {
      body.append("<p>The store has no calls yet. Run <code>memoflow demo --store ")
          .append(escapeXml(storeDir.toString())).append("</code> to store some.</p>\n");
      return new Page(document(body), 0, summary.calls(), 0);
    }
    body.append("<h2 id=\"graph\">Call graph</h2>\n<p>Every stored call, grouped by op: variables"
        + " (ellipses) with how many values they hold, operations (boxes) with how many calls.</p>\n")
        .append("<div class=\"scroll\">").append(graph(storage, ops).toSvg()).append("</div>\n");
    // Each op's frame once: its sweeps grow from it, its table is it.
    java.util.Map<String, ComputationFrame> frames = new java.util.LinkedHashMap<>();
    List<Sweeps.Plot> plots = new ArrayList<>();
    for (String op : ops) {
      ComputationFrame f = ComputationFrame.ofOp(storage, op);
      frames.put(op, f);
      plots.addAll(Sweeps.of(f, op));
    }
    if (!plots.isEmpty()) {
      body.append("<h2 id=\"sweeps\">Sweeps</h2>\n");
      for (Sweeps.Plot p : plots) {
        body.append("<figure class=\"sweep\" data-op=\"").append(escapeXml(p.op())).append("\">")
            .append(LinePlot.svg(p.title(), p.input(), p.output(), p.series()))
            .append("<figcaption>").append(escapeXml(p.op())).append(": ")
            .append(escapeXml(p.title())).append(" (")
            .append(Tables.count(p.series().size(), "line")).append(")</figcaption></figure>\n");
      }
    }
    body.append("<h2 id=\"tables\">Calls by op</h2>\n");
    frames.forEach((op, f) -> table(body, f, op));
    return new Page(document(body), ops.size(), summary.calls(), plots.size());
  }

  /** The frame of every stored call: grown from one op, then from each op it did not reach. */
  private static ComputationFrame graph(Storage storage, Set<String> ops) {
    ComputationFrame all = null;
    for (String op : ops) {
      if (all != null && covers(all, op)) {
        continue;
      }
      ComputationFrame f = ComputationFrame.ofOp(storage, op).grow();
      all = all == null ? f : all.union(f);
    }
    return all;
  }

  private static boolean covers(ComputationFrame f, String op) {
    for (String node : f.operations()) {
      if (f.opOf(node).equals(op)) {
        return true;
      }
    }
    return false;
  }

  private static void summary(StringBuilder sb, StoreSummary s, Set<String> ops) {
    sb.append("<table class=\"summary\"><tbody>\n");
    row(sb, "calls", Long.toString(s.calls()));
    row(sb, "values", Long.toString(s.values()));
    row(sb, "files", s.files() + ": " + (s.diskBytes() < 0 ? "unknown" : StoreSummary.bytes(s.diskBytes()))
        + " on disk, " + StoreSummary.bytes(s.apparentBytes()) + " apparent size");
    sb.append("</tbody></table>\n");
    if (!ops.isEmpty()) {
      sb.append("<p>Calls by op: ");
      List<String> links = new ArrayList<>();
      for (String op : ops) {
        links.add("<a href=\"#op-" + escapeXml(anchor(op)) + "\">" + escapeXml(op) + "</a> "
            + s.callsByOp().getOrDefault(op, 0));
      }
      sb.append(String.join(", ", links)).append("</p>\n");
    }
  }

  private static void row(StringBuilder sb, String name, String value) {
    sb.append("<tr><th>").append(escapeXml(name)).append("</th><td>").append(escapeXml(value))
        .append("</td></tr>\n");
  }

  /** The table of {@code op}'s own calls: inputs, the call, outputs, sorted by the inputs. */
  private static void table(StringBuilder sb, ComputationFrame frame, String op) {
    FrameTable t = Tables.sortedByInputs(frame);
    sb.append("<h3 id=\"op-").append(escapeXml(anchor(op))).append("\">").append(escapeXml(op))
        .append("</h3>\n<div class=\"scroll\"><table class=\"frame\" data-op=\"")
        .append(escapeXml(op)).append("\"><thead><tr>");
    for (String c : t.columns()) {
      sb.append("<th>").append(escapeXml(c)).append("</th>");
    }
    sb.append("</tr></thead><tbody>\n");
    int shown = Math.min(t.size(), MAX_ROWS);
    for (int i = 0; i < shown; i++) {
      FrameTable.Row row = t.row(i);
      sb.append("<tr>");
      for (String c : t.columns()) {
        if (row.isNull(c)) {
          sb.append("<td class=\"null\">null</td>");
        } else if (t.isVariable(c)) {
          Object v = row.value(c);
          sb.append(v instanceof Number ? "<td class=\"num\">" : "<td>")
              .append(escapeXml(Tables.cell(v))).append("</td>");
        } else {
          Call call = row.call(c);
          sb.append("<td class=\"call\">").append(escapeXml(call.op() + "@" + call.version()))
              .append("</td>");
        }
      }
      sb.append("</tr>\n");
    }
    sb.append("</tbody></table></div>\n");
    if (t.size() > shown) {
      sb.append("<p class=\"more\">Showing ").append(shown).append(" of ").append(t.size())
          .append(" calls; <code>memoflow frame ").append(escapeXml(op))
          .append(" --format csv</code> prints them all.</p>\n");
    }
  }

  /** An op name as an HTML id: letters, digits, '-' and '_' kept, anything else as '_'. */
  private static String anchor(String op) {
    StringBuilder sb = new StringBuilder(op.length());
    op.codePoints().forEach(c -> sb.append(Character.isLetterOrDigit(c) || c == '-' || c == '_'
        ? Character.toString(c) : "_"));
    return sb.toString();
  }

  private static String document(StringBuilder body) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>memoflow report</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n"
        + body + "</body>\n</html>\n";
  }

  private static final String CSS = """
      body { font-family: system-ui, sans-serif; color: #222; margin: 24px auto; max-width: 1100px;
             padding: 0 16px; line-height: 1.4; }
      h1 { font-size: 1.6em; margin-bottom: 0; }
      h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
      h3 { font-size: 1.05em; margin-top: 1.2em; }
      .meta { color: #555; margin-top: 4px; }
      code { font-family: ui-monospace, monospace; font-size: 0.92em; }
      .scroll { overflow-x: auto; }
      table { border-collapse: collapse; font-size: 0.9em; }
      th, td { padding: 3px 10px; border-bottom: 1px solid #e6e6e6; text-align: left; white-space: nowrap; }
      thead th { background: #f4f4f4; position: sticky; top: 0; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      td.null { color: #999; }
      td.call { color: #555; font-family: ui-monospace, monospace; }
      table.summary th { font-weight: normal; color: #555; }
      figure.sweep { display: inline-block; margin: 8px 16px 16px 0; }
      figcaption { color: #555; font-size: 0.9em; }
      .more { color: #555; }
      """;
}
