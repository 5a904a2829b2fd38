package io.memoflow.bench;

/**
 * What {@link BenchCommand}'s options ask the {@link Report} for.
 *
 * @param full {@code true} for {@code --full} (more repetitions and cases, every size), {@code
 *     false} for {@code --quick} (the default: under three minutes on two cores)
 * @param only print only figures whose name starts with this prefix; empty for all
 */
record ReportOptions(boolean full, String only) {
  ReportOptions {
    if (only == null) {
      only = "";
    }
  }

  /** Returns {@code true} in quick mode. */
  boolean quick() {
    return !full;
  }

  /** Picks the quick or the full count. */
  int pick(int quickCount, int fullCount) {
    return full ? fullCount : quickCount;
  }

  /** Whether a figure of this name is printed. */
  boolean wants(String figure) {
    return figure.startsWith(only);
  }

  /**
   * Whether a group whose figures all start with {@code groupPrefix} has anything to print:
   * the prefix asked for is within the group's, or the group's within it.
   */
  boolean wantsGroup(String groupPrefix) {
    return groupPrefix.startsWith(only) || only.startsWith(groupPrefix);
  }

  /**
   * Whether any of the figures named (or any figure whose name starts with one of them) is
   * printed: lets a group skip work whose figures nobody asked for.
   */
  boolean wantsAny(String... figures) {
    for (String f : figures) {
      if (wantsGroup(f)) {
        return true;
      }
    }
    return false;
  }
}
