package io.memoflow.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/** Removes a claim if {@code owner} holds it, on the claim's owner member (sent, not awaited). */
final class ReleaseClaim implements EntryProcessor<String, String, Boolean> {
  private static final long serialVersionUID = 1L;
  private final String owner;

  ReleaseClaim(String owner) {
    this.owner = owner;
  }

  @Override
  public Boolean process(Map.Entry<String, String> entry) {
    if (!owner.equals(entry.getValue())) {
      return false;
    }
    entry.setValue(null);
    return true;
  }
}
