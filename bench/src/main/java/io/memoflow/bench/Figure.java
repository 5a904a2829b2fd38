package io.memoflow.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One measured figure of {@link Report}: its value and unit at a size, the target the issue
 * sets, whether the value meets it ({@code null} for figures reported without a target), and
 * any details worth printing beside it. Immutable; {@link #toJson()} gives the report's line.
 *
 * @param name dotted name, grouped by module ({@code dag.build}, {@code cache.retraceHit})
 * @param value the measured value, {@code null} when the figure was skipped
 * @param unit the value's unit ({@code ns/computation}, {@code ms}, {@code x})
 * @param size the size measured at: a number (computations, calls, nodes) or a shape
 *     ({@code "2000x200"})
 * @param target the target, in words ({@code "< 1000 ms total"})
 * @param met whether the value meets the target; {@code null} when there is nothing to meet
 * @param details further fields, printed after the others in insertion order
 */
record Figure(String name, Double value, String unit, Object size, String target, Boolean met,
    Map<String, Object> details) {
  private static final ObjectMapper JSON = new ObjectMapper();

  Figure {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(target, "target");
    details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** A figure without a target yet and without details. */
  static Figure of(String name, double value, String unit, Object size) {
    return new Figure(name, value, unit, size, "", null, Map.of());
  }

  /** A figure that could not be measured on this build, saying why. */
  static Figure skipped(String name, String unit, Object size, String target, String why) {
    return new Figure(name, null, unit, size, target, null, Map.of("skipped", why));
  }

  /** Returns this figure with its target and whether the value meets it. */
  Figure target(String text, Boolean isMet) {
    return new Figure(name, value, unit, size, text, isMet, details);
  }

  /** Returns this figure with one more detail (numbers are rounded as values are). */
  Figure with(String key, Object detail) {
    Map<String, Object> d = new LinkedHashMap<>(details);
    d.put(key, detail);
    return new Figure(name, value, unit, size, target, met, d);
  }

  /**
   * Returns the figure as one line of JSON: {@code figure}, {@code value}, {@code unit}, {@code
   * size}, {@code target}, {@code met}, then the details. Values keep every integer digit and
   * at least four significant digits; values that are not finite print as {@code null}.
   */
  String toJson() {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("figure", name);
    line.put("value", round(value));
    line.put("unit", unit);
    line.put("size", size);
    line.put("target", target);
    line.put("met", met);
    details.forEach((k, v) -> line.put(k, v instanceof Double d ? round(d) : v));
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("figure " + name + " has a detail JSON cannot write: " + e.getMessage(), e);
    }
  }

  /** Keeps every integer digit and at least four significant digits; not finite gives null. */
  static Double round(Double v) {
    if (v == null || !Double.isFinite(v)) {
      return null;
    }
    if (v == 0) {
      return 0.0;
    }
    int integerDigits = (int) Math.floor(Math.log10(Math.abs(v))) + 1;
    return new BigDecimal(v).round(new MathContext(Math.max(4, integerDigits + 1))).doubleValue();
  }
}
