package io.memoflow.dag;

import java.util.Arrays;

/**
 * The edges of a composite by position, and the readers of each variable by ref; derived from
 * the composite's input refs on first use. Not API.
 *
 * <p>Immutable once built; safe to share through a volatile field.
 */
final class Adjacency {
  /*
   * Overview: three compressed-row tables over positions in topological order. Predecessor rows
   * are collected per position by insertion into a sorted run (rows are short), successor rows
   * by a counting sort of the predecessor rows, reader rows by a counting sort of the input
   * refs; a "last reader" mark per ref keeps each row free of repeats. Linear in the number of
   * inputs, plus the insertion into each (short) predecessor row.
   */
  final int[] slotPos; // slot -> position of its producer
  final int[] predStart, pred; // distinct predecessor positions, ascending
  final int[] succStart, succ; // distinct successor positions, ascending
  final int[] readStart, read; // ref (slot, then slots + g) -> distinct reader positions

  /**
   * Derives the tables of {@code m} computations with output slots {@code outStart}, input refs
   * {@code inStart}/{@code inRef} (slots, or ~g for graph input g) and {@code inputCount} graph
   * inputs.
   */
  Adjacency(int m, int[] outStart, int[] inStart, int[] inRef, int inputCount) {
    int slots = outStart[m];
    int refs = slots + inputCount;
    slotPos = new int[slots];
    for (int q = 0; q < m; q++) {
      for (int s = outStart[q]; s < outStart[q + 1]; s++) {
        slotPos[s] = q;
      }
    }
    predStart = new int[m + 1];
    int[] buf = new int[inRef.length];
    int[] succCount = new int[m + 1];
    int[] readCount = new int[refs + 1];
    int[] lastReader = new int[refs];
    Arrays.fill(lastReader, -1);
    int n = 0;
    for (int q = 0; q < m; q++) {
      int rowStart = n;
      for (int k = inStart[q]; k < inStart[q + 1]; k++) {
        int r = inRef[k];
        int ref = r >= 0 ? r : slots + ~r;
        if (lastReader[ref] != q) {
          lastReader[ref] = q;
          readCount[ref]++;
        }
        if (r < 0) {
          continue;
        }
        int p = slotPos[r];
        int j = n;
        while (j > rowStart && buf[j - 1] > p) {
          j--;
        }
        if (j > rowStart && buf[j - 1] == p) {
          continue; // a second edge from the same producer
        }
        System.arraycopy(buf, j, buf, j + 1, n - j);
        buf[j] = p;
        n++;
        succCount[p]++;
      }
      predStart[q + 1] = n;
    }
    pred = Arrays.copyOf(buf, n);
    succStart = new int[m + 1];
    for (int q = 0; q < m; q++) {
      succStart[q + 1] = succStart[q] + succCount[q];
    }
    succ = new int[n];
    int[] fill = Arrays.copyOf(succStart, m);
    for (int q = 0; q < m; q++) {
      for (int k = predStart[q]; k < predStart[q + 1]; k++) {
        succ[fill[pred[k]]++] = q; // ascending q: rows come out sorted
      }
    }
    readStart = new int[refs + 1];
    for (int r = 0; r < refs; r++) {
      readStart[r + 1] = readStart[r] + readCount[r];
    }
    read = new int[readStart[refs]];
    int[] rfill = Arrays.copyOf(readStart, refs);
    Arrays.fill(lastReader, -1);
    for (int q = 0; q < m; q++) {
      for (int k = inStart[q]; k < inStart[q + 1]; k++) {
        int r = inRef[k];
        int ref = r >= 0 ? r : slots + ~r;
        if (lastReader[ref] != q) {
          lastReader[ref] = q;
          read[rfill[ref]++] = q;
        }
      }
    }
  }

  /**
   * Returns whether position {@code from} reads, directly or through other computations, an
   * output of position {@code target}; a depth-first search over predecessors that never goes
   * below {@code target} (the order is topological, so nothing there leads to it).
   */
  boolean reaches(int from, int target) {
    boolean[] seen = new boolean[from + 1];
    int[] stack = new int[from + 1];
    int sp = 0;
    stack[sp++] = from;
    seen[from] = true;
    while (sp > 0) {
      int q = stack[--sp];
      for (int k = predStart[q]; k < predStart[q + 1]; k++) {
        int p = pred[k];
        if (p == target) {
          return true;
        }
        if (p > target && !seen[p]) {
          seen[p] = true;
          stack[sp++] = p;
        }
      }
    }
    return false;
  }

  /**
   * Marks in {@code keep} every predecessor, transitively, of the {@code sp} marked positions on
   * {@code stack} (a work stack as long as the order).
   */
  void markUpstream(boolean[] keep, int[] stack, int sp) {
    while (sp > 0) {
      int q = stack[--sp];
      for (int k = predStart[q]; k < predStart[q + 1]; k++) {
        if (!keep[pred[k]]) {
          keep[pred[k]] = true;
          stack[sp++] = pred[k];
        }
      }
    }
  }

  /**
   * Marks every successor, transitively, of the marked positions on the stack; see {@link
   * #markUpstream}.
   */
  void markDownstream(boolean[] keep, int[] stack, int sp) {
    while (sp > 0) {
      int q = stack[--sp];
      for (int k = succStart[q]; k < succStart[q + 1]; k++) {
        if (!keep[succ[k]]) {
          keep[succ[k]] = true;
          stack[sp++] = succ[k];
        }
      }
    }
  }
}
