package io.memoflow.reactive;

import io.memoflow.dag.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * One subscription of {@link Engine#react}: turns each change of the inputs into an execution
 * that recomputes only what the change reaches. Not thread-safe: changes are applied one at a
 * time, in order (the caller concatenates them).
 */
final class Reaction {
  /*
   * Overview: keeps the raw value of every input and, after each successful run, the run's
   * slots. A change marks the inputs whose value differs (Objects.equals); the first change must
   * bind every input and runs the whole plan; a later one copies the last slots, rebinds the
   * changed inputs, and marks clean every node not downstream of them (Plan.downstreamOf), so
   * the execution runs the dirty nodes only.
   */

  /** Makes the execution of a plan from an invoker, its slots and its clean nodes (or null). */
  interface Executions {
    Execution make(NodeInvoker invoker, Object[] slots, boolean[] clean);
  }

  private final Plan plan;
  private final NodeInvoker.Factory invokers;
  private final Executions executions;
  private final Object[] raw;
  private Object[] last; // slots of the last successful run; null before the first

  Reaction(Plan plan, NodeInvoker.Factory invokers, Executions executions) {
    this.plan = plan;
    this.invokers = invokers;
    this.executions = executions;
    this.raw = new Object[plan.inputCount];
  }

  /** Returns the outputs after {@code change}; subscribing runs what the change reaches. */
  Mono<Map<Expr, Object>> apply(Map<? extends Expr, ?> change) {
    boolean[] changed = new boolean[plan.inputCount];
    for (Map.Entry<? extends Expr, ?> e : change.entrySet()) {
      Integer k = plan.inputIndex.get(e.getKey());
      if (k == null) {
        return Mono.error(new IllegalArgumentException(
            Messages.unknownInput(e.getKey(), List.of(plan.inputs))));
      }
      if (e.getValue() == null) {
        return Mono.error(new IllegalArgumentException(Messages.nullInput(e.getKey())));
      }
      if (!Objects.equals(raw[k], e.getValue())) {
        raw[k] = e.getValue();
        changed[k] = true;
      }
    }
    NodeInvoker invoker = invokers.open(plan);
    Execution ex;
    if (last == null) {
      List<Expr> missing = new ArrayList<>();
      for (int k = 0; k < plan.inputCount; k++) {
        if (raw[k] == null) {
          missing.add(plan.inputs[k]);
        }
      }
      if (!missing.isEmpty()) {
        invoker.close();
        return Mono.error(new IllegalArgumentException(Messages.firstChangeIncomplete(missing)));
      }
      ex = first(invoker);
    } else {
      ex = incremental(invoker, changed);
    }
    return Mono.defer(() -> {
          ex.start();
          return ex.result();
        })
        .doOnNext(out -> last = ex.slots())
        .doOnCancel(ex::dispose);
  }

  /** The first run: every input bound, every node to run. */
  private Execution first(NodeInvoker invoker) {
    Object[] slots = new Object[plan.slotCount];
    for (int k = 0; k < plan.inputCount; k++) {
      slots[k] = invoker.input(raw[k]);
    }
    return executions.make(invoker, slots, null);
  }

  /** A later run: the last run's slots, the changed inputs rebound, their downstream dirty. */
  private Execution incremental(NodeInvoker invoker, boolean[] changed) {
    Object[] slots = last.clone();
    for (int k = 0; k < plan.inputCount; k++) {
      if (changed[k]) {
        slots[k] = invoker.input(raw[k]);
      }
    }
    boolean[] dirty = plan.downstreamOf(changed);
    boolean[] clean = new boolean[plan.n];
    for (int i = 0; i < plan.n; i++) {
      clean[i] = !dirty[i];
    }
    return executions.make(invoker, slots, clean);
  }
}
