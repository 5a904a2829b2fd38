package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

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

  @Override
  protected boolean commitsAtOuterClose() {
    return false;
  }

  @Test
  void session_storesEachCallAsItIsMade() {
    try (Session outer = storage.session()) {
      try (Session inner = storage.session()) {
        inc.call(1);
        assertEquals(1, storage.stats().calls(), "nothing to make durable, so nothing waits");
      }
      assertEquals(2, inc.<Integer>call(1).value());
      inc.call(2);
      assertEquals(2, storage.stats().calls());
    }
    assertEquals(2, storage.stats().calls());
    assertEquals(2, runs.get(), "the retrace inside the session ran nothing");
    assertEquals(1, storage.stats().retraced());
  }
}
