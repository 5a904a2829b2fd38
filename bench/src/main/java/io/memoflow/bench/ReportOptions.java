package io.memoflow.bench;

import java.util.List;

/**
 * The command line of {@link Report}: {@code [--quick|--full] [--only PREFIX]}.
 *
 * @param full {@code true} for {@code --full} (more repetitions and cases, every size), {@code
 *     false} for {@code --quick} (the default: under three minutes on two cores)
 * @param only print only figures whose name starts with this prefix; empty for all
 */
record ReportOptions(boolean full, String only) {
  static final String USAGE = "usage: memoflow bench [--quick|--full] [--only PREFIX]\n"
      + "  --quick        every headline figure, few repetitions (default; under 3 minutes on 2 cores)\n"
      + "  --full         more repetitions and cases, extra sizes and shapes\n"
      + "  --only PREFIX  only figures whose name starts with PREFIX (e.g. dag., cache.retraceHit)\n";

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

  /**
   * Parses the arguments.
   *
   * @throws IllegalArgumentException naming the argument that is wrong and what to pass instead
   */
  static ReportOptions parse(List<String> args) {
    Boolean full = null;
    String only = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--quick", "--full" -> {
          boolean f = a.equals("--full");
          if (full != null && full != f) {
            throw new IllegalArgumentException("--quick and --full exclude each other: pass one of them.");
          }
          full = f;
        }
        case "--only" -> {
          if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            throw new IllegalArgumentException(
                "--only needs a figure name prefix after it, e.g. --only dag. or --only cache.retraceHit");
          }
          only = setOnce(only, args.get(++i));
        }
        default -> {
          if (a.startsWith("--only=")) {
            String p = a.substring("--only=".length());
            if (p.isEmpty()) {
              throw new IllegalArgumentException(
                  "--only= needs a figure name prefix, e.g. --only=dag. or --only=cache.retraceHit");
            }
            only = setOnce(only, p);
          } else {
            throw new IllegalArgumentException("unknown argument '" + a
                + "': pass --quick, --full or --only PREFIX (see --help).");
          }
        }
      }
    }
    return new ReportOptions(Boolean.TRUE.equals(full), only);
  }

  private static String setOnce(String old, String prefix) {
    if (old != null) {
      throw new IllegalArgumentException(
          "--only given twice ('" + old + "' and '" + prefix + "'): pass one prefix.");
    }
    return prefix;
  }
}
