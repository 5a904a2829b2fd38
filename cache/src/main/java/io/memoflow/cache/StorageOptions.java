package io.memoflow.cache;

/**
 * Tuning for a storage.
 *
 * @param initialEntries entries the first Chronicle Map file of each index is sized for; when
 *     one fills up, a new file twice as large is added (no failure, no rewrite)
 * @param cacheBytes the weight bound of the Caffeine cache in front of the backend
 * @param claimLease how long a claim on a running call lasts unless renewed (it is renewed while
 *     the call runs); another process takes over a claim whose lease expired, so set it longer
 *     than the longest pause a process may stall for
 */
public record StorageOptions(long initialEntries, long cacheBytes, java.time.Duration claimLease) {

  /** Validates the components. */
  public StorageOptions {
    if (initialEntries < 16) {
      throw new IllegalArgumentException("initialEntries must be at least 16, got " + initialEntries + ".");
    }
    if (cacheBytes < 0) {
      throw new IllegalArgumentException("cacheBytes must not be negative, got " + cacheBytes + ".");
    }
    if (claimLease == null || claimLease.toMillis() < 100) {
      throw new IllegalArgumentException("claimLease must be at least 100 ms, got " + claimLease + ".");
    }
  }

  /** Returns the defaults: 65,536 initial entries, 64 MiB of cache, claims of 10 s. */
  public static StorageOptions defaults() {
    return new StorageOptions(1 << 16, 64L << 20, io.memoflow.cache.internal.ChronicleBackend.DEFAULT_LEASE);
  }

  /** Returns these options with another initial size. */
  public StorageOptions initialEntries(long n) {
    return new StorageOptions(n, cacheBytes, claimLease);
  }

  /** Returns these options with another cache bound. */
  public StorageOptions cacheBytes(long n) {
    return new StorageOptions(initialEntries, n, claimLease);
  }

  /** Returns these options with another claim lease. */
  public StorageOptions claimLease(java.time.Duration lease) {
    return new StorageOptions(initialEntries, cacheBytes, lease);
  }
}
