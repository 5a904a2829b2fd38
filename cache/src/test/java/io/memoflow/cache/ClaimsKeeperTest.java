package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.memoflow.cache.internal.InMemoryBackend;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageBackend;
import io.memoflow.cache.spi.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The claims keeper, which runs every 20 ms, says a lasting failure once, not at every run. */
class ClaimsKeeperTest {

  @Test
  void aBackendThatStaysDown_isReportedOnce_whileTheKeeperRetries() throws Exception {
    AtomicInteger tries = new AtomicInteger();
    InMemoryBackend target = new InMemoryBackend();
    StorageBackend down = (StorageBackend) Proxy.newProxyInstance(
        StorageBackend.class.getClassLoader(), new Class<?>[] {StorageBackend.class},
        (proxy, method, args) -> {
          if (method.getName().equals("claimsWanted")) {
            tries.incrementAndGet();
            throw new StorageException("the member is down");
          }
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    PrintStream err = System.err;
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    try (Claims claims = new Claims(down, 10_000, true, () -> { })) {
      System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
      assertNull(claims.claimOrAwait(HistoryId.fromHex("ab".repeat(16)), () -> null), "claimed");
      long end = System.nanoTime() + 5_000_000_000L;
      while (tries.get() < 10 && System.nanoTime() < end) {
        Thread.sleep(20);
      }
    } finally {
      System.setErr(err);
    }
    String log = said.toString(StandardCharsets.UTF_8);
    assertEquals(true, tries.get() >= 10, "the keeper retried: " + tries.get());
    assertEquals(1, log.split("Keeping claims failed", -1).length - 1, log);
  }
}
