package io.memoflow.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Covers that share a factorization compute what the plain evaluation does. */
class FactorValuesPropertiesTest {

  private static void assertCoverMatches(List<MatrixExpr> outputs, long seed) {
    Cover c = MatrixCompiler.standard().compile(outputs);
    Random r = new Random(seed);
    Map<String, Matrix> values = new HashMap<>();
    for (MatrixExpr o : outputs) {
      for (MatrixExpr.Symbol s : o.symbols()) {
        values.computeIfAbsent(s.name(), n -> Matrix.random(s, r));
      }
    }
    Map<MatrixExpr, Matrix> got = MatrixExecutor.run(c, values);
    for (MatrixExpr o : outputs) {
      double err = got.get(o).relativeError(MatrixEvaluator.evaluate(o, values));
      assertTrue(err <= 1e-8, () -> o + ": relative error " + err + "\n" + c);
    }
  }

  @Property(tries = 60)
  void solvesWithOneMatrix_shareItsFactorization(
      @ForAll @IntRange(min = 1, max = 12) int n, @ForAll @IntRange(min = 1, max = 5) int k1,
      @ForAll @IntRange(min = 1, max = 5) int k2, @ForAll boolean spd, @ForAll long seed) {
    MatrixExpr a = MatrixExpr.symbol("A", n, n,
        spd ? MatrixProperty.POSITIVE_DEFINITE : MatrixProperty.FULL_RANK);
    MatrixExpr b = MatrixExpr.symbol("B", n, k1);
    MatrixExpr c = MatrixExpr.symbol("C", n, k2);
    List<MatrixExpr> outputs = List.of(a.inv().times(b), a.inv().times(c));
    assertCoverMatches(outputs, seed);
    long factorizations = MatrixCompiler.standard().compile(outputs).steps().stream()
        .filter(s -> List.of("GETRF", "POTRF", "GESV", "POSV").contains(s.op().name())).count();
    assertEquals(1, factorizations);
  }

  @Property(tries = 60)
  void quadraticFormsInAnInverse_evaluateAsWritten(
      @ForAll @IntRange(min = 1, max = 12) int n, @ForAll @IntRange(min = 1, max = 6) int k,
      @ForAll long seed) {
    MatrixExpr s = MatrixExpr.symbol("S", n, n, MatrixProperty.POSITIVE_DEFINITE);
    MatrixExpr x = MatrixExpr.symbol("X", n, k);
    MatrixExpr y = MatrixExpr.symbol("y", n, 1);
    assertCoverMatches(List.of(x.t().times(s.inv()).times(x), x.t().times(s.inv()).times(y)), seed);
  }
}
