package io.memoflow.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/** Deletes the entries it runs on, on their owners: one operation per partition for a batch. */
final class Delete<V> implements EntryProcessor<String, V, Boolean> {
  private static final long serialVersionUID = 1L;

  @Override
  public Boolean process(Map.Entry<String, V> entry) {
    boolean had = entry.getValue() != null;
    entry.setValue(null);
    return had;
  }
}
