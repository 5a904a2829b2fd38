package io.memoflow.bench;

import java.util.function.Consumer;

/**
 * The figures of one module, measured together by {@link Report} (they share warm-up and set-up).
 * Implementations have a public no-argument constructor.
 */
interface FigureGroup {
  /** The prefix every figure name of this group starts with, e.g. {@code "dag."}. */
  String prefix();

  /** Measures the group's figures and hands each to {@code out} as soon as it is known. */
  void measure(ReportOptions options, Consumer<Figure> out) throws Exception;
}
