package io.memoflow.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * Stores its value under a key that has none, on the key's owner, and returns whether the key
 * had one: putIfAbsent as an entry processor, so that many run at once (submitToKey).
 */
final class PutIfAbsent<V> implements EntryProcessor<String, V, Boolean> {
  private static final long serialVersionUID = 1L;
  private final V value;

  PutIfAbsent(V value) {
    this.value = value;
  }

  @Override
  public Boolean process(Map.Entry<String, V> entry) {
    if (entry.getValue() != null) {
      return true;
    }
    entry.setValue(value);
    return false;
  }
}
