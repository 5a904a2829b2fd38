package io.memoflow.cluster.internal;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.internal.util.ConcurrencyUtil;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

/** The Hazelcast configuration of a member: TCP-IP join only, nothing sent home, backups set. */
public final class MemberConfig {
  private MemberConfig() {}

  /** How many ports from the configured one a member may take (the next if one is busy). */
  static final int PORTS = 20;

  /** The prefix of every map, multimap and topic memoflow keeps in a cluster. */
  public static final String PREFIX = "memoflow.";

  /**
   * Returns the configuration of a member of {@code clusterName} listening on {@code port} (or
   * the next free one), joining {@code members}, keeping {@code backupCount} backups.
   */
  public static Config of(String clusterName, List<String> members, int port, int backupCount) {
    poolAsyncCallbacks();
    Config c = new Config();
    c.setClusterName(clusterName);
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.logging.type", "slf4j");
    // Join at once: the first member of a cluster forms it without waiting for the others.
    c.setProperty("hazelcast.wait.seconds.before.join", "0");
    c.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig net = c.getNetworkConfig();
    net.setPort(port).setPortAutoIncrement(true).setPortCount(PORTS);
    // A member address without a port is tried on every port a member may take, not only three.
    c.setProperty("hazelcast.tcp.join.port.try.count", Integer.toString(PORTS));
    if (members.stream().allMatch(m -> m.startsWith("127.") || m.startsWith("localhost"))) {
      net.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    }
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1)
        .setMembers(members);
    c.getMapConfig(PREFIX + "*").setBackupCount(backupCount);
    c.getMultiMapConfig(PREFIX + "*").setBackupCount(backupCount)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET);
    return c;
  }

  /**
   * Hazelcast runs some callbacks of its asynchronous operations (a multimap's bulk put among
   * them: two in every commit) on the JDK's common pool, or, where that pool has one thread (a
   * machine of two cores), on a new thread each: measured, 1,000 threads a second during a
   * sweep, the largest cost of a point. They go to a pool of their own instead.
   */
  private static synchronized void poolAsyncCallbacks() {
    if (ForkJoinPool.getCommonPoolParallelism() <= 1
        && !(ConcurrencyUtil.getDefaultAsyncExecutor() instanceof ForkJoinPool)) {
      ConcurrencyUtil.setDefaultAsyncExecutor(new ForkJoinPool(2, pool -> {
        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("memoflow-hazelcast-callbacks-" + t.getPoolIndex());
        t.setDaemon(true);
        return t;
      }, null, true));
    }
  }
}
