package io.memoflow.dag.rewrite;

import io.memoflow.dag.Computation;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Expr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The generic {@link GraphRewrite}s. Stateless and thread-safe. */
public final class GraphRewrites {
  private GraphRewrites() {}

  private static final GraphRewrite MERGE = GraphRewrite.of("merge-identical", GraphRewrites::merge);
  private static final GraphRewrite DEAD = GraphRewrite.of("remove-dead", GraphRewrites::dead);

  /**
   * Returns the rewrite that merges computations applying one operation to the same inputs:
   * readers of the duplicate's outputs read the survivor's instead (cascading, so whole
   * duplicated chains merge). A computation whose outputs include an output of the composite is
   * never dropped, so {@link CompositeComputation#outputs()} stay put.
   */
  public static GraphRewrite mergeIdentical() {
    return MERGE;
  }

  /**
   * Returns the rewrite that removes computations not needed for the requested outputs (see
   * {@link CompositeComputation#withOutputs}); a composite with no requested outputs is kept.
   */
  public static GraphRewrite removeDead() {
    return DEAD;
  }

  private record Key(Object operation, List<Expr> inputs) {}

  private static CompositeComputation merge(CompositeComputation g) {
    Set<Expr> protectedVars = new HashSet<>(g.outputs());
    Map<Expr, Expr> renamed = new HashMap<>();
    Map<Key, Computation> survivors = new HashMap<>();
    List<Computation> kept = new ArrayList<>();
    boolean changed = false;
    for (Computation c : g.order()) {
      List<Expr> ins = new ArrayList<>(c.inputs().size());
      for (Expr in : c.inputs()) {
        ins.add(renamed.getOrDefault(in, in));
      }
      Computation c2 = ins.equals(c.inputs()) ? c : Computation.of(c.operation(), ins, c.outputs());
      changed |= c2 != c;
      Key key = new Key(c.operation(), ins);
      Computation s = survivors.get(key);
      if (s != null && c.outputs().stream().noneMatch(protectedVars::contains)) {
        for (int k = 0; k < c.outputs().size(); k++) {
          renamed.put(c.outputs().get(k), s.outputs().get(k));
        }
        changed = true;
        continue;
      }
      survivors.putIfAbsent(key, c2);
      kept.add(c2);
    }
    return changed ? CompositeComputation.of(kept, g.requestedOutputs()) : g;
  }

  private static CompositeComputation dead(CompositeComputation g) {
    if (g.requestedOutputs().isEmpty()) {
      return g;
    }
    CompositeComputation p = g.prune(g.requestedOutputs());
    return p.equals(g) ? g : p;
  }
}
