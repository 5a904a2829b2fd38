package io.memoflow.matrix;

import io.memoflow.testkit.MatrixExprArbitraries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.testkit.MatrixExprArbitraries.Problem;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MatrixCompilerPropertiesTest {

  @Provide
  Arbitrary<Problem> problems() {
    return MatrixExprArbitraries.problems();
  }

  @Provide
  Arbitrary<Problem> smallProblems() {
    return MatrixExprArbitraries.smallProblems();
  }

  @Property(tries = 200)
  void rewrite_preservesValue(@ForAll("problems") Problem p) {
    Cover c = MatrixCompiler.standard().compile(p.outputs());
    Map<MatrixExpr, Matrix> got = MatrixExecutor.run(c, p.values());
    for (MatrixExpr o : p.outputs()) {
      Matrix ref = MatrixEvaluator.evaluate(o, p.values());
      double err = got.get(o).relativeError(ref);
      assertTrue(err <= 1e-9, () -> o + ": relative error " + err + "\n" + c);
    }
  }

  @Property(tries = 200)
  void chosenSteps_conditionsHold(@ForAll("problems") Problem p) {
    RuleSet rules = RuleSet.standard();
    Cover c = MatrixCompiler.standard().compile(p.outputs());
    for (Step s : c.steps()) {
      Rule rule = rules.rules().stream().filter(r -> r.name().equals(s.rule())).findFirst()
          .orElseThrow();
      assertTrue(rule.condition().test(s.bindings()), () -> "rule condition fails: " + s);
      assertTrue(s.op().appliesTo(s.inputs()), () -> "routine condition fails: " + s);
      assertEquals(s.op().outputs(s.inputs()), s.outputs());
    }
  }

  @Property(tries = 100)
  void search_isDeterministic(@ForAll("problems") Problem p) {
    List<Cover> a = MatrixCompiler.standard().covers(p.outputs(), 4);
    List<Cover> b = MatrixCompiler.of(RuleSet.standard()).covers(p.outputs(), 4);
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).composite(), b.get(i).composite());
      assertEquals(a.get(i).steps(), b.get(i).steps());
      assertEquals(a.get(i).cost(), b.get(i).cost());
    }
  }

  @Property(tries = 100)
  void covers_comeInNonDecreasingCost(@ForAll("problems") Problem p) {
    List<Cover> cs = MatrixCompiler.standard().covers(p.outputs(), 6);
    for (int i = 1; i < cs.size(); i++) {
      assertTrue(cs.get(i - 1).cost() <= cs.get(i).cost() + 1e-6);
      assertTrue(!cs.get(i - 1).composite().equals(cs.get(i).composite()));
    }
  }

  @Property(tries = 100)
  void cheapestCover_noCostlierThanExhaustive(@ForAll("smallProblems") Problem p) {
    double brute = Exhaustive.cheapest(RuleSet.standard(), p.outputs(), 200_000);
    Assume.that(!Double.isNaN(brute));
    Cover c = MatrixCompiler.standard().compile(p.outputs());
    assertTrue(c.cost() <= brute + 1e-6, () -> c.cost() + " > " + brute + " for " + p);
    assertEquals(brute, c.cost(), 1e-6); // and it is itself a cover brute force finds
  }
}
