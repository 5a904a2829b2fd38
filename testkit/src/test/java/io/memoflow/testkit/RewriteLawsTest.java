package io.memoflow.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import io.memoflow.dag.rewrite.GraphRewrite;
import io.memoflow.dag.rewrite.GraphRewrites;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The laws hold for the library's own rewrites and catch each way a rewrite can break them. */
class RewriteLawsTest {
  private static final Arbitrary<Long> SMALL = Arbitraries.longs().between(-50, 50);

  private static RewriteLaws<Long> laws(GraphRewrite rewrite) {
    return RewriteLaws.of(rewrite, DagArbitraries::evaluate).inputs(SMALL).idempotent().build();
  }

  /** Composites of every family, each requesting a random few of its variables. */
  @Provide
  Arbitrary<CompositeComputation> requesting() {
    return DagArbitraries.graphs().anyShape().sizes(1, 25).composites().flatMap(g ->
        Arbitraries.of(g.variables()).set().ofMaxSize(3).map(g::withOutputs));
  }

  @Provide
  Arbitrary<RewriteLaws.Case<Long>> mergeCases() {
    return laws(GraphRewrites.mergeIdentical()).cases(requesting());
  }

  @Provide
  Arbitrary<RewriteLaws.Case<Long>> deadCases() {
    return laws(GraphRewrites.removeDead()).cases(requesting());
  }

  @Property(tries = 300)
  void mergeIdentical_keepsTheLaws(@ForAll("mergeCases") RewriteLaws.Case<Long> c) {
    laws(GraphRewrites.mergeIdentical()).check(c);
  }

  @Property(tries = 300)
  void removeDead_keepsTheLaws(@ForAll("deadCases") RewriteLaws.Case<Long> c) {
    laws(GraphRewrites.removeDead()).check(c);
  }

  @Property(tries = 200)
  void mergeThenRemoveDead_keepsTheLaws(@ForAll("mergeCases") RewriteLaws.Case<Long> c) {
    laws(GraphRewrites.mergeIdentical().andThen(GraphRewrites.removeDead())).check(c);
  }

  // ------------------------------------------------------------- broken rewrites are caught

  private static final Expr IN0 = Expr.symbol("in0");
  private static final Expr IN1 = Expr.symbol("in1");

  /** {@code (lo, hi) = MinMax(in0, in1); s = Add(lo, in1)}, requesting s and hi. */
  private static CompositeComputation sample() {
    Computation mm = Computation.of(Operation.MIN_MAX, List.of(IN0, IN1),
        List.of(Expr.symbol("lo"), Expr.symbol("hi")));
    Computation add = Computation.of(DagArbitraries.ADD, List.of(Expr.symbol("lo"), IN1),
        List.of(Expr.symbol("s")));
    return CompositeComputation.of(List.of(mm, add), List.of(Expr.symbol("s"), Expr.symbol("hi")));
  }

  private static final Map<Expr, Long> INPUTS = Map.of(IN0, 3L, IN1, 7L);

  private static GraphRewrite mapping(String name, java.util.function.UnaryOperator<Computation> f) {
    return GraphRewrite.of(name, g -> {
      List<Computation> out = new ArrayList<>();
      g.order().forEach(c -> out.add(f.apply(c)));
      return CompositeComputation.of(out, g.requestedOutputs());
    });
  }

  private static AssertionError broken(GraphRewrite rewrite) {
    return assertThrows(AssertionError.class, () -> laws(rewrite).check(sample(), INPUTS));
  }

  @Test
  void aRewriteThatChangesAValue_breaksKeepsValues_showingBothGraphsAsTextAndDot() {
    GraphRewrite swap = mapping("swap-min-max", c -> c.operation() == Operation.MIN_MAX
        ? Computation.of(c.operation(), c.inputs(), List.of(c.outputs().get(1), c.outputs().get(0)))
        : c);
    String m = broken(swap).getMessage();
    assertTrue(m.contains("Rewrite 'swap-min-max' breaks the law \"keeps values\""), m);
    assertTrue(m.contains("was 7 and is 3") || m.contains("was 10 and is 14"), m);
    assertTrue(m.contains("before:") && m.contains("after:") && m.contains("digraph"), m);
    assertTrue(m.contains("inputs "), m);
  }

