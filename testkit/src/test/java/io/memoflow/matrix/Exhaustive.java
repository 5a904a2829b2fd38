package io.memoflow.matrix;

import io.memoflow.dag.CycleException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Brute force over the search space of {@link MatrixCompiler}: every choice of step for every
 * pending value (same pending order and same usability rules), no pruning. Returns the cost of
 * the cheapest valid (acyclic) cover, or NaN when the budget of visited nodes runs out.
 */
final class Exhaustive {
  private final RuleSet rules;
  private final int budget;
  private int visited;
  private double best = Double.POSITIVE_INFINITY;
  private final List<MatrixExpr> targets;

  private Exhaustive(RuleSet rules, List<MatrixExpr> targets, int budget) {
    this.rules = rules;
    this.targets = targets;
    this.budget = budget;
  }

  static double cheapest(RuleSet rules, List<MatrixExpr> targets, int budget) {
    Exhaustive e = new Exhaustive(rules, targets, budget);
    e.dfs(new ArrayList<>(), new HashSet<>(), new ArrayList<>(targets), 0);
    return e.visited > e.budget ? Double.NaN : e.best;
  }

  private static final Comparator<MatrixExpr> ORDER =
      Comparator.comparingInt((MatrixExpr e) -> -size(e)).thenComparing(MatrixExpr::toString);

  private static int size(MatrixExpr e) {
    int n = 1;
    for (MatrixExpr c : e.children()) {
      n += size(c);
    }
    return n;
  }

  private void dfs(List<Step> chosen, Set<MatrixExpr> avail, List<MatrixExpr> pending, double g) {
    if (++visited > budget) {
      return;
    }
    if (pending.isEmpty()) {
      if (g < best) {
        try {
          new Cover(targets, chosen, g);
          best = g;
        } catch (CycleException e) {
          // not a valid cover
        }
      }
      return;
    }
    pending.sort(ORDER);
    MatrixExpr v = pending.get(0);
    for (Step s : rules.steps(v)) {
      boolean ok = true;
      for (int k = 1; k < s.outputs().size(); k++) {
        ok &= !avail.contains(s.outputs().get(k)) && !pending.contains(s.outputs().get(k));
      }
      if (!ok) {
        continue;
      }
      Set<MatrixExpr> a2 = new HashSet<>(avail);
      a2.addAll(s.outputs());
      List<MatrixExpr> p2 = new ArrayList<>(pending.subList(1, pending.size()));
      for (MatrixExpr in : s.inputs()) {
        if (!in.isLeaf() && !a2.contains(in) && !p2.contains(in)) {
          p2.add(in);
        }
      }
      chosen.add(s);
      dfs(chosen, a2, p2, g + s.cost());
      chosen.remove(chosen.size() - 1);
    }
  }
}
