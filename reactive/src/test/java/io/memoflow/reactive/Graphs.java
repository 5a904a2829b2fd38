package io.memoflow.reactive;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import java.util.List;

/** Small graphs and ops shared by the tests. */
final class Graphs {
  private Graphs() {}

  static final Operation INC = Operation.of("Inc", List.of("x"), List.of("y"));
  static final Operation SQUARE = Operation.of("Square", List.of("x"), List.of("y"));
  static final Operation NEG = Operation.of("Neg", List.of("x"), List.of("y"));
  static final Operation ADD = Operation.of("Add", List.of("a", "b"), List.of("sum"));
  static final Operation SUB = Operation.of("Sub", List.of("a", "b"), List.of("diff"));
  static final Operation DIV = Operation.of("Div", List.of("a", "b"), List.of("q"));

  static final Expr X = Expr.symbol("x");
  static final Expr Y = Expr.symbol("y");

  /** a = Inc(x); b = Square(a); c = Neg(a); d = Add(b, c). */
  static CompositeComputation diamond() {
    return Dag.builder()
        .input("x")
        .step(INC, "x").as("a")
        .step(SQUARE, "a").as("b")
        .step(NEG, "a").as("c")
        .step(ADD, "b", "c").as("d")
        .build();
  }

  /** (lo, hi) = MinMax(x, y); w = Sub(hi, lo). */
  static CompositeComputation minMax() {
    return Dag.builder()
        .input("x", "y")
        .step(Operation.MIN_MAX, "x", "y").as("lo", "hi")
        .step(SUB, "hi", "lo").as("w")
        .output("lo")
        .build();
  }

  /** A chain x -> Inc -> Inc ... of {@code length} nodes, each its own op Inc0, Inc1, ... */
  static CompositeComputation chain(int length) {
    Dag.Builder b = Dag.builder().input("v0");
    for (int i = 0; i < length; i++) {
      b.step(Operation.of("Inc" + i, List.of("x"), List.of("y")), "v" + i).as("v" + (i + 1));
    }
    return b.build();
  }

  static Fixture arithmetic() {
    return arithmetic(new Fixture());
  }

  /** The arithmetic ops over {@code storage}. */
  static Fixture arithmetic(io.memoflow.cache.Storage storage) {
    return arithmetic(new Fixture(storage));
  }

  private static Fixture arithmetic(Fixture f) {
    f
        .bind(INC, a -> (Long) a[0] + 1)
        .bind(SQUARE, a -> (Long) a[0] * (Long) a[0])
        .bind(NEG, a -> -(Long) a[0])
        .bind(ADD, a -> (Long) a[0] + (Long) a[1])
        .bind(SUB, a -> (Long) a[0] - (Long) a[1])
        .bind(DIV, a -> (Long) a[0] / (Long) a[1])
        .bind(Operation.MIN_MAX, a -> List.of(Math.min((Long) a[0], (Long) a[1]),
            Math.max((Long) a[0], (Long) a[1])));
    for (int i = 0; i < 16; i++) {
      f.bind(Operation.of("Inc" + i, List.of("x"), List.of("y")), a -> (Long) a[0] + 1);
    }
    return f;
  }
}
