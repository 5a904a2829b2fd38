package io.memoflow.inplace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.testkit.PlanSafety;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

class BufferPlannerPropertiesTest {

  @Provide
  Arbitrary<InplaceComposites.Scenario> executables() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 200))
        .as(InplaceComposites::executable);
  }

  @Provide
  Arbitrary<InplaceComposites.Scenario> small() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 12))
        .as((seed, n) -> InplaceComposites.symbolic(seed, n, InplaceComposites.Sizes.MIXED));
  }

  @Provide
  Arbitrary<InplaceComposites.Scenario> equalSizes() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 200))
        .as((seed, n) -> InplaceComposites.symbolic(seed, n, InplaceComposites.Sizes.EQUAL));
  }

  @Provide
  Arbitrary<InplaceComposites.Scenario> mixedSizes() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 200))
        .as((seed, n) -> InplaceComposites.symbolic(seed, n, InplaceComposites.Sizes.MIXED));
  }

  @Property(tries = 300)
  void plan_passesTheChecker(@ForAll("executables") InplaceComposites.Scenario s) {
    s.planner().plan(s.composite()).check();
  }

  @Property(tries = 300)
  void plan_passesTheCheckerWithMixedSizes(@ForAll("mixedSizes") InplaceComposites.Scenario s) {
    BufferPlan plan = s.planner().plan(s.composite()).check();
    assertTrue(plan.peakBytes() >= plan.maxLiveBytes(), plan::toString);
    assertTrue(plan.copies() <= plan.soleReaderRuleCopies(), plan::toString);
  }

  @Property(tries = 300)
  void execute_equalsOutOfPlaceBitForBit(
      @ForAll("executables") InplaceComposites.Scenario s, @ForAll long seed) {
    PlanSafety.check(s.planner().plan(s.composite()), seed);
  }

  @Property(tries = 200)
  void plan_isIdempotent(@ForAll("executables") InplaceComposites.Scenario s) {
    BufferPlan plan = s.planner().plan(s.composite());
    BufferPlan again = s.planner().plan(plan.composite());
    assertEquals(plan, again);
    assertEquals(plan.toString(), again.toString());
  }

  @Property(tries = 200)
  void plan_isIdempotentWithMixedSizes(@ForAll("mixedSizes") InplaceComposites.Scenario s) {
    BufferPlan plan = s.planner().plan(s.composite());
    assertEquals(plan, s.planner().plan(plan.composite()));
  }

  @Property(tries = 300)
  void plan_equalSizesPeakIsTheMaxLiveBound(@ForAll("equalSizes") InplaceComposites.Scenario s) {
    BufferPlan plan = s.planner().plan(s.composite());
    assertEquals(plan.maxLiveBytes(), plan.peakBytes(), plan::toString);
  }

  @Property(tries = 1000)
  @StatisticsReport(onFailureOnly = true)
  void copies_nearTheBruteForceMinimum(@ForAll("small") InplaceComposites.Scenario s) {
    BufferPlan plan = s.planner().plan(s.composite());
    int min = BruteForce.minCopies(s.composite(), s.donated(), s.sizes());
    assertTrue(plan.copies() >= min, () -> "fewer copies than the minimum?\n" + plan);
    assertTrue(plan.copies() <= min + 1, () -> "min " + min + "\n" + s + "\n" + plan);
    Statistics.label("minimal").collect(plan.copies() == min);
    Statistics.label("minimal").coverage(c -> c.check(true).percentage(p -> p >= 99.0));
  }

  /** The figures' "unavoidable copies" is a true lower bound: never above the brute-force minimum. */
  @Property(tries = 300)
  void unavoidableCopies_neverAboveTheBruteForceMinimum(@ForAll("small") InplaceComposites.Scenario s) {
    long unavoidable = InplaceFigures.unavoidableCopies(new Graph(s.composite(), s.sizes(), s.donated()));
    int min = BruteForce.minCopies(s.composite(), s.donated(), s.sizes());
    assertTrue(unavoidable <= min, () -> "unavoidable " + unavoidable + " > min " + min + "\n" + s);
    assertTrue(unavoidable <= s.planner().plan(s.composite()).soleReaderRuleCopies(), s::toString);
  }
}
