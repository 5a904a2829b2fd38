package io.memoflow.cluster;

import io.memoflow.cache.Storage;
import io.memoflow.reactive.Engine;

/**
 * A member JVM for {@link MemberKillTest}: joins the cluster named by its first argument,
 * registers {@link DistributedSweepTest}'s sweep, prints {@code ready} and serves points until
 * its input closes or it is killed.
 */
public final class SweepMemberProcess {
  private SweepMemberProcess() {}

  /** Runs the member; {@code args[0]} is the cluster name. */
  public static void main(String[] args) throws Exception {
    ClusterOptions options = Members.options("unused").clusterName(args[0]);
    try (ClusterMember member = ClusterMember.start(options);
         Storage storage = member.storage();
         Engine engine = Engine.builder().storage(storage).maxParallelism(2)
             .bind(DistributedSweepTest.SLOW_SQUARE, DistributedSweepTest.slowSquare(null)).build();
         ClusterSweeps sweeps = ClusterSweeps.register(member, "squares", engine,
             DistributedSweepTest.STUDY)) {
      System.out.println("ready " + member.address());
      System.out.flush();
      while (System.in.read() >= 0) {
        // serve until the test closes our input
      }
    }
  }
}
