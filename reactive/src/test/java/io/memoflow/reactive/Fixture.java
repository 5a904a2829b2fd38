package io.memoflow.reactive;

import io.memoflow.dag.Computation;
import io.memoflow.dag.Operation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Binds test functions to operations and counts how often each op executes. */
final class Fixture {
  /** A test op: returns its one output, or a List of several. */
  interface Fn {
    Object apply(Object[] args) throws Exception;
  }

  private final Map<Operation, Fn> fns = new HashMap<>();
  private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();

  Fixture bind(Operation op, Fn fn) {
    fns.put(op, fn);
    return this;
  }

  int executions(String op) {
    AtomicInteger c = executions.get(op);
    return c == null ? 0 : c.get();
  }

  int totalExecutions() {
    return executions.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  Engine.Builder builder() {
    return Engine.builder().invokers(FunctionInvoker::new, this::binding);
  }

  private Object binding(Computation c) {
    Fn fn = fns.get(c.operation());
    if (fn == null) {
      throw new IllegalArgumentException("unbound " + c.operation().name());
    }
    return fn;
  }

  private final class FunctionInvoker implements NodeInvoker {
    private final Plan plan;

    FunctionInvoker(Plan plan) {
      this.plan = plan;
    }

    @Override
    public Worker worker() {
      return new Worker() {
        @Override
        public Outcome invoke(int node, Object[] args) throws Exception {
          return FunctionInvoker.this.invoke(node, args);
        }

        @Override
        public void close() {}
      };
    }

    Outcome invoke(int node, Object[] args) throws Exception {
      Computation c = plan.nodes[node];
      executions.computeIfAbsent(c.operation().name(), k -> new AtomicInteger()).incrementAndGet();
      Object r = ((Fn) plan.bound[node]).apply(args);
      int outs = c.outputs().size();
      Object[] values = outs == 1 ? new Object[] {r} : ((List<?>) r).toArray();
      return new Outcome(values, false, null);
    }

    @Override
    public Object input(Object raw) {
      return raw;
    }

    @Override
    public Object value(Object slot) {
      return slot;
    }

    @Override
    public String describe(Object slot) {
      return String.valueOf(slot);
    }

    @Override
    public void close() {}
  }
}
