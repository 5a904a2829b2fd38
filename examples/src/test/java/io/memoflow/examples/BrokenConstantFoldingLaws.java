package io.memoflow.examples;

import io.memoflow.dag.Computation;
import io.memoflow.testkit.RewriteLaws;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The laws on a deliberately broken constant folding ({@code Sub(a, b)} folded as {@code b - a}).
 * Not a test of the build (its name matches no test pattern): {@link ConstantFoldingTest} runs
 * it through the JUnit Platform and asserts that it fails on a small shrunk graph.
 */
class BrokenConstantFoldingLaws {

  /** Folds with Sub's arguments the wrong way round. */
  static List<Long> backwards(Computation c, List<Long> in) {
    return c.operation().equals(ConstantFolding.SUB)
        ? List.of(in.get(1) - in.get(0))
        : ConstantFolding.evaluate(c, in);
  }

  private static final RewriteLaws<Long> LAWS =
      ConstantFoldingTest.laws(ConstantFolding.using(BrokenConstantFoldingLaws::backwards));

  @Provide
  Arbitrary<RewriteLaws.Case<Long>> cases() {
    return LAWS.cases(ConstantFoldingTest.graphs());
  }

  @Property(tries = 1000)
  void backwardsFolding_keepsTheLaws(@ForAll("cases") RewriteLaws.Case<Long> c) {
    LAWS.check(c);
  }
}
