package io.memoflow.examples;

import io.memoflow.cache.CallResult;
import io.memoflow.cache.Op;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mandala-style imperative session: plain Java calls of memoized ops ({@code inc}, {@code
 * add}) inside a session; re-running the same program retraces it (nothing executes), and an
 * equal input reached another way is reused by content.
 */
public final class SessionExample {
  private SessionExample() {}

  /**
   * The outcome.
   *
   * @param sum the program's result
   * @param firstRunExecutions function bodies run by the first run
   * @param secondRunExecutions function bodies run by the retrace (0)
   * @param sources how each call of the second run was obtained
   * @param reuse how {@code inc(inc(1))} was obtained after {@code inc(2)} was stored
   */
  public record Result(int sum, int firstRunExecutions, int secondRunExecutions,
      List<CallResult.Source> sources, CallResult.Source reuse) {}

  /** Runs the example, printing to {@code out}. */
  public static Result run(PrintWriter out) {
    AtomicInteger executions = new AtomicInteger();
    Op inc = Op.builder("inc").version("1").inputs("x")
        .function(a -> {
          executions.incrementAndGet();
          return (Integer) a[0] + 1;
        })
        .build();
    Op add = Op.builder("add").version("1").inputs("x", "y").defaultValue("y", 1)
        .function(a -> {
          executions.incrementAndGet();
          return (Integer) a[0] + (Integer) a[1];
        })
        .build();
    try (Storage storage = Storage.inMemory()) {
      int sum;
      try (Session s = storage.session()) {
        Ref<Integer> two = inc.call(1);
        Ref<Integer> three = add.call(two);            // y takes its default, 1
        Ref<Integer> five = add.call(two, three);
        sum = five.value();
      }
      int first = executions.getAndSet(0);
      out.println("first run: add(inc(1), add(inc(1))) = " + sum + ", " + first + " executions");

      List<CallResult.Source> sources = new ArrayList<>();
      try (Session s = storage.session()) {
        CallResult two = s.callPositional(inc, 1);
        Ref<Integer> twoRef = first(two);
        CallResult three = s.callPositional(add, twoRef);
        CallResult five = s.callPositional(add, twoRef, first(three));
        sources.add(two.source());
        sources.add(three.source());
        sources.add(five.source());
      }
      int second = executions.get();
      out.println("second run: " + sources + ", " + second + " executions (retraced)");

      CallResult.Source reuse;
      try (Session s = storage.session()) {
        inc.call(2);                                   // stores inc(2)
        reuse = s.callPositional(inc, inc.call(1)).source();   // inc(inc(1)): equal input value
      }
      out.println("inc(inc(1)) after inc(2): " + reuse + " (same op on an equal value: not run)");
      out.flush();
      return new Result(sum, first, second, sources, reuse);
    }
  }

  private static Ref<Integer> first(CallResult r) {
    return r.call().output(r.call().outputs().keySet().iterator().next());
  }

  /** Runs the example on standard output. */
  public static void main(String[] args) {
    run(new PrintWriter(System.out, true));
  }
}