  @Test
  void aRewriteThatReadsANewGraphInput_breaksKeepsTheGraphValid() {
    GraphRewrite invent = mapping("invent", c -> c.operation() == DagArbitraries.ADD
        ? Computation.of(c.operation(), List.of(c.inputs().get(0), Expr.symbol("extra")),
            c.outputs())
        : c);
    String m = broken(invent).getMessage();
    assertTrue(m.contains("\"keeps the graph valid\"") && m.contains("[extra]"), m);
  }

  @Test
  void aRewriteThatDropsARequest_breaksKeepsTheGraphValid() {
    GraphRewrite forget = GraphRewrite.of("forget", g -> CompositeComputation.of(g.order()));
    String m = broken(forget).getMessage();
    assertTrue(m.contains("\"keeps the graph valid\"") && m.contains("requested outputs"), m);
  }

  @Test
  void aRewriteThatGrowsEachTime_breaksIsIdempotent() {
    GraphRewrite grow = GraphRewrite.of("grow", g -> {
      List<Computation> out = new ArrayList<>(g.order());
      out.add(Computation.of(DagArbitraries.SQUARE, List.of(IN0),
          List.of(Expr.symbol("extra" + g.size()))));
      return CompositeComputation.of(out, g.requestedOutputs());
    });
    String m = broken(grow).getMessage();
    assertTrue(m.contains("\"is idempotent\"") && m.contains("extra3"), m);
  }

  @Test
  void aRewriteThatReplacesTheOperationOfAProtectedVariable_breaksNeverTouches() {
    // Same value, other operation: Add(lo, in1) becomes Fma(lo, 1?, ...) is not expressible
    // without a new input, so MinMax is rebuilt from an operation equal in all but identity.
    Operation minMax2 = Operation.of("MinMax2", List.of("x", "y"), List.of("min", "max"));
    GraphRewrite rename = mapping("rename", c -> c.operation() == Operation.MIN_MAX
        ? Computation.of(minMax2, c.inputs(), c.outputs()) : c);
    RewriteLaws<Long> laws = RewriteLaws.<Long>of(rename, (c, in) -> c.operation() == minMax2
            ? List.of(Math.min(in.get(0), in.get(1)), Math.max(in.get(0), in.get(1)))
            : DagArbitraries.evaluate(c, in))
        .build();
    String m = assertThrows(AssertionError.class, () -> laws.check(sample(), INPUTS)).getMessage();
    assertTrue(m.contains("\"never touches protected variables\"") && m.contains("protected hi"),
        m);
    // Protecting nothing, the same rewrite keeps every law.
    RewriteLaws.<Long>of(rename, (c, in) -> c.operation() == minMax2
            ? List.of(Math.min(in.get(0), in.get(1)), Math.max(in.get(0), in.get(1)))
            : DagArbitraries.evaluate(c, in))
        .protect(v -> false).build().check(sample(), INPUTS);
  }

  @Test
  void aRewriteThatThrows_isReportedWithTheComposite() {
    GraphRewrite boom = GraphRewrite.of("boom", g -> {
      throw new IllegalStateException("no rule for Add");
    });
    String m = broken(boom).getMessage();
    assertTrue(m.contains("the rewrite threw") && m.contains("no rule for Add")
        && m.contains("digraph"), m);
  }

  @Test
  void aMissingInputValue_isRefusedNamingTheInput() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> laws(GraphRewrites.removeDead()).check(sample(), Map.of(IN0, 1L)));
    assertTrue(e.getMessage().contains("No value for graph input in1"), e.getMessage());
  }

  @Test
  void casesWithoutInputValues_sayHowToGiveThem() {
    var laws = RewriteLaws.of(GraphRewrites.removeDead(), DagArbitraries::evaluate).build();
    var e = assertThrows(IllegalStateException.class, () -> laws.cases(DagArbitraries.dags()));
    assertTrue(e.getMessage().contains(".inputs(arbitrary)"), e.getMessage());
  }
}
