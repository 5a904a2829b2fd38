package io.memoflow.dag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The bulk path on graphs large enough to be split into many hash partitions, with equal
 * expressions that are different objects and names whose hash codes collide.
 */
class BulkPathTest {
  private static final Operation ADD = Operation.of("Add", List.of("a", "b"), List.of("sum"));
  private static final Operation SQUARE = Operation.of("Square", List.of("x"), List.of("sq"));

  /**
   * A random DAG of {@code size} computations over symbols and applications; a reader often
   * holds a copy of its variable (equal, not the same object). Names start with "Aa" or "BB",
   * which have one hash code, so variables share hashes in pairs.
   */
  static List<Computation> randomGraph(int size, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Expr> vars = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      vars.add(Expr.symbol("in" + i));
    }
    vars.add(Expr.constant(2));
    List<Computation> out = new ArrayList<>(size);
    java.util.Set<Computation> seen = new java.util.HashSet<>();
    for (int s = 0; s < size; s++) {
      Expr a = copy(vars.get(rnd.nextInt(vars.size())), rnd);
      Expr b = copy(vars.get(rnd.nextInt(vars.size())), rnd);
      Computation c = switch (rnd.nextInt(3)) {
        case 0 -> Computation.of(Operation.MIN_MAX, a, b); // outputs Min(a, b), Max(a, b)
        case 1 -> Computation.of(ADD, List.of(a, b), List.of(Expr.symbol(collidingName(s))));
        default -> Computation.of(SQUARE, List.of(a), List.of(Expr.symbol("sq" + s)));
      };
      if (seen.add(c)) { // no duplicate: the bulk path takes these graphs whole
        out.add(c);
        vars.addAll(c.outputs());
      }
    }
    return out;
  }

  /** "Aa" + s and "BB" + s share one hash code: every other name collides with another. */
  private static String collidingName(int s) {
    return ((s & 1) == 0 ? "Aa" : "BB") + (s >> 1);
  }

  private static Expr copy(Expr e, SplittableRandom rnd) {
    if (rnd.nextBoolean()) {
      return e;
    }
    if (e instanceof Expr.Symbol s) {
      return Expr.symbol(new String(s.name().toCharArray()));
    }
    if (e instanceof Expr.Apply a) {
      List<Expr> args = new ArrayList<>();
      for (Expr x : a.args()) {
        args.add(copy(x, rnd));
      }
      return Expr.apply(new String(a.op().toCharArray()), args);
    }
    return e;
  }

  /** Asserts that the bulk and general paths build the same composite or throw the same error. */
  static void assertSameOutcome(List<Computation> given) {
    CompositeComputation bulk;
    try {
      bulk = CompositeComputation.of(given);
    } catch (IllegalArgumentException e) {
      IllegalArgumentException general = assertThrows(
          IllegalArgumentException.class,
          () -> CompositeAssembly.assembleGeneral(given.toArray(new Computation[0]), List.of()));
      assertEquals(general.getClass(), e.getClass());
      assertEquals(general.getMessage(), e.getMessage());
      return;
    }
    CompositeComputation general =
        CompositeAssembly.assembleGeneral(given.toArray(new Computation[0]), List.of());
    assertEquals(general.order(), bulk.order());
    assertEquals(general.inputs(), bulk.inputs());
    assertEquals(general.outputs(), bulk.outputs());
    for (int q = 0; q < bulk.size(); q++) {
      assertArrayEquals(general.predecessorIndices(q), bulk.predecessorIndices(q));
    }
  }

  @Test
  void largeGraph_inGivenOrder_sameAsGeneralPath() {
    List<Computation> g = randomGraph(30_000, 1);
    assertTrue(BulkResolver.resolve(g.toArray(new Computation[0])) != null, "bulk path taken");
    assertSameOutcome(g);
    assertEquals(g, CompositeComputation.of(g).order()); // topological already: kept as given
  }

  @Test
  void largeGraph_shuffled_sameAsGeneralPath() {
    List<Computation> g = randomGraph(30_000, 2);
    Collections.shuffle(g, new java.util.Random(3));
    assertTrue(BulkResolver.resolve(g.toArray(new Computation[0])) != null, "bulk path taken");
    assertSameOutcome(g);
  }

  @Test
  void largeGraph_withDuplicates_keepsEachOnce() {
    List<Computation> g = randomGraph(20_000, 4);
    List<Computation> twice = new ArrayList<>(g);
    twice.addAll(g.subList(100, 200));
    assertSameOutcome(twice);
    assertEquals(g, CompositeComputation.of(twice).order());
  }

  @Test
  void largeGraph_withSecondProducer_namesBoth() {
    List<Computation> g = randomGraph(20_000, 5);
    Computation victim = g.get(12_345);
    Expr taken = victim.outputs().get(0);
    Computation intruder = Computation.of(SQUARE, List.of(Expr.symbol("in0")), List.of(taken));
    g.add(intruder);
    assertSameOutcome(g);
    var e = assertThrows(IllegalArgumentException.class, () -> CompositeComputation.of(g));
    assertTrue(e.getMessage().contains(victim.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(intruder.toString()), e.getMessage());
  }

  @Test
  void largeGraph_withCycle_namesIt() {
    List<Computation> g = randomGraph(20_000, 6);
    // The first computation now reads the output of the last one that depends on it (or itself).
    Computation first = g.get(0);
    Computation last = CompositeComputation.of(g).downstream(first.outputs()).order().stream()
        .reduce((x, y) -> y).orElse(first);
    List<Expr> ins = new ArrayList<>(first.inputs());
    ins.set(0, last.outputs().get(0));
    g.set(0, Computation.of(first.operation(), ins, first.outputs()));
    assertSameOutcome(g);
    var e = assertThrows(IllegalArgumentException.class, () -> CompositeComputation.of(g));
    assertInstanceOf(CycleException.class, e);
  }

  @Test
  void collidingHashes_resolveByEquality() {
    Expr aa = Expr.symbol("Aa"), bb = Expr.symbol("BB");
    assertEquals(aa.hashCode(), bb.hashCode());
    Computation makeAa = Computation.of(SQUARE, List.of(Expr.symbol("x")), List.of(aa));
    Computation readBb = Computation.of(ADD, List.of(bb, Expr.symbol("Aa")), List.of(Expr.symbol("s")));
    CompositeComputation g = CompositeComputation.of(List.of(readBb, makeAa));
    assertEquals(List.of(makeAa, readBb), g.order());
    assertEquals(List.of(Expr.symbol("x"), bb), g.inputs());
    assertEquals(List.of(makeAa), g.predecessors(readBb));
  }

  @Test
  void collidingHashes_amongGraphInputs_stayDistinct() {
    Expr aa = Expr.symbol("Aa"), bb = Expr.symbol("BB");
    Computation c1 = Computation.of(ADD, List.of(aa, bb), List.of(Expr.symbol("s")));
    Computation c2 = Computation.of(ADD, List.of(Expr.symbol("BB"), aa), List.of(Expr.symbol("t")));
    CompositeComputation g = CompositeComputation.of(List.of(c1, c2));
    assertEquals(List.of(aa, bb), g.inputs());
    assertEquals(List.of(c1, c2), g.consumersOf(bb));
    assertSameOutcome(List.of(c2, c1));
  }
}
