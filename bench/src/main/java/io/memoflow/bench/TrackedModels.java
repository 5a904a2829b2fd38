package io.memoflow.bench;

import io.memoflow.cache.Op;
import io.memoflow.cache.Tracked;

/**
 * Ops that call a model through an interface, tracked ({@link Tracked#of}: the implementation
 * method that ran is recorded with each call) and plain (static versioning stops at the
 * interface), for {@link VersioningFigures}' cost of dynamic dependency tracking per call.
 */
public final class TrackedModels {
  private TrackedModels() {}

  /** A model chosen at run time. */
  public interface Model {
    /** Fits one point. */
    int fit(int x);
  }

  /** A trivial model, so the figure is the tracking's cost, not the model's. */
  public static final class Linear implements Model {
    @Override
    public int fit(int x) {
      return 3 * x + 1;
    }
  }

  static final Model TRACKED = Tracked.of(Model.class, new Linear());
  static final Model PLAIN = new Linear();
  static final io.memoflow.cache.Fn1<Integer, Integer> HELPER =
      Tracked.fn("linearFit", (Integer x) -> 3 * x + 1);

  /** Calls the model through its tracked view. */
  public static final Op VIA_TRACKED = Op.builder("fitTracked").inputs("x")
      .function(a -> TRACKED.fit((Integer) a[0])).build();
  /** Calls the same code as a tracked helper ({@link Tracked#fn}), the older way to track. */
  public static final Op VIA_HELPER = Op.builder("fitHelper").inputs("x")
      .function(a -> HELPER.apply((Integer) a[0])).build();
  /** Calls the model directly. */
  public static final Op VIA_PLAIN = Op.builder("fitPlain").inputs("x")
      .function(a -> PLAIN.fit((Integer) a[0])).build();
}
