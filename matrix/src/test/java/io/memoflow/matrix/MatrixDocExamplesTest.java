package io.memoflow.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Expr;
import io.memoflow.dag.rewrite.GraphRewrite;
import io.memoflow.dag.rewrite.GraphRewrites;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The snippets of matrix/README.md, line for line (ReadmeSnippetsTest in examples holds the
 * README to this file), each followed by the check of what its comment says.
 */
class MatrixDocExamplesTest {

  @Test
  void readmeExamples() {
    MatrixExpr X = MatrixExpr.symbol("X", 100, 5, MatrixProperty.FULL_RANK);
    MatrixExpr y = MatrixExpr.symbol("y", 100, 1);
    MatrixExpr beta = X.t().times(X).inv().times(X.t()).times(y);
    beta.toString();            // (X^T * X)^-1 * X^T * y
    assertEquals("(X^T * X)^-1 * X^T * y", beta.toString());
    X.t().times(X).toExpr();    // Mul(Transpose(X), X): the variable's name in a composite
    assertEquals("Mul(Transpose(X), X)", X.t().times(X).toExpr().toString());
    Facts.isPositiveDefinite(X.t().times(X));   // true: X has full column rank
    assertTrue(Facts.isPositiveDefinite(X.t().times(X)));

    Rule posv = Rule.of("posv",
        ExprPattern.product(ExprPattern.inverse(ExprPattern.any("A")), ExprPattern.any("B")),
        b -> Facts.isPositiveDefinite(b.matrix("A")),
        (b, v) -> Rule.call(new LibraryOp.Posv(v.shape().rows(), v.shape().cols()),
            b.matrix("A"), b.matrix("B")));
    assertEquals(1, RuleSet.of(List.of(posv)).steps(X.t().times(X).inv().times(X.t().times(y))).size());

    Cover c = MatrixCompiler.standard().compile(beta);
    c.routines();                    // [SYRK, GEMM, POSV] in topological order
    assertEquals(List.of("SYRK", "GEMM", "POSV"), c.routines());
    CompositeComputation dag = c.composite();
    assertEquals(3, dag.size());
    List<Cover> top3 = MatrixCompiler.standard().covers(List.of(beta), 3);
    assertEquals(3, top3.size());

    Map<String, Matrix> values = Map.of(
        "X", Matrix.random((MatrixExpr.Symbol) X, new Random(1)),
        "y", Matrix.random((MatrixExpr.Symbol) y, new Random(2)));
    Matrix fast = MatrixExecutor.run(c, values).get(beta);
    Matrix ref = MatrixEvaluator.evaluate(beta, values);
    fast.relativeError(ref);         // about 1e-15
    assertTrue(fast.relativeError(ref) < 1e-12);

    GraphRewrite tidy = GraphRewrites.mergeIdentical()
        .andThen(MatrixRewrites.fuseGemmAxpy())
        .andThen(GraphRewrites.removeDead())
        .toFixpoint();
    assertEquals(dag, tidy.apply(dag));
    assertTrue(dag.outputs().contains(beta.toExpr()));
    assertTrue(dag.inputs().contains(Expr.symbol("X")));
  }

  @Test
  void chainExample() {
    MatrixExpr chain = MatrixExpr.symbol("A1", 30, 35);
    int[] dims = {35, 15, 5, 10, 20, 25};
    for (int i = 1; i < dims.length; i++) {
      chain = chain.times(MatrixExpr.symbol("A" + (i + 1), dims[i - 1], dims[i]));
    }
    Cover best = MatrixCompiler.standard().compile(chain);   // ((A1 (A2 A3)) ((A4 A5) A6))
    assertEquals(2 * 15125 + 5 * LibraryOp.CALL_OVERHEAD, best.cost());
    try {
      MatrixCompiler.standard().maxStates(3).compile(MatrixExamples.kalman(6, 3).outputs());
      fail("3 states cannot cover the Kalman update");
    } catch (SearchLimitException e) {
      e.lowerBound();   // the cost every cover reaches at least: how far the search got
      assertTrue(e.lowerBound() > 0 && e.states() == 3);
    }
  }

  @Test
  void kalman_factorizesSOnce_andCostsNoMoreThanTheSixCallCover() {
    MatrixExamples.Example k = MatrixExamples.kalman(10, 4);
    RuleSet noFactorValues = RuleSet.standard().without(RuleSet.FACTORIZATION_RULES);
    Cover sixCalls = MatrixCompiler.of(noFactorValues).compile(k.outputs());
    assertEquals(6, sixCalls.composite().size());
    assertTrue(k.cover().cost() <= sixCalls.cost(), () -> k.cover() + " vs\n" + sixCalls);
    long onS = k.cover().steps().stream()
        .filter(s -> List.of("POSV", "POTRF", "GESV", "GETRF").contains(s.op().name())).count();
    assertEquals(1, onS, k.cover()::toString);
  }

  @Test
  void twoSolvesWithOneMatrix_shareOneFactorization() {
    MatrixExpr a = MatrixExpr.symbol("A", 500, 500, MatrixProperty.FULL_RANK);
    MatrixExpr b = MatrixExpr.symbol("B", 500, 50);
    MatrixExpr c = MatrixExpr.symbol("C", 500, 30);
    Cover shared = MatrixCompiler.standard().compile(a.inv().times(b), a.inv().times(c));
    assertEquals(List.of("GETRF", "GETRS", "GETRS"), shared.routines());
    double twoGesv = new LibraryOp.Gesv(500, 50).cost() + new LibraryOp.Gesv(500, 30).cost();
    double explicit = MatrixCompiler.of(RuleSet.standard().without(RuleSet.FACTORIZATION_RULES))
        .compile(a.inv().times(b), a.inv().times(c)).cost();
    assertTrue(shared.cost() < twoGesv && twoGesv < explicit, shared + " " + twoGesv + " " + explicit);
    MatrixExpr s = MatrixExpr.symbol("S", 500, 500, MatrixProperty.POSITIVE_DEFINITE);
    MatrixExpr x = MatrixExpr.symbol("X", 500, 20);
    Cover split = MatrixCompiler.standard().compile(x.t().times(s.inv()).times(x));   // X^T S^-1 X
    split.routines();                // [POTRF, TRSM, SYRK]
    assertEquals(List.of("POTRF", "TRSM", "SYRK"), split.routines());
  }

}
