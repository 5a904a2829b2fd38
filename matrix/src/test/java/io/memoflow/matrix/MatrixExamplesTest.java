package io.memoflow.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MatrixExamplesTest {

  @Test
  void linearRegression_becomesSyrkGemmPosv() {
    MatrixExamples.Example lr = MatrixExamples.linearRegression(50, 5);
    assertEquals(Set.of("SYRK", "GEMM", "POSV"), Set.copyOf(lr.cover().routines()));
    assertEquals(3, lr.composite().size());
    assertAgreesWithReference(lr);
  }

  @Test
  void kalman_oneDagSharesTheFactorization() {
    MatrixExamples.Example k = MatrixExamples.kalman(6, 3);
    List<String> routines = k.cover().routines();
    assertEquals(1, routines.stream().filter(r -> r.equals("POSV")).count(), routines::toString);
    assertTrue(!routines.contains("GESV"), routines::toString);
    for (Step s : k.cover().steps()) {
      assertTrue(!(s.value() instanceof MatrixExpr.Inverse), "explicit inverse: " + s);
    }
    assertEquals(Set.of(k.outputs().get(0).toExpr(), k.outputs().get(1).toExpr()),
        k.composite().requestedOutputs());
    assertAgreesWithReference(k);
  }

  @Test
  void kalman_isDeterministicAcrossSizes() {
    assertEquals(MatrixExamples.kalman(20, 5).cover().routines(),
        MatrixExamples.kalman(20, 5).cover().routines());
    assertEquals(MatrixExamples.kalman(8, 2).composite(), MatrixExamples.kalman(8, 2).composite());
  }

  @Test
  void linearRegression_rejectsWideX() {
    assertThrows(IllegalArgumentException.class, () -> MatrixExamples.linearRegression(3, 5));
  }

  @Test
  void compile_rejectsLeafOutputAndInconsistentSymbols() {
    MatrixExpr x = MatrixExpr.symbol("X", 3, 3);
    var e = assertThrows(IllegalArgumentException.class, () -> MatrixCompiler.standard().compile(x));
    assertTrue(e.getMessage().contains("is a graph input"), e.getMessage());
    MatrixExpr x2 = MatrixExpr.symbol("X", 3, 3, MatrixProperty.SYMMETRIC);
    e = assertThrows(IllegalArgumentException.class,
        () -> MatrixCompiler.standard().compile(x.times(x2)));
    assertTrue(e.getMessage().startsWith("Symbol X is used as X (3x3) and as X (3x3) [SYMMETRIC]"),
        e.getMessage());
  }

  @Test
  void compile_usesTriangularSolveAndTransposeCopy() {
    MatrixExpr l = MatrixExpr.symbol("L", 4, 4, MatrixProperty.LOWER_TRIANGULAR);
    MatrixExpr b = MatrixExpr.symbol("B", 4, 2);
    assertEquals(List.of("TRSM"), MatrixCompiler.standard().compile(l.inv().times(b)).routines());
    MatrixExpr c = MatrixExpr.symbol("C", 2, 4);
    assertEquals(List.of("COPY", "AXPY"),
        MatrixCompiler.standard().compile(b.t().plus(c)).routines());
  }

  @Test
  void covers_enumerateAlternatives() {
    MatrixExamples.Example lr = MatrixExamples.linearRegression(40, 4);
    List<Cover> cs = MatrixCompiler.standard().covers(lr.outputs(), 5);
    assertEquals(5, cs.size());
    assertEquals(lr.cover().composite(), cs.get(0).composite());
    for (Cover c : cs) {
      Map<MatrixExpr, Matrix> got = MatrixExecutor.run(c, lr.randomValues(3));
      Matrix ref = MatrixEvaluator.evaluate(lr.outputs().get(0), lr.randomValues(3));
      assertTrue(got.get(lr.outputs().get(0)).relativeError(ref) < 1e-9, c::toString);
    }
  }

  static void assertAgreesWithReference(MatrixExamples.Example ex) {
    Map<String, Matrix> values = ex.randomValues(42);
    Map<MatrixExpr, Matrix> got = MatrixExecutor.run(ex.cover(), values);
    for (MatrixExpr o : ex.outputs()) {
      double err = got.get(o).relativeError(MatrixEvaluator.evaluate(o, values));
      assertTrue(err < 1e-9, o + ": " + err);
    }
    // the Expr-keyed entry point the in-place planner uses gives the same values
    var env = MatrixExecutor.run(ex.composite(), ex.randomInputs(42));
    for (MatrixExpr o : ex.outputs()) {
      assertEquals(got.get(o), Matrix.of(o.shape().rows(), o.shape().cols(), env.get(o.toExpr())));
    }
  }
}
