package io.memoflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The command-line tables: the frame table format, indented, long values abbreviated. */
class TablesTest {

  @Test
  void cell_printsNumbersInShortestFormAndAbbreviates() {
    assertEquals("0.01", Tables.cell(0.01));
    assertEquals("1", Tables.cell(1.0));
    assertEquals("3.34573", Tables.cell(3.345729244286579));
    assertEquals("2.5e-07", Tables.cell(2.5e-7));
    assertEquals("[1, 2.5]", Tables.cell(new double[] {1, 2.5}));
    assertEquals("double[4000]", Tables.cell(new double[4000]));
    assertEquals("null", Tables.cell(null));
    assertEquals("x".repeat(21) + "...", Tables.cell("x".repeat(30)));
  }

  @Test
  void align_indentsAndRightAlignsNumbers() {
    assertEquals("  lambda  seed\n  ------  ----\n    0.01  a\n     100  b\n",
        Tables.align(List.of(List.of("lambda", "seed"), List.of("0.01", "a"), List.of("100", "b"))));
  }

  @Test
  void count_saysOneThingInTheSingular() {
    assertEquals("1 value", Tables.count(1, "value"));
    assertEquals("0 values", Tables.count(0, "value"));
    assertEquals("2 operation nodes", Tables.count(2, "operation node"));
  }
}
