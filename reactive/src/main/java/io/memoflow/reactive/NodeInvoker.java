package io.memoflow.reactive;

/**
 * Runs the nodes of one execution: the seam between the scheduler and what a node does (a
 * memoized call through a storage session). One instance per execution; called from many
 * threads at once, so implementations are thread-safe.
 *
 * <p>Slots hold whatever the invoker produces (the storage's references); the scheduler only
 * moves them between nodes.
 */
interface NodeInvoker {

  /**
   * Returns a worker for the calling thread: a worker runs nodes on one thread for a while
   * (a storage session lives exactly that long, opened and closed on its thread) and is
   * closed on that thread when the thread stops taking nodes, making what it did durable.
   */
  Worker worker();

  /** Runs nodes on one thread. */
  interface Worker extends AutoCloseable {
    /**
     * Runs node {@code node} on {@code args} (the slots of its inputs, in input order) and
     * returns its outputs, in output order.
     */
    Outcome invoke(int node, Object[] args) throws Exception;

    /** Ends this worker's stint: commits what it completed. */
    @Override
    void close();
  }

  /** Returns the slot a graph input's raw value becomes. */
  Object input(Object raw);

  /** Returns the value a slot stands for, as users see it. */
  Object value(Object slot);

  /** Returns a short identification of a slot for error messages, such as its history id. */
  String describe(Object slot);

  /** Ends the execution; called once, after every worker closed or was abandoned. */
  void close();

  /** Opens an invoker for one execution of a plan. */
  interface Factory {
    NodeInvoker open(Plan plan);
  }

  /**
   * A node's result.
   *
   * @param outputs one slot per output of the node, in order
   * @param hit whether the result came from the store without executing
   * @param detail what the invoker wants events to carry (the stored call), or null
   */
  record Outcome(Object[] outputs, boolean hit, Object detail) {}
}
