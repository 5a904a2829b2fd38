package io.memoflow.cache.version;

import java.util.ArrayList;
import java.util.List;

/*
 * Overview: a line diff by longest common subsequence (the textbook dynamic programme, O(n*m)),
 * good enough for method listings of a few hundred lines. Unchanged runs longer than the context
 * are folded into "...".
 */
/** Appends readable line diffs of two listings. */
final class LineDiff {
  static final int CONTEXT = 2;

  private LineDiff() {}

  /** Appends every line of {@code text} with a prefix. */
  static void appendAll(StringBuilder sb, String prefix, String text) {
    for (String line : lines(text)) {
      sb.append("    ").append(prefix).append(line).append('\n');
    }
  }

  /** Appends the lines of {@code a} and {@code b} that differ, with context. */
  static void append(StringBuilder sb, String a, String b) {
    List<String> x = lines(a);
    List<String> y = lines(b);
    int n = x.size();
    int m = y.size();
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] = x.get(i).equals(y.get(j))
            ? lcs[i + 1][j + 1] + 1
            : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> out = new ArrayList<>();
    List<Boolean> changed = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && x.get(i).equals(y.get(j))) {
        out.add("  " + x.get(i));
        changed.add(false);
        i++;
        j++;
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        out.add("- " + x.get(i++));
        changed.add(true);
      } else {
        out.add("+ " + y.get(j++));
        changed.add(true);
      }
    }
    boolean folded = false;
    for (int k = 0; k < out.size(); k++) {
      if (near(changed, k)) {
        sb.append("    ").append(out.get(k)).append('\n');
        folded = false;
      } else if (!folded) {
        sb.append("    ...\n");
        folded = true;
      }
    }
  }

  private static boolean near(List<Boolean> changed, int k) {
    for (int d = Math.max(0, k - CONTEXT); d <= Math.min(changed.size() - 1, k + CONTEXT); d++) {
      if (changed.get(d)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      out.add(line);
    }
    if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }
}
