package io.memoflow.cluster.internal;

import io.memoflow.cache.spi.StorageBackend;
import io.memoflow.cluster.Members;
import io.memoflow.testkit.BackendContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The backend contract on three embedded members: the user under test on the first, a second
 * user on the second, a reopened backend on the third; each test on a store of its own.
 */
class HazelcastBackendContractTest extends BackendContract {
  private static Members members;
  private String store;
  private final List<StorageBackend> abandoned = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    members = Members.start("contract", 3);
  }

  @AfterAll
  static void stopCluster() {
    members.close();
  }

  private StorageBackend on(int member) {
    return new HazelcastBackend(members.get(member).hazelcast(), store, Duration.ofSeconds(2),
        null);
  }

  /** A backend on the first member, over a store of its own (one per test). */
  @Override
  protected StorageBackend newBackend() {
    store = "contract-" + UUID.randomUUID();
    return on(0);
  }

  @Override
  protected StorageBackend reopen(StorageBackend closed) {
    return on(2);
  }

  @Override
  protected StorageBackend secondUser(StorageBackend first) {
    return on(1);
  }

  /** The data lives on the members: a user that vanishes takes nothing committed with it. */
  @Override
  protected StorageBackend abandonAndOpen(StorageBackend live) {
    abandoned.add(live);
    return on(2);
  }

  @AfterEach
  void closeAbandoned() {
    abandoned.forEach(StorageBackend::close);
  }
}
