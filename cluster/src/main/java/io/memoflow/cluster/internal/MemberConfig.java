package io.memoflow.cluster.internal;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.memoflow.cluster.ClusterOptions;

/** The Hazelcast configuration of a member: TCP-IP join only, nothing sent home, backups set. */
public final class MemberConfig {
  private MemberConfig() {}

  /** The prefix of every map, multimap and topic memoflow keeps in a cluster. */
  public static final String PREFIX = "memoflow.";

  /** Returns the configuration of a member with {@code options}. */
  public static Config of(ClusterOptions options) {
    Config c = new Config();
    c.setClusterName(options.clusterName());
    c.setInstanceName(null);
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.logging.type", "slf4j");
    // Join at once: the first member of a cluster forms it without waiting for the others.
    c.setProperty("hazelcast.wait.seconds.before.join", "0");
    c.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig net = c.getNetworkConfig();
    net.setPort(options.port()).setPortAutoIncrement(true).setPortCount(20);
    if (options.members().stream().allMatch(m -> m.startsWith("127.") || m.startsWith("localhost"))) {
      net.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    }
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1)
        .setMembers(options.members());
    c.getMapConfig(PREFIX + "*").setBackupCount(options.backupCount());
    c.getMultiMapConfig(PREFIX + "*").setBackupCount(options.backupCount())
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET);
    return c;
  }
}
