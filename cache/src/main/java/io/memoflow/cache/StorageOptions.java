package io.memoflow.cache;

/**
 * Tuning for a storage.
 *
 * @param initialEntries entries the first Chronicle Map file of each index is sized for; when
 *     one fills up, a new file twice as large is added (no failure, no rewrite)
 * @param cacheBytes the weight bound of the Caffeine cache in front of the backend
 */
public record StorageOptions(long initialEntries, long cacheBytes) {

  /** Validates the components. */
  public StorageOptions {
    if (initialEntries < 16) {
      throw new IllegalArgumentException("initialEntries must be at least 16, got " + initialEntries + ".");
    }
    if (cacheBytes < 0) {
      throw new IllegalArgumentException("cacheBytes must not be negative, got " + cacheBytes + ".");
    }
  }

  /** Returns the defaults: 65,536 initial entries, 64 MiB of cache. */
  public static StorageOptions defaults() {
    return new StorageOptions(1 << 16, 64L << 20);
  }

  /** Returns these options with another initial size. */
  public StorageOptions initialEntries(long n) {
    return new StorageOptions(n, cacheBytes);
  }

  /** Returns these options with another cache bound. */
  public StorageOptions cacheBytes(long n) {
    return new StorageOptions(initialEntries, n);
  }
}
