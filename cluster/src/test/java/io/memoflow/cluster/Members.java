package io.memoflow.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Embedded members on 127.0.0.1 for the tests: each cluster with a name of its own. */
public final class Members implements AutoCloseable {
  private final ClusterOptions options;
  private final List<ClusterMember> members = new ArrayList<>();

  private Members(ClusterOptions options) {
    this.options = options;
  }

  /** Returns options for a new cluster named after {@code test}, members on 127.0.0.1. */
  public static ClusterOptions options(String test) {
    return ClusterOptions.defaults().clusterName(test + "-" + UUID.randomUUID())
        .members("127.0.0.1").port(5701).claimLease(Duration.ofSeconds(2));
  }

  /** Returns no members yet of a new cluster named after {@code test}: {@link #add} starts them. */
  public static Members none(String test) {
    return new Members(options(test));
  }

  /** Returns no members yet of the cluster {@code options} names (to start it again). */
  public static Members of(ClusterOptions options) {
    return new Members(options);
  }

  /** Starts {@code n} members of a new cluster named after {@code test}. */
  public static Members start(String test, int n) {
    return start(options(test), n);
  }

  /** Starts {@code n} members of the cluster {@code options} names, each seeing all the others. */
  public static Members start(ClusterOptions options, int n) {
    Members m = new Members(options);
    for (int i = 0; i < n; i++) {
      m.add(null);
    }
    m.awaitAll();
    return m;
  }

  /** Waits until every running member sees every other (a join reaches the others late). */
  public void awaitAll() {
    int running = (int) members.stream()
        .filter(x -> x.hazelcast().getLifecycleService().isRunning()).count();
    try {
      for (ClusterMember x : members) {
        if (x.hazelcast().getLifecycleService().isRunning()) {
          x.awaitClusterSize(running, Duration.ofSeconds(30));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the members joined", e);
    }
  }

  /** Starts one more member, with the local store {@code dir} (or none). */
  public ClusterMember add(Path dir) {
    ClusterMember m = ClusterMember.start(dir == null ? options : options.localStore(dir));
    members.add(m);
    return m;
  }

  /** Returns member {@code i}. */
  public ClusterMember get(int i) {
    return members.get(i);
  }

  /** Returns the options the members started with (without a local store). */
  public ClusterOptions options() {
    return options;
  }

  /** Kills member {@code i} as a crash would: no graceful handover. */
  public void terminate(int i) {
    members.get(i).hazelcast().getLifecycleService().terminate();
  }

  @Override
  public void close() {
    for (ClusterMember m : members) {
      if (m.hazelcast().getLifecycleService().isRunning()) {
        m.hazelcast().getLifecycleService().terminate();
      }
    }
  }
}
