package io.memoflow.cluster;

import static java.util.Objects.requireNonNull;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.memoflow.cache.Storage;
import io.memoflow.cache.StorageOptions;
import io.memoflow.cache.spi.StorageBackend;
import io.memoflow.cluster.internal.HazelcastBackend;
import io.memoflow.cluster.internal.MemberConfig;
import java.time.Duration;

/**
 * A member of a memoflow cluster: an embedded Hazelcast member (community edition) in this JVM,
 * joined to the others by TCP-IP. Its {@link #storage()} is the cluster's memo store:
 *
 * <pre>{@code
 * try (ClusterMember member = ClusterMember.start(ClusterOptions.defaults()
 *          .clusterName("lab").localStore(Path.of(".memoflow-member")));
 *      Storage storage = member.storage();
 *      Session s = storage.session()) {
 *   Ref<Integer> y = inc.call(1);   // computed once in the whole cluster, retraced everywhere
 * }
 * }</pre>
 *
 * <p>Thread-safe. Closing it leaves the cluster gracefully: the others take over its partitions
 * from the backups, losing nothing.
 */
public final class ClusterMember implements AutoCloseable {
  private final HazelcastInstance hz;
  private final ClusterOptions options;

  private ClusterMember(HazelcastInstance hz, ClusterOptions options) {
    this.hz = hz;
    this.options = options;
  }

  /**
   * Starts a member with {@code options} and joins (or forms) its cluster. If the options name a
   * local store, what it holds is announced to the cluster before this returns.
   *
   * @throws io.memoflow.cache.spi.StorageException if the local store cannot be opened
   */
  public static ClusterMember start(ClusterOptions options) {
    requireNonNull(options, "options");
    ClusterMember m = new ClusterMember(Hazelcast.newHazelcastInstance(MemberConfig.of(
        options.clusterName(), options.members(), options.port(), options.backupCount())),
        options);
    if (options.localStore() != null) {
      try (HazelcastBackend b = m.backend()) {
        b.announce();
      } catch (RuntimeException e) {
        m.close();
        throw e;
      }
    }
    return m;
  }

  /**
   * Returns a new storage over the cluster's store (with a Caffeine cache in front, so a retrace
   * that hits it never goes to the network); closing it leaves the member running.
   */
  public Storage storage() {
    return Storage.of(backend(), StorageOptions.defaults().claimLease(options.claimLease()));
  }

  private HazelcastBackend backend() {
    StorageBackend local = options.localStore() == null ? null
        : Storage.openBackend(options.localStore(), StorageOptions.defaults()
            .claimLease(options.claimLease()));
    return new HazelcastBackend(hz, options.storeName(), options.claimLease(), local);
  }

  /** Returns the options this member started with. */
  public ClusterOptions options() {
    return options;
  }

  /** Returns the number of members in the cluster, this one included. */
  public int clusterSize() {
    return hz.getCluster().getMembers().size();
  }

  /**
   * Waits until this member sees at least {@code size} members (itself included). A member that
   * joins is seen by the others a moment after its own start returns, so a program that needs
   * all of them waits here first.
   *
   * @throws IllegalStateException if {@code timeout} passes first, with what was seen
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public void awaitClusterSize(int size, Duration timeout) throws InterruptedException {
    requireNonNull(timeout, "timeout");
    long end = System.nanoTime() + timeout.toNanos();
    while (clusterSize() < size) {
      if (System.nanoTime() - end > 0) {
        throw new IllegalStateException("Member " + address() + " sees " + clusterSize() + " of "
            + size + " members of cluster '" + options.clusterName() + "' after " + timeout
            + ": check that the others run with the same cluster name and that their ports ("
            + options.port() + " and up) on " + options.members() + " are free and reachable.");
      }
      Thread.sleep(20);
    }
  }

  /** Returns this member's address, {@code host:port}. */
  public String address() {
    var a = hz.getCluster().getLocalMember().getAddress();
    return a.getHost() + ":" + a.getPort();
  }

  /** Returns the Hazelcast member itself, for what memoflow does not wrap. */
  public HazelcastInstance hazelcast() {
    return hz;
  }

  /** Leaves the cluster gracefully and stops the member. */
  @Override
  public void close() {
    hz.shutdown();
  }
}
