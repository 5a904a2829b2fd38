package io.memoflow.cache;

/**
 * A snapshot of a storage's counters and of its in-memory cache.
 *
 * <p>The cache is Caffeine in front of a directory (or other non-memory) backend: call records
 * and value bytes, bounded by weight ({@link StorageOptions#cacheBytes()}). A storage
 * {@linkplain Storage#inMemory() in memory} has no cache in front of its maps, so its cache
 * figures are zero. {@link Storage#clearCache()} empties the cache; its counters keep counting.
 *
 * @param calls stored (committed) calls
 * @param values stored (committed) values
 * @param executed calls whose function ran
 * @param retraced calls found by history id
 * @param reused calls found by content id
 * @param cacheHits Caffeine hits (calls and values)
 * @param cacheMisses Caffeine misses (calls and values)
 * @param cacheEvictions Caffeine evictions for size (entries dropped explicitly are not counted)
 * @param cacheEntries call records and values the cache holds now
 * @param cacheWeight the weight the cache holds now, in approximate bytes
 * @param cacheMaxWeight the weight bound of the cache, in approximate bytes
 */
public record StorageStats(long calls, long values, long executed, long retraced, long reused,
    long cacheHits, long cacheMisses, long cacheEvictions, long cacheEntries, long cacheWeight,
    long cacheMaxWeight) {

  /** Returns hits over lookups of the cache, 0 when it was never asked. */
  public double cacheHitRate() {
    long asked = cacheHits + cacheMisses;
    return asked == 0 ? 0 : (double) cacheHits / asked;
  }
}
