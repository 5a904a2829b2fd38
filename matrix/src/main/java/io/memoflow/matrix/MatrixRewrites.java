package io.memoflow.matrix;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Expr;
import io.memoflow.dag.rewrite.GraphRewrite;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Graph rewrites specific to library routines. Stateless and thread-safe. */
public final class MatrixRewrites {
  private MatrixRewrites() {}

  private static final GraphRewrite FUSE = GraphRewrite.of("fuse-gemm-axpy", MatrixRewrites::fuse);

  /**
   * Returns the rewrite that fuses a GEMM without {@code C} ({@code P = alpha op(A) op(B)})
   * whose only reader is an AXPY into one GEMM with {@code C}: {@code AXPY(a, P, Y)} becomes
   * {@code GEMM(alpha a, A, B, 1, Y)} and {@code AXPY(a, X, P)} becomes {@code GEMM(alpha, A, B,
   * a, X)}, keeping the AXPY's output variable. {@code P} must not be an output of the
   * composite. Applied once per GEMM, in order; use {@link GraphRewrite#toFixpoint()} for
   * chains.
   */
  public static GraphRewrite fuseGemmAxpy() {
    return FUSE;
  }

  private static CompositeComputation fuse(CompositeComputation g) {
    Set<Expr> outputs = new HashSet<>(g.outputs());
    Set<Computation> removed = new HashSet<>();
    List<Computation> added = new ArrayList<>();
    for (Computation c : g.order()) {
      if (removed.contains(c) || !(c.operation() instanceof LibraryOp.Gemm gemm) || gemm.hasC()) {
        continue;
      }
      Expr p = c.outputs().get(0);
      List<Computation> readers = g.consumersOf(p);
      if (outputs.contains(p) || readers.size() != 1
          || !(readers.get(0).operation() instanceof LibraryOp.Axpy axpy)
          || removed.contains(readers.get(0))) {
        continue;
      }
      Computation r = readers.get(0);
      Expr x = r.inputs().get(0);
      Expr y = r.inputs().get(1);
      if (x.equals(y)) {
        continue; // AXPY(a, P, P): P read twice
      }
      double alpha;
      double beta;
      Expr cIn;
      if (x.equals(p)) {
        alpha = gemm.alpha() * axpy.alpha();
        beta = 1;
        cIn = y;
      } else {
        alpha = gemm.alpha();
        beta = axpy.alpha();
        cIn = x;
      }
      if (alpha == 0 || beta == 0) {
        continue;
      }
      LibraryOp.Gemm fused = new LibraryOp.Gemm(
          gemm.transA(), gemm.transB(), gemm.m(), gemm.n(), gemm.k(), alpha, beta);
      removed.add(c);
      removed.add(r);
      added.add(Computation.of(
          fused, List.of(c.inputs().get(0), c.inputs().get(1), cIn), r.outputs()));
    }
    if (removed.isEmpty()) {
      return g;
    }
    List<Computation> kept = new ArrayList<>();
    for (Computation c : g.order()) {
      if (!removed.contains(c)) {
        kept.add(c);
      }
    }
    kept.addAll(added);
    return CompositeComputation.of(kept, g.requestedOutputs());
  }
}
