package io.memoflow.cache;

/**
 * A snapshot of a storage's counters.
 *
 * @param calls stored (committed) calls
 * @param values stored (committed) values
 * @param executed calls whose function ran
 * @param retraced calls found by history id
 * @param reused calls found by content id
 * @param cacheHits Caffeine hits (calls and values)
 * @param cacheMisses Caffeine misses (calls and values)
 * @param cacheEvictions Caffeine evictions
 */
public record StorageStats(long calls, long values, long executed, long retraced, long reused,
    long cacheHits, long cacheMisses, long cacheEvictions) {}
