package io.memoflow.cache.internal;

import io.memoflow.cache.spi.StorageBackend;
import io.memoflow.testkit.BackendContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend contract on the Chronicle Map backend: durable, and shared by every backend open
 * on one directory (within this JVM they share the directory's locks, as processes share them
 * through the OS).
 */
class ChronicleBackendContractTest extends BackendContract {
  @TempDir Path tmp;
  /** Backends the suite abandoned as if killed: closed here once the test is done. */
  private final List<StorageBackend> abandoned = new ArrayList<>();

  private Path store() {
    return tmp.resolve("store");
  }

  @Override
  protected StorageBackend newBackend() {
    return ChronicleBackend.open(store(), 1024);
  }

  @Override
  protected StorageBackend reopen(StorageBackend closed) {
    return ChronicleBackend.open(store(), 1024);
  }

  @Override
  protected StorageBackend secondUser(StorageBackend first) {
    return ChronicleBackend.open(store(), 1024);
  }

  /**
   * Opens the store again while {@code live} stays open, unclosed: the new backend reads only
   * what the files hold. (A real kill, and the recovery of the next lone open, are tested with
   * child processes in the cache module: CrossProcessTest, KillFaultTest.)
   */
  @Override
  protected StorageBackend abandonAndOpen(StorageBackend live) {
    abandoned.add(live);
    return ChronicleBackend.open(store(), 1024);
  }

  @AfterEach
  void closeAbandoned() {
    abandoned.forEach(StorageBackend::close);
  }

}
