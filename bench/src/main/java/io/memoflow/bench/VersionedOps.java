package io.memoflow.bench;

import io.memoflow.cache.Fn1;

/** The op bodies {@link VersioningBenchmark} versions: one method, and a chain of ten helpers. */
public final class VersionedOps {
  private VersionedOps() {}

  /** One method in the closure. */
  public static final Fn1<Integer, Integer> SMALL = x -> x + 1;

  /** Eleven methods in the closure (the lambda and ten helpers). */
  public static final Fn1<Integer, Integer> CHAIN = x -> h1(x);

  static int h1(int x) {
    return h2(x) + 1;
  }

  static int h2(int x) {
    return h3(x) * 3;
  }

  static int h3(int x) {
    return h4(x) - 2;
  }

  static int h4(int x) {
    return h5(x) ^ 5;
  }

  static int h5(int x) {
    return h6(x) + 7;
  }

  static int h6(int x) {
    return h7(x) * 11;
  }

  static int h7(int x) {
    return h8(x) - 13;
  }

  static int h8(int x) {
    return h9(x) | 17;
  }

  static int h9(int x) {
    return h10(x) + 19;
  }

  static int h10(int x) {
    return Math.abs(x) % 23;
  }
}
