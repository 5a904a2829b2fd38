package io.memoflow.reactive;

import io.memoflow.cache.Op;
import io.memoflow.cache.Storage;
import io.memoflow.dag.Operation;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Binds test functions to operations as {@link Op}s over an in-memory {@link Storage}, and
 * counts how often each op really executes. A function may be rebound at any time.
 */
final class Fixture {
  /** A test op: returns its one output, or a List of several. */
  interface Fn {
    Object apply(Object[] args) throws Exception;
  }

  private final Map<Operation, Fn> fns = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
  private final Storage storage;

  Fixture() {
    this(Storage.inMemory());
  }

  Fixture(Storage storage) {
    this.storage = storage;
  }

  Storage storage() {
    return storage;
  }

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

  /** Returns the op that runs {@code operation}'s current function. */
  Op op(Operation operation) {
    return Op.builder(operation.name())
        .inputs(operation.inputNames().toArray(String[]::new))
        .outputs(operation.outputNames().toArray(String[]::new))
        .function(args -> {
          executions.computeIfAbsent(operation.name(), k -> new AtomicInteger()).incrementAndGet();
          return fns.get(operation).apply(args);
        })
        .build();
  }

  Engine.Builder builder() {
    Engine.Builder b = Engine.builder().storage(storage);
    for (Operation operation : fns.keySet()) {
      b.bind(operation, op(operation));
    }
    return b;
  }
}
