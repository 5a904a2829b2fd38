package io.memoflow.examples;

import io.memoflow.cache.Op;
import io.memoflow.cache.Storage;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import io.memoflow.reactive.Engine;
import io.memoflow.reactive.EngineEvent;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * MinMax, an operation with two outputs, and a composite of it: a sorting network of three
 * MinMax computations that sorts three numbers. Both run through the {@link Engine}; the second
 * run of the network is all hits.
 */
public final class MinMaxExample {
  private MinMaxExample() {}

  /** The op behind {@link Operation#MIN_MAX}: {@code (x, y) -> (min, max)}, version 1. */
  public static final Op MIN_MAX = Op.builder("MinMax").version("1")
      .inputs("x", "y").outputs("min", "max")
      .function(a -> {
        long x = (Long) a[0];
        long y = (Long) a[1];
        return List.of(Math.min(x, y), Math.max(x, y));
      })
      .build();

  /** The sorting network {@code (a, b, c) -> (lo, mid, hi)}: three MinMax computations. */
  public static final CompositeComputation SORT3 = Dag.builder()
      .input("a", "b", "c")
      .step(Operation.MIN_MAX, "a", "b").as("ab_lo", "ab_hi")
      .step(Operation.MIN_MAX, "ab_hi", "c").as("m", "hi")
      .step(Operation.MIN_MAX, "ab_lo", "m").as("lo", "mid")
      .build();

  /**
   * The outcome: one MinMax, the sorted triple, and how many nodes the second run hit.
   *
   * @param min the minimum of the single MinMax
   * @param max its maximum
   * @param sorted {@code [lo, mid, hi]}
   * @param secondRunHits nodes of the network found in the store on the second run
   */
  public record Result(long min, long max, List<Long> sorted, long secondRunHits) {}

  /** Runs the example, printing to {@code out}. */
  public static Result run(PrintWriter out) {
    Expr x = Expr.symbol("x");
    Expr y = Expr.symbol("y");
    Computation one = Computation.of(Operation.MIN_MAX, x, y);
    out.println("One computation, two outputs: " + one.outputs() + " = MinMax" + one.inputs());
    try (Storage storage = Storage.inMemory();
         Engine engine = Engine.builder().storage(storage).bind(Operation.MIN_MAX, MIN_MAX).build()) {
      Map<Expr, Object> r = engine.run(CompositeComputation.of(one), Map.of(x, 7L, y, 3L))
          .outputs().block();
      long min = (Long) r.get(one.output("min"));
      long max = (Long) r.get(one.output("max"));
      out.println("MinMax(7, 3) = (" + min + ", " + max + ")");

      out.println("Sorting network of three MinMax computations, outputs " + SORT3.outputs());
      Map<Expr, Object> in = Map.of(Expr.symbol("a"), 5L, Expr.symbol("b"), 9L, Expr.symbol("c"), 1L);
      Map<Expr, Object> sorted = engine.run(SORT3, in).outputs().block();
      List<Long> triple = List.of((Long) sorted.get(Expr.symbol("lo")),
          (Long) sorted.get(Expr.symbol("mid")), (Long) sorted.get(Expr.symbol("hi")));
      out.println("sort3(5, 9, 1) = " + triple);

      var again = engine.run(SORT3, in);
      long hits = again.events().ofType(EngineEvent.Hit.class).count()
          .zipWith(again.outputs()).block().getT1();
      out.println("Second run: " + hits + " of " + SORT3.computations().size() + " nodes were hits");
      out.flush();
      return new Result(min, max, triple, hits);
    }
  }

  /** Runs the example on standard output. */
  public static void main(String[] args) {
    run(new PrintWriter(System.out, true));
  }
}
