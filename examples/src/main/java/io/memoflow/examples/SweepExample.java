package io.memoflow.examples;

import io.memoflow.cache.Op;
import io.memoflow.cache.Storage;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import io.memoflow.reactive.Engine;
import io.memoflow.reactive.SweepResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;

/**
 * A parameter sweep streamed to two subscribers: one prints each point as it completes, the other
 * keeps the best point. The sweep runs once ({@code publish().autoConnect(2)} starts it when both
 * have subscribed).
 */
public final class SweepExample {
  private SweepExample() {}

  /** {@code loss = (w - 3)^2 + b}. */
  public static final Operation LOSS = Operation.of("loss", List.of("w", "b"), List.of("loss"));

  /** The one-node graph swept. */
  public static final CompositeComputation GRAPH = Dag.builder()
      .input("w", "b")
      .step(LOSS, "w", "b").as("loss")
      .build();

  /**
   * The outcome.
   *
   * @param printed the points the first subscriber saw, as printed
   * @param best the best point the second subscriber kept
   */
  public record Result(List<String> printed, SweepResult best) {}

  /** Runs the example, printing to {@code out}. */
  public static Result run(PrintWriter out) {
    Op loss = Op.builder("loss").version("1").inputs("w", "b")
        .function(a -> {
          double w = (Double) a[0];
          return (w - 3) * (w - 3) + (Double) a[1];
        })
        .build();
    Expr w = Expr.symbol("w");
    Expr b = Expr.symbol("b");
    Expr lossVar = Expr.symbol("loss");
    List<String> printed = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<SweepResult> best = new AtomicReference<>();
    try (Storage storage = Storage.inMemory();
         Engine engine = Engine.builder().storage(storage).maxParallelism(2).bind(LOSS, loss).build()) {
      Flux<SweepResult> results = engine.sweep(GRAPH,
          Engine.grid(Map.of(w, List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0), b, List.of(0.0, 0.5))), 2)
          .publish().autoConnect(2);
      Flux<SweepResult> printer = results.doOnNext(r -> {
        String line = "w=" + r.bindings().get(w) + " b=" + r.bindings().get(b) + " -> loss " + r.output(lossVar);
        printed.add(line);
        out.println(line);
      });
      Flux<SweepResult> keeper = results.doOnNext(r -> best.accumulateAndGet(r, (x, y) ->
          x == null || (Double) y.output(lossVar) < (Double) x.output(lossVar) ? y : x));
      Flux.merge(printer, keeper).blockLast();
      SweepResult top = best.get();
      out.println("best: " + top.bindings() + " -> " + top.output(lossVar));
      out.flush();
      return new Result(List.copyOf(printed), top);
    }
  }

  /** Runs the example on standard output. */
  public static void main(String[] args) {
    run(new PrintWriter(System.out, true));
  }
}
