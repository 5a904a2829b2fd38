package io.memoflow.cache.internal;

import io.memoflow.cache.spi.StorageBackend;
import io.memoflow.testkit.BackendContract;

/** The backend contract on the in-memory backend: not durable, not shared. */
class InMemoryBackendContractTest extends BackendContract {
  @Override
  protected StorageBackend newBackend() {
    return new InMemoryBackend();
  }
}
