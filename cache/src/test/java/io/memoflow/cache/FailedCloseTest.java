package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.internal.InMemoryBackend;
import io.memoflow.cache.spi.StorageBackend;
import io.memoflow.cache.spi.StorageException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A storage whose last commit fails still closes its backend, and says why it failed. */
class FailedCloseTest {

  @Test
  void aFailingCommitAtClose_isThrown_andTheBackendIsClosedAllTheSame() {
    InMemoryBackend target = new InMemoryBackend();
    AtomicInteger closes = new AtomicInteger();
    StorageBackend failing = (StorageBackend) Proxy.newProxyInstance(
        StorageBackend.class.getClassLoader(), new Class<?>[] {StorageBackend.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "commit" -> throw new StorageException("the disk is full");
            case "close" -> closes.incrementAndGet();
            case "batchesCommits" -> {
              return true;   // stage the session's calls, so the storage's close commits them
            }
            default -> { }
          }
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    Storage storage = Storage.of(failing, StorageOptions.defaults());
    Op inc = Op.of("inc", (Integer x) -> x + 1);
    try (Session s = storage.threadSession(SessionMode.NORMAL)) {
      inc.call(1);
    } catch (StorageException atSessionClose) {
      // the session's own commit may be the one that fails
    }
    try (Session s = storage.threadSession(SessionMode.NORMAL)) {
      inc.call(2);
    } catch (StorageException atSessionClose) {
      // as above
    }
    StorageException e = assertThrows(StorageException.class, storage::close);
    assertTrue(e.getMessage().contains("the disk is full"), e.getMessage());
    assertEquals(1, closes.get(), "backend closes");
  }
}
