package io.memoflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** How {@link Report} runs groups and prints lines; fake groups, no timings. */
class ReportTest {

  private record Fixed(String prefix, List<Figure> figures) implements FigureGroup {
    @Override
    public void measure(ReportOptions options, Consumer<Figure> out) {
      figures.forEach(out);
    }
  }

  private static final class Failing implements FigureGroup {
    @Override
    public String prefix() {
      return "broken.";
    }

    @Override
    public void measure(ReportOptions options, Consumer<Figure> out) {
      throw new IllegalStateException("boom");
    }
  }

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(List<String> args, List<FigureGroup> groups) {
    return Report.run(ReportOptionsTest.parse(args.toArray(String[]::new)), groups,
        new PrintWriter(out, true, StandardCharsets.UTF_8), new PrintWriter(err, true, StandardCharsets.UTF_8));
  }

  private List<String> lines() {
    return out.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
  }

  private static final FigureGroup A = new Fixed("a.", List.of(
      Figure.of("a.one", 1, "ms", 10).target("< 2 ms", true),
      Figure.of("a.two", 3, "ms", 10).target("< 2 ms", false)));
  private static final FigureGroup B = new Fixed("b.", List.of(
      Figure.of("b.one", 1, "x", 10).target("reference", null)));

  @Test
  void printsOneJsonLinePerFigureAndASummary() {
    assertEquals(0, run(List.of(), List.of(A, B)));
    List<String> lines = lines();
    assertEquals(3, lines.size());
    assertTrue(lines.get(0).startsWith("{\"figure\":\"a.one\""), lines.get(0));
    assertTrue(lines.get(2).startsWith("{\"figure\":\"b.one\""), lines.get(2));
    String summary = err.toString(StandardCharsets.UTF_8);
    assertTrue(summary.contains("1 figures met their target, 1 did not, 1 without a target"), summary);
  }

  @Test
  void standardErrorSaysWhichGroupIsMeasuredAndSinceWhen() {
    run(List.of(), List.of(A, B));
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("memoflow bench: [0:00] measuring a.* (1 of 2)\n"), said);
    assertTrue(said.contains("measuring b.* (2 of 2)\n"), said);
    assertFalse(said.contains("\r") || said.contains("\033"), "plain lines only: " + said);
  }

  @Test
  void aLongGroupGetsAHeartbeat() {
    FigureGroup slow = new FigureGroup() {
      @Override
      public String prefix() {
        return "slow.";
      }

      @Override
      public void measure(ReportOptions options, Consumer<Figure> out) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!err.toString(StandardCharsets.UTF_8).contains("still measuring")
            && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
      }
    };
    Report.run(ReportOptionsTest.parse(), List.of(slow), new PrintWriter(out, true, StandardCharsets.UTF_8),
        new PrintWriter(err, true, StandardCharsets.UTF_8), 1);
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.matches("(?s).*still measuring slow\\.\\* \\(1 of 1\\), 0:0\\d on it\n.*"), said);
  }

  @Test
  void onlyPrintsFiguresWithThePrefix() {
    run(List.of("--only", "a.tw"), List.of(A, B));
    assertEquals(1, lines().size());
    assertTrue(lines().get(0).contains("\"a.two\""));
  }

  @Test
  void aFailingGroupIsReportedAndTheOthersStillRun() {
    assertEquals(1, run(List.of(), List.of(new Failing(), B)));
    assertEquals(1, lines().size());
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("broken.* figures failed"), err.toString());
  }

  @Test
  void aMissingOptionalGroupReportsItsFigureAsSkipped() {
    FigureGroup g = Report.optionalGroup("io.memoflow.bench.NoSuchFigures", "frame.",
        Figure.skipped("frame.pipeline", "ms", 100_000, "< 1000 ms", "no frames"));
    assertEquals("frame.", g.prefix());
    assertEquals(0, run(List.of(), List.of(g)));
    assertTrue(lines().get(0).contains("\"skipped\":\"no frames\""), lines().get(0));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("1 skipped"), err.toString());
  }

  @Test
  void everyIssueHasAGroupWithADistinctPrefix() {
    Set<String> prefixes = Report.groups().stream().map(FigureGroup::prefix).collect(Collectors.toSet());
    assertEquals(Set.of("dag.", "matrix.", "cache.", "store.", "cluster.", "frame.", "versioning.", "inplace.", "engine."),
        prefixes);
  }
}
