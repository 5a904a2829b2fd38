package io.memoflow.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Expr;
import io.memoflow.dag.rewrite.GraphRewrite;
import io.memoflow.dag.rewrite.GraphRewrites;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class GraphRewritesPropertiesTest {

  /** A random composite of GEMM, AXPY and COPY on n x n matrices, with duplicated steps. */
  record Program(CompositeComputation g, Map<Expr, double[]> inputs) {
    @Override
    public String toString() {
      return g.toString();
    }
  }

  @Provide
  Arbitrary<Program> programs() {
    return Arbitraries.longs().map(GraphRewritesPropertiesTest::program);
  }

  static Program program(long seed) {
    Random r = new Random(seed);
    int n = 2 + r.nextInt(2);
    List<Expr> vars = new ArrayList<>();
    Map<Expr, double[]> inputs = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      Expr x = Expr.symbol("x" + i);
      vars.add(x);
      double[] v = new double[n * n];
      for (int j = 0; j < v.length; j++) {
        v[j] = 2 * r.nextDouble() - 1;
      }
      inputs.put(x, v);
    }
    List<Computation> cs = new ArrayList<>();
    int steps = 3 + r.nextInt(7);
    for (int s = 0; s < steps; s++) {
      Expr out = Expr.symbol("v" + s);
      Computation c;
      int kind = cs.isEmpty() ? 0 : r.nextInt(5);
      if (kind == 4) { // a duplicate of an earlier step
        Computation d = cs.get(r.nextInt(cs.size()));
        c = Computation.of(d.operation(), d.inputs(), List.of(out));
      } else if (kind == 0 || kind == 1) {
        boolean withC = kind == 1;
        LibraryOp.Gemm op = new LibraryOp.Gemm(r.nextBoolean(), r.nextBoolean(), n, n, n,
            new double[] {1, -1, 2}[r.nextInt(3)], withC ? 0.5 : 0);
        List<Expr> ins = new ArrayList<>(List.of(pick(vars, r), pick(vars, r)));
        if (withC) {
          ins.add(pick(vars, r));
        }
        c = Computation.of(op, ins, List.of(out));
      } else if (kind == 2) {
        c = Computation.of(new LibraryOp.Axpy(n, n, new double[] {1, -1, 3}[r.nextInt(3)]),
            List.of(pick(vars, r), pick(vars, r)), List.of(out));
      } else {
        c = Computation.of(new LibraryOp.Copy(n, n, true), List.of(pick(vars, r)), List.of(out));
      }
      cs.add(c);
      vars.add(out);
    }
    LinkedHashSet<Expr> requested = new LinkedHashSet<>();
    for (int i = 3; i < vars.size(); i++) {
      if (r.nextInt(3) == 0) {
        requested.add(vars.get(i));
      }
    }
    requested.add(vars.get(vars.size() - 1));
    return new Program(CompositeComputation.of(cs, requested), inputs);
  }

  private static Expr pick(List<Expr> vars, Random r) {
    // favour recent variables so chains (GEMM then AXPY) are common
    int i = vars.size() - 1 - Math.min(vars.size() - 1, (int) Math.abs(r.nextGaussian() * 2));
    return vars.get(i);
  }

  static final List<GraphRewrite> REWRITES = List.of(
      GraphRewrites.mergeIdentical(),
      GraphRewrites.removeDead(),
      MatrixRewrites.fuseGemmAxpy(),
      GraphRewrites.mergeIdentical().andThen(MatrixRewrites.fuseGemmAxpy())
          .andThen(GraphRewrites.removeDead()).toFixpoint());

  @Property(tries = 300)
  void rewrites_keepOutputValues(@ForAll("programs") Program p) {
    Map<Expr, double[]> before = MatrixExecutor.run(p.g(), p.inputs());
    for (GraphRewrite rw : REWRITES) {
      CompositeComputation h = rw.apply(p.g());
      assertEquals(p.g().requestedOutputs(), h.requestedOutputs(), rw.name());
      Map<Expr, double[]> after = MatrixExecutor.run(h, p.inputs());
      for (Expr o : p.g().requestedOutputs()) {
        int n = (int) Math.round(Math.sqrt(before.get(o).length));
        Matrix b = Matrix.of(n, n, before.get(o));
        Matrix a = Matrix.of(n, n, after.get(o));
        assertTrue(a.relativeError(b) < 1e-12, rw.name() + " changed " + o + "\n" + p + "->\n" + h);
      }
      assertTrue(h.size() <= p.g().size(), rw.name());
    }
  }

  @Property(tries = 100)
  void rewrites_areIdempotentAtFixpoint(@ForAll("programs") Program p) {
    GraphRewrite all = REWRITES.get(3);
    CompositeComputation once = all.apply(p.g());
    assertEquals(once, all.apply(once));
  }

  @Test
  void mergeIdentical_mergesDuplicatedChain() {
    Program p = program(1);
    Expr x = Expr.symbol("x0");
    LibraryOp.Gemm g = new LibraryOp.Gemm(false, false, 2, 2, 2, 1, 0);
    LibraryOp.Axpy a = new LibraryOp.Axpy(2, 2, 1);
    CompositeComputation c = CompositeComputation.of(List.of(
        Computation.of(g, List.of(x, x), List.of(Expr.symbol("p"))),
        Computation.of(g, List.of(x, x), List.of(Expr.symbol("q"))),
        Computation.of(a, List.of(Expr.symbol("p"), x), List.of(Expr.symbol("r"))),
        Computation.of(a, List.of(Expr.symbol("q"), x), List.of(Expr.symbol("s"))),
        Computation.of(a, List.of(Expr.symbol("r"), Expr.symbol("s")), List.of(Expr.symbol("t")))));
    CompositeComputation m = GraphRewrites.mergeIdentical().apply(c);
    assertEquals(3, m.size(), m::toString);
    assertTrue(p.g().size() > 0);
  }

  @Test
  void fuseGemmAxpy_producesGemmWithC() {
    Expr x = Expr.symbol("x");
    Expr y = Expr.symbol("y");
    CompositeComputation c = CompositeComputation.of(List.of(
        Computation.of(new LibraryOp.Gemm(true, false, 2, 2, 2, 2, 0), List.of(x, x), List.of(Expr.symbol("p"))),
        Computation.of(new LibraryOp.Axpy(2, 2, -1), List.of(Expr.symbol("p"), y), List.of(Expr.symbol("z")))));
    CompositeComputation f = MatrixRewrites.fuseGemmAxpy().apply(c);
    assertEquals(1, f.size());
    Computation only = f.order().get(0);
    assertEquals(new LibraryOp.Gemm(true, false, 2, 2, 2, -2, 1), only.operation());
    assertEquals(List.of(x, x, y), only.inputs());
    assertEquals(List.of(Expr.symbol("z")), only.outputs());
    assertEquals("fuse-gemm-axpy", MatrixRewrites.fuseGemmAxpy().name());
  }
}
