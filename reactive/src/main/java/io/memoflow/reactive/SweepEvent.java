package io.memoflow.reactive;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.Expr;
import java.util.Map;

/**
 * What happens during a {@link Engine#sweepEvents sweep with events}: the node events of each
 * point, tagged with the point's bindings, then the point's result. Immutable.
 *
 * <p>For one point, its {@link Node} events come in the order of a {@link Run}'s events (a
 * node's {@code Started} after the {@code Hit} or {@code Computed} of every node it reads
 * from), and its {@link Done} comes after all of them. Points interleave in completion order.
 */
public sealed interface SweepEvent permits SweepEvent.Node, SweepEvent.Done {

  /** Returns the bindings of the point the event belongs to (an unmodifiable map). */
  Map<Expr, Object> bindings();

  /**
   * A node of one point started, was a hit, was computed or failed.
   *
   * @param bindings the point's bindings
   * @param event the node's event: {@link EngineEvent.Started}, {@link EngineEvent.Hit},
   *     {@link EngineEvent.Computed} or {@link EngineEvent.Failed} (never a {@code Progress})
   */
  record Node(Map<Expr, Object> bindings, EngineEvent event) implements SweepEvent {
    /** Checks the components. */
    public Node {
      requireNonNull(bindings, "bindings");
      requireNonNull(event, "event");
      if (event instanceof EngineEvent.Progress) {
        throw new IllegalArgumentException("A sweep's node event cannot be a Progress event.");
      }
    }
  }

  /**
   * A point completed: its result, after all of its node events.
   *
   * @param result the point's outputs or error, with its bindings
   */
  record Done(SweepResult result) implements SweepEvent {
    /** Checks the component. */
    public Done {
      requireNonNull(result, "result");
    }

    @Override
    public Map<Expr, Object> bindings() {
      return result.bindings();
    }
  }
}
