package io.memoflow.cache;

import io.memoflow.cache.internal.Codec;

/**
 * The registry of classes whose values may be stored, beyond the built-in ones (null, boxed
 * primitives, strings, {@code BigInteger}, {@code BigDecimal}, {@code int[]}, {@code long[]},
 * {@code double[]}, {@code byte[]}, and lists, sets and maps of storable values). Registered
 * classes are written by Jackson with sorted properties; there is no default typing, so a
 * store can only ever instantiate registered classes. Thread-safe; registrations are global.
 */
public final class ValueTypes {
  private ValueTypes() {}

  /** Registers {@code type} under its fully qualified class name. */
  public static void register(Class<?> type) {
    register(type.getName(), type);
  }

  /**
   * Registers {@code type} under {@code tag}; the tag is part of every stored value's bytes and
   * content id, so keep it stable across renames.
   *
   * @throws IllegalArgumentException if the tag is built in or registered for another class
   */
  public static void register(String tag, Class<?> type) {
    Codec.register(tag, type);
  }
}
