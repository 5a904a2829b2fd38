package io.memoflow.cache;

/** Runs the storage contract on {@link Storage#inMemory()}. */
class InMemoryStorageTest extends StorageContractTest {
  @Override
  protected Storage newStorage() {
    return Storage.inMemory();
  }

  @Override
  protected Storage reopen(Storage storage) {
    return storage;
  }
}
