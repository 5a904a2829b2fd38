package io.memoflow.reactive;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.dag.CompositeComputation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Assertions over recorded event lists. */
final class Events {
  private Events() {}

  static <T extends EngineEvent> List<T> of(List<EngineEvent> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static int count(List<EngineEvent> events, Class<? extends EngineEvent> type) {
    return of(events, type).size();
  }

  /** Asserts every Started comes after a Hit or Computed of each of the node's predecessors. */
  static void assertCausal(CompositeComputation g, List<EngineEvent> events) {
    Set<Integer> produced = new HashSet<>();
    for (EngineEvent e : events) {
      if (e instanceof EngineEvent.Started s) {
        for (int p : g.predecessorIndices(s.node())) {
          assertTrue(produced.contains(p),
              "node " + s.node() + " started before its input from node " + p + " was produced");
        }
      } else if (e instanceof EngineEvent.Hit h) {
        produced.add(h.node());
      } else if (e instanceof EngineEvent.Computed c) {
        produced.add(c.node());
      }
    }
  }
}
