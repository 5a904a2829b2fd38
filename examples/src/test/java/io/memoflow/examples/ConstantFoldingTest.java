package io.memoflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.testkit.DagArbitraries;
import io.memoflow.testkit.RewriteLaws;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A user's rewrite property-tested with the testkit: constant folding keeps the laws on random
 * arithmetic graphs of every shape; a variant that folds {@code Sub} backwards breaks them, and
 * jqwik shrinks the graph that shows it to a couple of computations.
 */
class ConstantFoldingTest {

  /** The laws of folding, drawn on arithmetic graphs with constants among their inputs. */
  static RewriteLaws<Long> laws(io.memoflow.dag.rewrite.GraphRewrite folding) {
    return RewriteLaws.of(folding, ConstantFolding::evaluate)
        .inputs(Arbitraries.longs().between(-9, 9))
        .idempotent()
        .build();
  }

  static Arbitrary<CompositeComputation> graphs() {
    return DagArbitraries.graphs().operations(ConstantFolding.OPERATIONS).anyShape()
        .constants(0, 5).sizes(1, 20).composites();
  }

  @Provide
  Arbitrary<RewriteLaws.Case<Long>> cases() {
    return laws(ConstantFolding.rewrite()).cases(graphs());
  }

  @Property(tries = 500)
  void folding_keepsTheLaws(@ForAll("cases") RewriteLaws.Case<Long> c) {
    laws(ConstantFolding.rewrite()).check(c);
  }

  @Test
  void foldingSubBackwards_breaksKeepsValues_onAShrunkGraphOfAFewComputations() {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(BrokenConstantFoldingLaws.class)).build(), listener);
    TestExecutionSummary summary = listener.getSummary();
    assertEquals(1, summary.getTestsFailedCount(), "the broken variant must fail its property");
    Throwable failure = summary.getFailures().get(0).getException();
    String m = failure.getMessage();
    assertTrue(m.contains("Rewrite 'fold-constants' breaks the law \"keeps values\""), m);
    // Shrunk from up to 20 computations to the few that show it, Sub among them.
    String before = m.substring(m.indexOf("before:\n") + 8, m.indexOf("requested "));
    long computations = before.lines().count();
    assertTrue(computations <= 6 && before.contains("Sub("), m);
    assertTrue(m.contains("digraph memoflow {"), m);
  }
}
