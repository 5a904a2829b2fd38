package io.memoflow.matrix;

import io.memoflow.matrix.MatrixExpr.Symbol;

/** The templates of the matrix package's user-facing messages, kept together so tests can match. */
final class MatrixMessages {
  private MatrixMessages() {}

  static String innerDimensions(MatrixExpr left, MatrixExpr right) {
    return Canonical.operand(left) + " * " + Canonical.operand(right)
        + ": inner dimensions differ. The columns of the left factor must equal the rows of the"
        + " right one; transpose an operand or fix the shapes.";
  }

  static String shapesDiffer(MatrixExpr a, MatrixExpr b) {
    return Canonical.operand(a) + " + " + Canonical.operand(b)
        + ": shapes differ. Every term of a sum needs the same shape.";
  }

  static String notSquareInverse(MatrixExpr x) {
    return Canonical.operand(x) + "^-1: not square. Only square matrices have inverses;"
        + " for least squares write (X^T X)^-1 X^T y.";
  }

  static String zeroInverse(MatrixExpr x) {
    return Canonical.operand(x) + "^-1: the zero matrix is singular. Remove the inverse.";
  }

  static String notSquareAssumption(String name, Shape shape, MatrixProperty p) {
    return "Symbol " + name + " (" + shape + ") cannot be " + p
        + ": it is not square. Drop the assumption or make the shape square.";
  }

  static String inconsistentSymbol(Symbol a, Symbol b) {
    return "Symbol " + a.name() + " is used as " + a.describe() + " and as " + b.describe()
        + ". Give different matrices different names.";
  }

  static String leafOutput(MatrixExpr e) {
    return "Output " + Canonical.operand(e) + " is a graph input (a symbol, identity or zero):"
        + " there is nothing to compute. Request a computed expression.";
  }

  static String noRule(MatrixExpr e) {
    return "No rule computes " + Canonical.operand(e)
        + ". Add a rule whose source pattern matches it to the RuleSet.";
  }

  static String searchLimit(Object outputs, int states, double lowerBound, int open) {
    return "The cover search for " + outputs + " stopped: it reached its budget of " + states
        + " states with " + open + " partial covers open, having proven that every cover costs"
        + " at least " + String.format("%.4g", lowerBound) + ". Raise MatrixCompiler.maxStates(...),"
        + " or compile the expressions apart (fewer shared sub-expressions to weigh).";
  }

  static String wrongLength(String op, String kind, int index, String name, int expected, int got) {
    return op + ": " + kind + " " + index + " (" + name + ") has " + got + " doubles but needs "
        + expected + ". Pass a column-major buffer of rows*cols doubles.";
  }
}
