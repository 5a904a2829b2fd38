package io.memoflow.dag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Orders the computations of a composite topologically, keeping the order they were given in
 * wherever the edges allow, and renumbers the composite's arrays by the new positions. Not API.
 */
final class TopologicalOrder {
  /*
   * Overview: owns the composite's order. A given order that is already topological is found by
   * one sequential pass (alreadyTopological) and kept. Otherwise of() runs an iterative
   * depth-first search over predecessors that visits computations in the given order and emits
   * each after its producers (Tarjan 1976, "Edge-disjoint spanning trees and depth-first
   * search"): linear in the number of inputs, and a computation given before one of its
   * producers moves just after that producer. Meeting a computation that is still on the search
   * stack exposes a cycle, read off that stack (cycleOnStack). Layout then renumbers
   * computations, slots and graph inputs by their new positions.
   */

  private TopologicalOrder() {}

  /**
   * Returns whether every input is a graph input or produced earlier in the given order; then
   * the depth-first search would emit the computations as given, and is skipped. One
   * sequential pass: slots are numbered in order, so "earlier" is "slot below my first slot".
   */
  static boolean alreadyTopological(int m, int[] outStart, int[] inStart, int[] inRef) {
    for (int i = 0; i < m; i++) {
      int first = outStart[i];
      for (int k = inStart[i]; k < inStart[i + 1]; k++) {
        if (inRef[k] >= first) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Returns positions in emission order: an iterative depth-first search over predecessors that
   * starts from each computation in the given order and emits a computation once all its
   * producers are emitted.
   *
   * @throws CycleException if the search meets a computation that is still on its stack
   */
  static int[] of(
      Computation[] kept, int m, int[] inStart, int[] inRef, int[] slotComp) {
    byte[] state = new byte[m]; // 0 unvisited, 1 on the stack, 2 emitted
    int[] topo = new int[m];
    int[] stack = new int[m];
    int[] cursor = new int[m]; // the input being followed
    int t = 0;
    for (int i = 0; i < m; i++) {
      if (state[i] != 0) {
        continue;
      }
      int sp = 0;
      stack[sp++] = i;
      state[i] = 1;
      cursor[i] = inStart[i];
      while (sp > 0) {
        int u = stack[sp - 1];
        if (cursor[u] == inStart[u + 1]) {
          state[u] = 2;
          topo[t++] = u;
          sp--;
          continue;
        }
        int r = inRef[cursor[u]];
        if (r >= 0) {
          int p = slotComp[r];
          if (state[p] == 0) {
            state[p] = 1;
            cursor[p] = inStart[p];
            stack[sp++] = p;
            continue; // come back to this input once p is emitted
          }
          if (state[p] == 1) {
            throw new CycleException(cycleOnStack(kept, stack, sp, p, cursor, inStart));
          }
        }
        cursor[u]++;
      }
    }
    return topo;
  }

  /**
   * Reads the cycle off the search stack: each stack entry reads, at its cursor, a variable
   * produced by the entry above it, and the top entry reads one produced by {@code p}. Returns
   * it in data-flow direction, starting at the computation given first.
   */
  private static List<Object> cycleOnStack(
      Computation[] kept, int[] stack, int sp, int p, int[] cursor, int[] inStart) {
    int j = sp - 1;
    while (stack[j] != p) {
      j--;
    }
    int len = sp - j;
    // Data flows from stack[l + 1] to stack[l], and from p to the top: reverse the segment.
    int[] comps = new int[len];
    for (int l = 0; l < len; l++) {
      comps[l] = stack[sp - 1 - l];
    }
    int first = 0;
    for (int l = 1; l < len; l++) {
      if (comps[l] < comps[first]) {
        first = l;
      }
    }
    List<Object> cycle = new ArrayList<>(2 * len + 1);
    for (int l = 0; l <= len; l++) {
      int c = comps[(first + l) % len];
      cycle.add(kept[c].inputs().get(cursor[c] - inStart[c]));
      if (l < len) {
        cycle.add(kept[c]);
      }
    }
    return cycle;
  }

  /**
   * The arrays of kept computations renumbered by their topological positions; the same
   * arrays when the given order already is topological ({@code topo} null or the identity;
   * {@code newSlot} is then null).
   */
  static final class Layout {
    final Computation[] order;
    final int[] outStart, inStart, inRef;
    final List<Expr> inputs;
    final int[] newSlot, newInput; // old slot -> new slot, old graph input -> new; or null

    Layout(
        Computation[] kept,
        int m,
        int[] keptOut,
        int[] inStart,
        int[] inRef,
        List<Expr> inputs,
        int[] topo) {
      boolean identity = true;
      for (int q = 0; topo != null && q < m && identity; q++) {
        identity = topo[q] == q;
      }
      if (identity) {
        this.order = m == kept.length ? kept : Arrays.copyOf(kept, m);
        this.outStart = m + 1 == keptOut.length ? keptOut : Arrays.copyOf(keptOut, m + 1);
        this.inStart = inStart;
        this.inRef = inRef;
        this.inputs = inputs;
        this.newSlot = null;
        this.newInput = null;
        return;
      }
      // Renumber computations, slots and graph inputs by position.
      int slots = keptOut[m];
      Computation[] order = new Computation[m];
      int[] outStart = new int[m + 1];
      int[] newSlot = new int[slots];
      int[] newIn = new int[m + 1];
      int[] newRef = new int[inRef.length];
      for (int q = 0; q < m; q++) {
        int i = topo[q];
        order[q] = kept[i];
        int width = keptOut[i + 1] - keptOut[i];
        outStart[q + 1] = outStart[q] + width;
        for (int s = 0; s < width; s++) {
          newSlot[keptOut[i] + s] = outStart[q] + s;
        }
        int arity = inStart[i + 1] - inStart[i];
        System.arraycopy(inRef, inStart[i], newRef, newIn[q], arity);
        newIn[q + 1] = newIn[q] + arity;
      }
      int[] newInput = new int[inputs.size()];
      Arrays.fill(newInput, -1);
      List<Expr> reordered = new ArrayList<>(inputs.size());
      for (int k = 0; k < newRef.length; k++) {
        int r = newRef[k];
        if (r >= 0) {
          newRef[k] = newSlot[r];
        } else {
          if (newInput[~r] < 0) {
            newInput[~r] = reordered.size();
            reordered.add(inputs.get(~r));
          }
          newRef[k] = ~newInput[~r];
        }
      }
      this.order = order;
      this.outStart = outStart;
      this.inStart = newIn;
      this.inRef = newRef;
      this.inputs = reordered;
      this.newSlot = newSlot;
      this.newInput = newInput;
    }
  }
}
