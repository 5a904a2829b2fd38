package io.memoflow.cache.frame;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Formats tables as aligned text, and values (numbers above all) as table cells: the one
 * formatter behind {@link FrameTable#toText()} and the examples' tables.
 *
 * <p>A table is a header line, a rule of dashes, then one line per row; columns are two spaces
 * apart and trailing spaces are cut. A column whose body cells are numbers (or {@code null} or
 * empty), at least one a number, is right-aligned, header included; any other is left-aligned.
 * Numbers print for reading ({@link #number}): rounded to {@value #DISPLAY_DIGITS} significant
 * digits, then in the shortest form that is that rounded value, plain from 1e-4 up to 1e16 and
 * with an exponent outside ({@code 0.01}, {@code 1}, {@code 3.34573}, {@code 2.5e-07},
 * {@code 1e+16}). Where the text must read back as the very value (CSV, JSON), {@link #exact}
 * gives the shortest round-trip form ({@code 3.345729244286579}). Stateless and thread-safe.
 */
public final class TextTable {
  /** Significant digits a number keeps in a table for reading. */
  public static final int DISPLAY_DIGITS = 6;
  /** A number as {@link #number} and the integer types print it, or NaN and the infinities. */
  private static final Pattern NUMBER =
      Pattern.compile("-?(\\d+(\\.\\d+)?(e[-+]\\d+)?|Infinity)|NaN");

  private TextTable() {}

  /**
   * Returns {@code lines} (the first one the header, all of one length) as aligned text.
   *
   * @throws IllegalArgumentException if {@code lines} is empty or its lines differ in length
   */
  public static String format(List<? extends List<String>> lines) {
    return format(lines, "");
  }

  /**
   * Returns {@code lines} as aligned text as {@link #format(List)} does, every line starting
   * with {@code indent}.
   *
   * @throws IllegalArgumentException if {@code lines} is empty or its lines differ in length
   */
  public static String format(List<? extends List<String>> lines, String indent) {
    requireNonNull(indent, "indent");
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("A text table needs a header line.");
    }
    int m = lines.get(0).size();
    int[] width = new int[m];
    // A column is numeric if every body cell is a number, null or empty, and one is a number.
    boolean[] numeric = new boolean[m];
    boolean[] other = new boolean[m];
    for (int i = 0; i < lines.size(); i++) {
      List<String> line = lines.get(i);
      if (line.size() != m) {
        throw new IllegalArgumentException("Line " + i + " of a text table has " + line.size()
            + " cells; the header has " + m + ".");
      }
      for (int j = 0; j < m; j++) {
        String c = line.get(j);
        width[j] = Math.max(width[j], c.length());
        if (i > 0 && !c.isEmpty() && !c.equals("null")) {
          if (isNumber(c)) {
            numeric[j] = true;
          } else {
            other[j] = true;
          }
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      StringBuilder l = new StringBuilder(indent);
      for (int j = 0; j < m; j++) {
        String c = lines.get(i).get(j);
        String pad = " ".repeat(width[j] - c.length());
        l.append(j > 0 ? "  " : "").append(numeric[j] && !other[j] ? pad + c : c + pad);
      }
      sb.append(l.toString().stripTrailing()).append('\n');
      if (i == 0) {
        StringBuilder rule = new StringBuilder(indent);
        for (int j = 0; j < m; j++) {
          rule.append(j > 0 ? "  " : "").append("-".repeat(width[j]));
        }
        sb.append(rule).append('\n');
      }
    }
    return sb.toString();
  }

  /**
   * Returns a value as a table cell for reading: {@code null} as {@code null}, numbers as {@link
   * #number(double)} (floats as {@link #number(float)}), arrays and nested arrays element by
   * element in brackets, anything else by {@link String#valueOf(Object)}.
   */
  public static String value(Object v) {
    return cell(v, false);
  }

  /** Returns a value as {@link #value} does, but its numbers as {@link #exact(double)}. */
  public static String exactValue(Object v) {
    return cell(v, true);
  }

  private static String cell(Object v, boolean exact) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Double d) {
      return exact ? exact(d) : number(d);
    }
    if (v instanceof Float f) {
      return exact ? exact(f) : number(f);
    }
    if (v.getClass().isArray()) {
      int len = Array.getLength(v);
      List<String> xs = new ArrayList<>(len);
      for (int i = 0; i < len; i++) {
        xs.add(cell(Array.get(v, i), exact));
      }
      return "[" + String.join(", ", xs) + "]";
    }
    return String.valueOf(v);
  }

  /** Returns {@code x} for reading: {@value #DISPLAY_DIGITS} significant digits at most. */
  public static String number(double x) {
    return shortest(x, DISPLAY_DIGITS, r -> r.doubleValue() == x);
  }

  /** Returns {@code x} for reading: {@value #DISPLAY_DIGITS} significant digits at most. */
  public static String number(float x) {
    return shortest(x, DISPLAY_DIGITS, r -> r.floatValue() == x);
  }

  /** Returns the shortest text that {@link Double#parseDouble} reads back as {@code x}. */
  public static String exact(double x) {
    return shortest(x, 17, r -> r.doubleValue() == x);
  }

  /** Returns the shortest text that {@link Float#parseFloat} reads back as {@code x}. */
  public static String exact(float x) {
    return shortest(x, 9, r -> r.floatValue() == x);
  }

  /**
   * Returns the fewest significant digits of {@code x} (at most {@code digits}) that
   * {@code readsBack}, or {@code x} rounded to {@code digits} if none of fewer does.
   */
  private static String shortest(double x, int digits, Predicate<BigDecimal> readsBack) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return Double.toString(x);
    }
    if (x == 0) {
      return 1 / x < 0 ? "-0" : "0";
    }
    BigDecimal exact = new BigDecimal(x);
    for (int p = 1; p < digits; p++) {
      BigDecimal r = exact.round(new MathContext(p));
      if (readsBack.test(r)) {
        return decimal(r);
      }
    }
    return decimal(exact.round(new MathContext(digits)));
  }

  /**
   * Appends {@code fields} to {@code sb} as one CSV record (RFC 4180): comma separated, a field
   * quoted when it holds a comma, a quote or a line break (quotes doubled), ending in CRLF.
   */
  public static void csvLine(StringBuilder sb, List<String> fields) {
    for (int j = 0; j < fields.size(); j++) {
      if (j > 0) {
        sb.append(',');
      }
      String f = fields.get(j);
      if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
        sb.append('"').append(f.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(f);
      }
    }
    sb.append("\r\n");
  }

  /** Returns whether {@code cell} is a number as this class prints numbers (or an integer). */
  static boolean isNumber(String cell) {
    return NUMBER.matcher(cell).matches();
  }

  /** Plain for decimal exponents -4 to 15, else {@code d.ddde±XX} (two exponent digits at least). */
  private static String decimal(BigDecimal r) {
    BigDecimal d = r.stripTrailingZeros();
    int exponent = d.precision() - d.scale() - 1;
    if (exponent >= -4 && exponent < 16) {
      return d.toPlainString();
    }
    String digits = d.unscaledValue().abs().toString();
    StringBuilder sb = new StringBuilder(d.signum() < 0 ? "-" : "");
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    int e = Math.abs(exponent);
    return sb.append('e').append(exponent < 0 ? '-' : '+').append(e < 10 ? "0" : "").append(e)
        .toString();
  }
}
