package io.memoflow.cluster;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a {@link ClusterMember} joins its cluster and keeps its store. Immutable; every method
 * returns a copy.
 *
 * @param clusterName members join only a cluster of their own name
 * @param members the addresses ({@code host} or {@code host:port}) of members to join by TCP-IP;
 *     a host alone is tried on the 20 ports from 5701
 * @param port the port this member listens on (the next free one if taken)
 * @param backupCount how many other members hold a copy of each entry (1: losing one member
 *     loses nothing)
 * @param claimLease how long a member that stopped renewing holds its claims on new calls
 * @param storeName the name of the memo store in the cluster (several may share one cluster)
 * @param localStore where this member also writes what it commits, to re-announce after a
 *     full-cluster restart; null for none (nothing survives a full restart)
 */
public record ClusterOptions(String clusterName, List<String> members, int port, int backupCount,
    Duration claimLease, String storeName, Path localStore) {

  /** Validates and copies the components. */
  public ClusterOptions {
    requireNonNull(clusterName, "clusterName");
    members = List.copyOf(members);
    requireNonNull(claimLease, "claimLease");
    requireNonNull(storeName, "storeName");
    if (clusterName.isBlank() || storeName.isBlank()) {
      throw new IllegalArgumentException("A cluster name and a store name must not be blank.");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("Port " + port + " is not a TCP port; pass 1..65535"
          + " (5701 is Hazelcast's).");
    }
    if (backupCount < 0 || backupCount > 6) {
      throw new IllegalArgumentException("A backup count of " + backupCount + " is out of"
          + " Hazelcast's range; pass 0..6 (1 survives the loss of one member).");
    }
    if (claimLease.isNegative() || claimLease.isZero()) {
      throw new IllegalArgumentException("A claim lease must be positive, not " + claimLease + ".");
    }
  }

  /**
   * Returns the defaults: cluster {@code memoflow} on 127.0.0.1 (a host without a port is tried
   * on the 20 ports from 5701 that members may take), port 5701, one backup, a 10 s claim
   * lease, store {@code memoflow}, no local store.
   */
  public static ClusterOptions defaults() {
    return new ClusterOptions("memoflow", List.of("127.0.0.1"), 5701, 1, Duration.ofSeconds(10),
        "memoflow", null);
  }

  /** Returns these options with cluster name {@code name}. */
  public ClusterOptions clusterName(String name) {
    return new ClusterOptions(name, members, port, backupCount, claimLease, storeName, localStore);
  }

  /** Returns these options joining the members at {@code addresses}. */
  public ClusterOptions members(String... addresses) {
    return new ClusterOptions(clusterName, List.of(addresses), port, backupCount, claimLease,
        storeName, localStore);
  }

  /** Returns these options listening on {@code port}. */
  public ClusterOptions port(int port) {
    return new ClusterOptions(clusterName, members, port, backupCount, claimLease, storeName,
        localStore);
  }

  /** Returns these options with {@code n} backups of every entry. */
  public ClusterOptions backupCount(int n) {
    return new ClusterOptions(clusterName, members, port, n, claimLease, storeName, localStore);
  }

  /** Returns these options with claim lease {@code lease}. */
  public ClusterOptions claimLease(Duration lease) {
    return new ClusterOptions(clusterName, members, port, backupCount, lease, storeName,
        localStore);
  }

  /** Returns these options with store name {@code name}. */
  public ClusterOptions storeName(String name) {
    return new ClusterOptions(clusterName, members, port, backupCount, claimLease, name,
        localStore);
  }

  /** Returns these options writing this member's commits also to the store in {@code dir}. */
  public ClusterOptions localStore(Path dir) {
    return new ClusterOptions(clusterName, members, port, backupCount, claimLease, storeName, dir);
  }
}
