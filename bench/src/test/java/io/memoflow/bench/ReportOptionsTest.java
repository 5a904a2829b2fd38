package io.memoflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Argument parsing and figure selection of {@link Report}. */
class ReportOptionsTest {

  @Test
  void defaultIsQuickAndEverything() {
    ReportOptions o = ReportOptions.parse(List.of());
    assertTrue(o.quick());
    assertEquals("", o.only());
    assertTrue(o.wants("dag.build"));
    assertTrue(o.wantsGroup("cache."));
  }

  @Test
  void fullAndQuick() {
    assertTrue(ReportOptions.parse(List.of("--full")).full());
    assertTrue(ReportOptions.parse(List.of("--quick")).quick());
    assertTrue(ReportOptions.parse(List.of("--full", "--full")).full());
    assertEquals(3, ReportOptions.parse(List.of("--quick")).pick(3, 10));
    assertEquals(10, ReportOptions.parse(List.of("--full")).pick(3, 10));
  }

  @Test
  void onlyTakesAPrefixInEitherForm() {
    assertEquals("dag.", ReportOptions.parse(List.of("--only", "dag.")).only());
    assertEquals("cache.retraceHit", ReportOptions.parse(List.of("--full", "--only=cache.retraceHit")).only());
  }

  @Test
  void onlySelectsGroupsAndFiguresByPrefix() {
    ReportOptions o = ReportOptions.parse(List.of("--only", "cache.retrace"));
    assertTrue(o.wantsGroup("cache."));
    assertFalse(o.wantsGroup("dag."));
    assertTrue(o.wants("cache.retraceHit"));
    assertFalse(o.wants("cache.reopen"));
    ReportOptions wide = ReportOptions.parse(List.of("--only", "ca"));
    assertTrue(wide.wantsGroup("cache."));
    assertFalse(wide.wantsGroup("engine."));
  }

  @Test
  void wantsAnyLetsAGroupSkipWorkNobodyAskedFor() {
    ReportOptions o = ReportOptions.parse(List.of("--only", "cache.reopen"));
    assertTrue(o.wantsAny("cache.newCall.persistent", "cache.reopen"));
    assertFalse(o.wantsAny("cache.newCall.inMemory", "cache.retraceHit"));
    assertTrue(ReportOptions.parse(List.of("--only", "cache.")).wantsAny("cache.retraceHit"));
    assertTrue(ReportOptions.parse(List.of()).wantsAny("engine.sweep."));
  }

  @Test
  void quickAndFullTogetherAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReportOptions.parse(List.of("--quick", "--full")));
    assertTrue(e.getMessage().contains("exclude each other"), e.getMessage());
  }

  @Test
  void onlyWithoutPrefixIsRejectedWithAnExample() {
    for (List<String> args : List.of(List.of("--only"), List.of("--only", "--full"), List.of("--only="))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportOptions.parse(args));
      assertTrue(e.getMessage().contains("prefix") && e.getMessage().contains("e.g."), e.getMessage());
    }
  }

  @Test
  void onlyTwiceIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReportOptions.parse(List.of("--only", "dag.", "--only", "cache.")));
    assertTrue(e.getMessage().contains("'dag.'") && e.getMessage().contains("'cache.'"), e.getMessage());
  }

  @Test
  void unknownArgumentIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReportOptions.parse(List.of("--fast")));
    assertTrue(e.getMessage().contains("'--fast'") && e.getMessage().contains("--quick"), e.getMessage());
  }
}
