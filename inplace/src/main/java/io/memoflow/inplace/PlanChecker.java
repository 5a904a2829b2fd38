package io.memoflow.inplace;

import io.memoflow.dag.Computation;
import java.util.Arrays;
import java.util.List;

/** Verifies a plan by replaying its order over the buffers. */
final class PlanChecker {
  /*
   * Overview: holder[b] is the value buffer b holds now. Replaying the order, each read must
   * find its value in its buffer, and each write to a buffer must not destroy a value that a
   * later step still reads, that must survive the plan, or that the writing step itself reads
   * other than through a declared overwrite. Linear in the size of the plan.
   */

  private PlanChecker() {}

  static void check(Graph g, int[] seq, int[] bufferOf, List<Buffer> buffers) {
    int m = seq.length;
    int[] pos = new int[g.nodeCount];
    for (int t = 0; t < m; t++) {
      pos[seq[t]] = t;
    }
    int[] holder = new int[buffers.size()];
    Arrays.fill(holder, -1);
    boolean[] produced = new boolean[g.values.length];
    for (int v = 0; v < g.values.length && g.graphInput[v]; v++) {
      int b = bufferOf[v];
      if (holder[b] >= 0) {
        throw new UnsafePlanException(
            Messages.inputsShareBuffer(g.values[holder[b]], g.values[v], buffers.get(b)),
            g.values[v], buffers.get(b), null, null);
      }
      holder[b] = v;
      produced[v] = true;
    }
    for (int t = 0; t < m; t++) {
      int q = seq[t];
      Computation c = g.nodes[q];
      int[] ins = g.inputs[q];
      for (int v : ins) {
        int b = bufferOf[v];
        if (holder[b] != v) {
          Buffer buf = buffers.get(b);
          if (!produced[v]) {
            Computation p = g.nodes[g.producer[v]];
            throw new UnsafePlanException(
                Messages.readBeforeWrite(g.values[v], buf, t, c, p), g.values[v], buf, p, c);
          }
          throw new AssertionError("a lost value is reported when it is overwritten");
        }
      }
      int[] outs = g.outputs[q];
      for (int k = 0; k < outs.length; k++) {
        int w = outs[k];
        int b = bufferOf[w];
        Buffer buf = buffers.get(b);
        for (int k2 = 0; k2 < k; k2++) {
          if (bufferOf[outs[k2]] == b) {
            throw new UnsafePlanException(
                Messages.twoOutputsOneBuffer(buf, t, c), g.values[w], buf, c, c);
          }
        }
        int u = holder[b];
        if (u >= 0 && u != w) {
          checkOverwrite(g, pos, t, q, k, u, buf);
        }
        holder[b] = w;
        produced[w] = true;
      }
    }
  }

  private static void checkOverwrite(Graph g, int[] pos, int t, int q, int k, int u, Buffer buf) {
    Computation c = g.nodes[q];
    int[] ins = g.inputs[q];
    int occurrences = Graph.occurrences(ins, u);
    if (occurrences > 0) {
      int j = g.overwrites[q][k];
      if (j < 0 || ins[j] != u || occurrences > 1) {
        throw new UnsafePlanException(
            Messages.undeclaredAlias(g.values[u], buf, t, c, g.values[g.outputs[q][k]]),
            g.values[u], buf, c, c);
      }
    }
    if (g.protect[u] || g.liveToEnd[u]) {
      throw new UnsafePlanException(
          Messages.overwritesProtected(g.values[u], buf, t, c, g.graphInput[u]),
          g.values[u], buf, c, null);
    }
    int later = -1;
    for (int r : g.readers[u]) {
      if (pos[r] > t && (later < 0 || pos[r] < pos[later])) {
        later = r;
      }
    }
    if (later >= 0) {
      throw new UnsafePlanException(
          Messages.overwrittenBeforeRead(g.values[u], buf, t, c, pos[later], g.nodes[later]),
          g.values[u], buf, c, g.nodes[later]);
    }
  }
}
