package io.memoflow.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Extends a claim's lease if {@code owner} still holds it, on the claim's owner member; returns
 * whether it does. A claim that expired and was taken over stays the other's.
 */
final class RenewClaim implements EntryProcessor<String, String, Boolean> {
  private static final long serialVersionUID = 1L;
  private final String owner;
  private final long leaseMillis;

  RenewClaim(String owner, long leaseMillis) {
    this.owner = owner;
    this.leaseMillis = leaseMillis;
  }

  @Override
  public Boolean process(Map.Entry<String, String> entry) {
    if (!owner.equals(entry.getValue())) {
      return false;
    }
    ((ExtendedMapEntry<String, String>) entry).setValue(owner, leaseMillis, TimeUnit.MILLISECONDS);
    return true;
  }
}
