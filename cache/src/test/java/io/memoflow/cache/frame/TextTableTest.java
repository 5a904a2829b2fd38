package io.memoflow.cache.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The one table formatter: numbers to read and exact numbers, number columns right-aligned. */
class TextTableTest {

  @Test
  void exact_printsShortestRoundTripForm() {
    assertEquals("0.01", TextTable.exact(0.01));
    assertEquals("1", TextTable.exact(1.0));
    assertEquals("2.5", TextTable.exact(2.5));
    assertEquals("2.5e-07", TextTable.exact(2.5e-7));
    assertEquals("0.0001", TextTable.exact(1e-4));
    assertEquals("1e-05", TextTable.exact(1e-5));
    assertEquals("1000000000000000", TextTable.exact(1e15));
    assertEquals("1e+16", TextTable.exact(1e16));
    assertEquals("-3.75", TextTable.exact(-3.75));
    assertEquals("0.1", TextTable.exact(0.1));
    assertEquals("0.30000000000000004", TextTable.exact(0.1 + 0.2));
    assertEquals("1.7976931348623157e+308", TextTable.exact(Double.MAX_VALUE));
    assertEquals("5e-324", TextTable.exact(Double.MIN_VALUE));
    assertEquals("0", TextTable.exact(0.0));
    assertEquals("-0", TextTable.exact(-0.0));
    assertEquals("NaN", TextTable.exact(Double.NaN));
    assertEquals("-Infinity", TextTable.exact(Double.NEGATIVE_INFINITY));
    assertEquals("0.1", TextTable.exact(0.1f));
    assertEquals("3.4028235e+38", TextTable.exact(Float.MAX_VALUE));
  }

  @Test
  void number_printsAtMostSixSignificantDigits() {
    assertEquals("0.01", TextTable.number(0.01));
    assertEquals("1", TextTable.number(1.0));
    assertEquals("3.34573", TextTable.number(3.345729244286579));
    assertEquals("27.5199", TextTable.number(27.519890582217418));
    assertEquals("0.3", TextTable.number(0.1 + 0.2));
    assertEquals("2.5e-07", TextTable.number(2.5e-7));
    assertEquals("1.23457e+20", TextTable.number(123456789e12));
    assertEquals("1.79769e+308", TextTable.number(Double.MAX_VALUE));
    assertEquals("123457", TextTable.number(123456.7));
    assertEquals("-0", TextTable.number(-0.0));
    assertEquals("NaN", TextTable.number(Double.NaN));
    assertEquals("-Infinity", TextTable.number(Double.NEGATIVE_INFINITY));
    assertEquals("0.333333", TextTable.number(1f / 3));
  }

  @Property
  void exact_parsesBackToTheSameDouble(@ForAll double x) {
    String s = TextTable.exact(x);
    assertEquals(Double.doubleToLongBits(x), Double.doubleToLongBits(Double.parseDouble(s)), s);
    assertTrue(TextTable.isNumber(s), s);
  }

  @Property
  void exact_parsesBackToTheSameFloat(@ForAll float x) {
    String s = TextTable.exact(x);
    assertEquals(Float.floatToIntBits(x), Float.floatToIntBits(Float.parseFloat(s)), s);
  }

  @Property
  void exact_hasNoDigitToSpare(@ForAll double x) {
    if (x == 0 || Double.isNaN(x) || Double.isInfinite(x)) {
      return;
    }
    String s = TextTable.exact(x);
    int digits = new BigDecimal(s).stripTrailingZeros().precision();
    if (digits > 1) {
      double fewer = new BigDecimal(x).round(new MathContext(digits - 1)).doubleValue();
      assertFalse(fewer == x, s + " could lose a digit");
    }
  }

  @Property
  void number_isTheValueRoundedToSixDigits(@ForAll double x) {
    String s = TextTable.number(x);
    assertTrue(TextTable.isNumber(s), s);
    if (x == 0 || Double.isNaN(x) || Double.isInfinite(x)) {
      assertEquals(Double.doubleToLongBits(x), Double.doubleToLongBits(Double.parseDouble(s)), s);
      return;
    }
    BigDecimal printed = new BigDecimal(s);
    assertTrue(printed.stripTrailingZeros().precision() <= TextTable.DISPLAY_DIGITS, s);
    BigDecimal rounded = new BigDecimal(x).round(new MathContext(TextTable.DISPLAY_DIGITS));
    assertEquals(0, rounded.compareTo(printed), s + " is not " + x + " to six digits");
  }

  @Test
  void value_printsNumbersInsideArraysTheSameWay() {
    assertEquals("[1, 0.5, 2.5e-07]", TextTable.value(new double[] {1, 0.5, 2.5e-7}));
    assertEquals("[[1, 2], [3]]", TextTable.value(new Object[] {new int[] {1, 2}, new Integer[] {3}}));
    assertEquals("null", TextTable.value(null));
    assertEquals("x", TextTable.value("x"));
    assertEquals("7", TextTable.value(7L));
    assertEquals("[0.333333, 1]", TextTable.value(new double[] {1.0 / 3, 1}));
    assertEquals("[0.3333333333333333, 1]", TextTable.exactValue(new double[] {1.0 / 3, 1}));
  }

  @Test
  void format_rightAlignsNumberColumnsOnly() {
    String t = TextTable.format(List.of(
        List.of("name", "n", "score"),
        List.of("a", "1", "0.5"),
        List.of("bbb", "10", "null"),
        List.of("cc", "-2", "2.5e-07")));
    assertEquals("""
        name   n    score
        ----  --  -------
        a      1      0.5
        bbb   10     null
        cc    -2  2.5e-07
        """, t);
  }

  @Test
  void format_leftAlignsColumnsWithoutNumbers() {
    assertEquals("name  z\n----  ----\nab    null\nc     \n".replace("c     \n", "c\n"),
        TextTable.format(List.of(List.of("name", "z"), List.of("ab", "null"), List.of("c", ""))));
    assertEquals("x\n-\n", TextTable.format(List.of(List.of("x"))));
  }

  @Test
  void format_indentsEveryLine() {
    assertEquals("  x  y\n  -  -\n  1  b\n",
        TextTable.format(List.of(List.of("x", "y"), List.of("1", "b")), "  "));
  }

  @Test
  void format_rejectsRaggedLines() {
    assertThrows(IllegalArgumentException.class,
        () -> TextTable.format(List.of(List.of("x", "y"), List.of("1"))));
    assertThrows(IllegalArgumentException.class, () -> TextTable.format(List.of()));
  }

  @Property
  void format_endsEveryNumberOfAColumnAtOneColumn(
      @ForAll List<@IntRange(min = -100000, max = 100000) Integer> xs) {
    List<List<String>> lines = new ArrayList<>();
    lines.add(List.of("x", "tag"));
    for (int x : xs) {
      lines.add(List.of(Integer.toString(x), "t"));
    }
    String[] out = TextTable.format(lines).split("\n");
    int width = out[1].indexOf("  ");
    for (int i = 2; i < out.length; i++) {
      assertEquals(lines.get(i - 1).get(0), out[i].substring(0, width).strip(), out[i]);
      assertTrue(out[i].charAt(width - 1) != ' ', out[i]);
    }
  }
}
