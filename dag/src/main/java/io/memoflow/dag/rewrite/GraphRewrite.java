package io.memoflow.dag.rewrite;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.CompositeComputation;
import java.util.function.UnaryOperator;

/**
 * A named, reusable rewrite of a {@link CompositeComputation} that keeps the values of its
 * outputs: {@link GraphRewrites#mergeIdentical()}, {@link GraphRewrites#removeDead()}, or the
 * matrix package's {@code MatrixRewrites.fuseGemmAxpy()}.
 *
 * <p>Implementations are immutable, thread-safe and deterministic.
 */
public interface GraphRewrite {

  /** Returns the rewrite's name, e.g. {@code "merge-identical"}. */
  String name();

  /** Returns the rewritten composite; {@code g} itself when nothing applies. */
  CompositeComputation apply(CompositeComputation g);

  /** Returns the rewrite that applies this one, then {@code next}. */
  default GraphRewrite andThen(GraphRewrite next) {
    requireNonNull(next, "next");
    GraphRewrite first = this;
    return of(name() + ", " + next.name(), g -> next.apply(first.apply(g)));
  }

  /** Returns the rewrite that applies this one until the composite stops changing. */
  default GraphRewrite toFixpoint() {
    GraphRewrite r = this;
    return of(name() + " to fixpoint", g -> {
      CompositeComputation cur = g;
      while (true) {
        CompositeComputation next = r.apply(cur);
        if (next.equals(cur)) {
          return cur;
        }
        cur = next;
      }
    });
  }

  /** Returns a rewrite named {@code name} that applies {@code f}. */
  static GraphRewrite of(String name, UnaryOperator<CompositeComputation> f) {
    requireNonNull(name, "name");
    requireNonNull(f, "f");
    return new GraphRewrite() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public CompositeComputation apply(CompositeComputation g) {
        return f.apply(g);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
