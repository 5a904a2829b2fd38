package io.memoflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The options of {@code memoflow bench} ({@link BenchCommand}) and how they select figures. */
class ReportOptionsTest {

  /** Parses {@code args} as the program does. */
  static ReportOptions parse(String... args) {
    BenchCommand command = new BenchCommand();
    new CommandLine(command).parseArgs(args);
    return command.options();
  }

  /** Runs {@code bench} on bad arguments; returns the exit code and what it printed. */
  private static String rejected(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = BenchCommand.commandLine();
    cl.setErr(new PrintWriter(err, true));
    assertEquals(2, cl.execute(args), err.toString());
    return err.toString();
  }

  @Test
  void defaultIsQuickAndEverything() {
    ReportOptions o = parse();
    assertTrue(o.quick());
    assertEquals("", o.only());
    assertTrue(o.wants("dag.build"));
    assertTrue(o.wantsGroup("cache."));
  }

  @Test
  void fullAndQuick() {
    assertTrue(parse("--full").full());
    assertTrue(parse("--quick").quick());
    assertEquals(3, parse("--quick").pick(3, 10));
    assertEquals(10, parse("--full").pick(3, 10));
  }

  @Test
  void onlyTakesAPrefixInEitherForm() {
    assertEquals("dag.", parse("--only", "dag.").only());
    assertEquals("cache.retraceHit", parse("--full", "--only=cache.retraceHit").only());
  }

  @Test
  void onlySelectsGroupsAndFiguresByPrefix() {
    ReportOptions o = parse("--only", "cache.retrace");
    assertTrue(o.wantsGroup("cache."));
    assertFalse(o.wantsGroup("dag."));
    assertTrue(o.wants("cache.retraceHit"));
    assertFalse(o.wants("cache.reopen"));
    ReportOptions wide = parse("--only", "ca");
    assertTrue(wide.wantsGroup("cache."));
    assertFalse(wide.wantsGroup("engine."));
  }

  @Test
  void wantsAnyLetsAGroupSkipWorkNobodyAskedFor() {
    ReportOptions o = parse("--only", "cache.reopen");
    assertTrue(o.wantsAny("cache.newCall.persistent", "cache.reopen"));
    assertFalse(o.wantsAny("cache.newCall.inMemory", "cache.retraceHit"));
    assertTrue(parse("--only", "cache.").wantsAny("cache.retraceHit"));
    assertTrue(parse().wantsAny("engine.sweep."));
  }

  @Test
  void quickAndFullTogetherAreRejected() {
    String err = rejected("--quick", "--full");
    assertTrue(err.contains("mutually exclusive"), err);
  }

  @Test
  void onlyWithoutPrefixIsRejectedWithAnExample() {
    for (List<String> args : List.of(List.of("--only"), List.of("--only", "--full"))) {
      String err = rejected(args.toArray(String[]::new));
      assertTrue(err.contains("--only"), err);
    }
    String empty = rejected("--only=");
    assertTrue(empty.contains("prefix") && empty.contains("e.g."), empty);
  }

  @Test
  void unknownArgumentIsNamed() {
    String err = rejected("--fast");
    assertTrue(err.contains("'--fast'"), err);
  }

  @Test
  void helpListsTheOptionsAndExitCodes() {
    StringWriter out = new StringWriter();
    CommandLine cl = BenchCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    assertEquals(0, cl.execute("--help"));
    for (String s : List.of("--quick", "--full", "--only=PREFIX", "Exit codes:")) {
      assertTrue(out.toString().contains(s), out.toString());
    }
  }
}
