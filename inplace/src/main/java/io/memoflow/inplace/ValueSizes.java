package io.memoflow.inplace;

import io.memoflow.dag.Computation;
import io.memoflow.dag.BufferOperation;
import io.memoflow.dag.Expr;
import java.util.Arrays;
import java.util.function.ToLongFunction;

/* Overview: the size of every value of a graph built from scratch. Sizes come from the caller's
 * size function, else from BufferOperation lengths (8 bytes a double), checked for agreement
 * between producer and readers; a Copy's output always has its input's size, so that planning a
 * planned composite sees the sizes it saw the first time. */

/** Sizes the values of a {@link Graph}. Stateless. */
final class ValueSizes {
  private ValueSizes() {}

  /**
   * Returns the size in bytes of every value of {@code g}, whose values, nodes, operands and
   * readers are set.
   *
   * @throws IllegalArgumentException if a value has no size, a negative one, or two that disagree
   */
  static long[] of(Graph g, ToLongFunction<Expr> sizeFunction) {
    long[] s = new long[g.values.length];
    Arrays.fill(s, -1);
    if (sizeFunction != null) {
      for (int x = 0; x < g.values.length && g.graphInput[x]; x++) {
        s[x] = sizeFunction.applyAsLong(g.values[x]);
        if (s[x] < 0) {
          throw new IllegalArgumentException(Messages.negativeSize(g.values[x], s[x]));
        }
      }
    }
    for (int q = 0; q < g.nodeCount; q++) {
      Computation c = g.nodes[q];
      if (!(c.operation() instanceof BufferOperation ex) || sizeFunction != null) {
        continue;
      }
      for (int j = 0; j < g.inputs[q].length; j++) {
        int x = g.inputs[q][j];
        long bytes = (long) Double.BYTES * ex.inputLength(j);
        if (s[x] < 0) {
          s[x] = bytes;
        } else if (s[x] != bytes) {
          throw new IllegalArgumentException(Messages.sizeConflict(g.values[x], s[x], c, j, bytes));
        }
      }
    }
    for (int q = 0; q < g.nodeCount; q++) {
      Computation c = g.nodes[q];
      for (int k = 0; k < g.outputs[q].length; k++) {
        int w = g.outputs[q][k];
        long bytes;
        if (c.operation() instanceof Copy) {
          bytes = s[g.inputs[q][0]];
        } else if (sizeFunction != null) {
          bytes = sizeFunction.applyAsLong(g.values[w]);
          if (bytes < 0) {
            throw new IllegalArgumentException(Messages.negativeSize(g.values[w], bytes));
          }
        } else if (c.operation() instanceof BufferOperation ex) {
          bytes = (long) Double.BYTES * ex.outputLength(k);
          if (s[w] >= 0 && s[w] != bytes) {
            throw new IllegalArgumentException(
                Messages.sizeConflict(g.values[w], bytes, firstReader(g, w), readerOperand(g, w), s[w]));
          }
        } else {
          bytes = s[w];
        }
        s[w] = bytes;
      }
    }
    for (int x = 0; x < g.values.length; x++) {
      if (s[x] < 0) {
        throw new IllegalArgumentException(
            Messages.noSize(g.values[x], g.producer[x] < 0 ? null : g.nodes[g.producer[x]]));
      }
    }
    return s;
  }

  private static Computation firstReader(Graph g, int x) {
    return g.nodes[g.readers[x][0]];
  }

  private static int readerOperand(Graph g, int x) {
    int q = g.readers[x][0];
    for (int j = 0; j < g.inputs[q].length; j++) {
      if (g.inputs[q][j] == x) {
        return j;
      }
    }
    throw new AssertionError(x);
  }
}
