package io.memoflow.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import java.util.HashMap;
import java.util.Map;

/**
 * Puts, on the member that owns them, the entries of one partition whose keys have no value
 * yet, and returns for each whether it had one: putIfAbsent for a batch, one operation per
 * partition carrying only that partition's entries, with no lock held.
 */
final class PutAllIfAbsent<V> implements EntryProcessor<String, V, Boolean> {
  private static final long serialVersionUID = 1L;
  private final HashMap<String, V> entries;

  PutAllIfAbsent(Map<String, V> entries) {
    this.entries = new HashMap<>(entries);
  }

  @Override
  public Boolean process(Map.Entry<String, V> entry) {
    if (entry.getValue() != null) {
      return true;
    }
    entry.setValue(entries.get(entry.getKey()));
    return false;
  }
}
