package io.memoflow.matrix;

import java.util.List;

/**
 * The cover search stopped because it reached its budget of states ({@link
 * MatrixCompiler#maxStates}) before it found the next cover. Says how far it got: the states
 * it made, the partial covers still open, and the lower bound it had proven (every cover not
 * yet returned costs at least that).
 */
public final class SearchLimitException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final transient List<MatrixExpr> outputs;
  private final int states;
  private final double lowerBound;
  private final int open;

  SearchLimitException(List<MatrixExpr> outputs, int states, double lowerBound, int open) {
    super(MatrixMessages.searchLimit(outputs, states, lowerBound, open));
    this.outputs = List.copyOf(outputs);
    this.states = states;
    this.lowerBound = lowerBound;
    this.open = open;
  }

  /** Returns the expressions being compiled. */
  public List<MatrixExpr> outputs() {
    return outputs;
  }

  /** Returns the states the search made: its budget. */
  public int states() {
    return states;
  }

  /** Returns the cost that every cover not yet returned reaches at least. */
  public double lowerBound() {
    return lowerBound;
  }

  /** Returns the number of partial covers still open when the search stopped. */
  public int openStates() {
    return open;
  }
}
