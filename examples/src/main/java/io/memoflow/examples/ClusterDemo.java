package io.memoflow.examples;

import io.memoflow.cache.Storage;
import io.memoflow.cluster.ClusterMember;
import io.memoflow.cluster.ClusterOptions;
import io.memoflow.cluster.ClusterSweeps;
import io.memoflow.reactive.Engine;
import io.memoflow.reactive.SweepResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code memoflow demo --cluster N}: the ridge study's sweep spread over N Hazelcast members on
 * 127.0.0.1, this JVM and N-1 member JVMs it starts ({@code memoflow member}). Each member keeps
 * its own local store under the demo's directory ({@code member-1}, ...), so a second run, with
 * fresh members, finds everything again: all hits, whichever member runs which point.
 */
final class ClusterDemo {
  private ClusterDemo() {}

  /** The name the members register the study's sweep under. */
  static final String SWEEP = "ridge";

  /** The options of a demo member: loopback only, the demo's own cluster name. */
  static ClusterOptions options(String cluster, Path localStore) {
    return ClusterOptions.defaults().clusterName(cluster).members("127.0.0.1").port(5701)
        .localStore(localStore);
  }

  /**
   * Runs a member JVM of the demo: joins {@code cluster}, registers the sweep, prints {@code
   * ready HOST:PORT} and serves points until its standard input closes (the demo ended, or
   * died).
   */
  static int member(String cluster, Path localStore, RidgeStudy.Config config, PrintWriter out)
      throws IOException {
    try (ClusterMember member = ClusterMember.start(options(cluster, localStore));
         Storage storage = member.storage();
         Engine engine = RidgeStudy.engine(storage, config);
         ClusterSweeps sweeps = ClusterSweeps.register(member, SWEEP, engine, RidgeStudy.PIPELINE)) {
      out.println("ready " + member.address());
      out.flush();
      while (System.in.read() >= 0) {
        // serve until the demo closes our input
      }
    }
    return 0;
  }

  /**
   * Runs the study over {@code members} members whose local stores live in {@code dir}, printing
   * each point with the member that ran it and what it computed.
   *
   * @return whether every point succeeded
   */
  static boolean run(Path dir, int members, RidgeStudy.Config config, PrintWriter out)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    String cluster = "memoflow-demo-" + UUID.randomUUID();
    List<Process> children = new ArrayList<>();
    try {
      for (int i = 2; i <= members; i++) {
        children.add(startMember(cluster, dir.resolve("member-" + i), dir.resolve("member-" + i
            + ".log"), config));
      }
      try (ClusterMember member = ClusterMember.start(options(cluster, dir.resolve("member-1")))) {
        for (Process p : children) {
          awaitReady(p, dir);
        }
        member.awaitClusterSize(members, Duration.ofSeconds(60));
        out.printf(Locale.ROOT, "Cluster %s: %d members on 127.0.0.1, local stores in %s%n",
            cluster, member.clusterSize(), dir.toAbsolutePath().normalize());
        out.flush();
        try (Storage storage = member.storage();
             Engine engine = RidgeStudy.engine(storage, config);
             ClusterSweeps sweeps = ClusterSweeps.register(member, SWEEP, engine,
                 RidgeStudy.PIPELINE)) {
          return sweep(sweeps, storage, config, out);
        }
      }
    } finally {
      for (Process p : children) {
        p.getOutputStream().close();   // the member leaves when its input closes
      }
      for (Process p : children) {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static boolean sweep(ClusterSweeps sweeps, Storage storage, RidgeStudy.Config config,
      PrintWriter out) {
    Map<String, Integer> computedBy = new TreeMap<>();
    int[] counts = new int[3];   // points, hits, failed
    // One point per batch: the study's points are few and slow, so spread them one by one.
    sweeps.sweepPlaced(RidgeStudy.points(config), 1).doOnNext(p -> {
      SweepResult r = p.result();
      counts[0]++;
      String label = RidgeStudy.label(r.bindings());
      if (!r.succeeded()) {
        counts[2]++;
        out.printf(Locale.ROOT, "  %-24s FAILED on %s: %s%n", label, p.member(),
            r.error().getMessage());
      } else {
        double mse = ((Number) r.output(io.memoflow.dag.Expr.symbol("mse"))).doubleValue();
        if (p.computed().isEmpty()) {
          counts[1]++;
        } else {
          computedBy.merge(p.member(), 1, Integer::sum);
        }
        out.printf(Locale.ROOT, "  %-24s test mse %10s   %s: %s%n", label,
            io.memoflow.cache.frame.TextTable.number(mse), p.member(),
            p.computed().isEmpty() ? "hit" : "computed " + String.join(", ", p.computed()));
      }
      out.flush();
    }).blockLast(Duration.ofHours(24));
    if (counts[2] > 0) {
      out.printf(Locale.ROOT, "%d of %s failed (see above).%n", counts[2],
          Tables.count(counts[0], "point"));
    } else if (computedBy.isEmpty()) {
      out.printf(Locale.ROOT, "All %d points were hits: nothing was computed, on any member.%n",
          counts[0]);
    } else {
      List<String> by = new ArrayList<>();
      computedBy.forEach((m, n) -> by.add(m + " " + n));
      out.printf(Locale.ROOT, "%s: computed on %s; %s. Run it again: every point will be a hit.%n",
          Tables.count(counts[0], "point"), String.join(", ", by), Tables.count(counts[1], "hit"));
    }
    out.println();
    out.println("Stored results (computation frame grown backward from '" + RidgeStudy.SCORE
        + "'):");
    out.print(RidgeStudy.resultsTable(storage));
    out.flush();
    return counts[2] == 0;
  }

  /** Starts a member JVM of this program, with this JVM's options and class path. */
  private static Process startMember(String cluster, Path store, Path log,
      RidgeStudy.Config config) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // A training run's archive is written by the parent alone; agents are not for members.
      if (!a.startsWith("-XX:ArchiveClassesAtExit") && !a.startsWith("-agentlib")
          && !a.startsWith("-javaagent")) {
        cmd.add(a);
      }
    }
    cmd.add("-D" + MemoflowCli.HAZELCAST_LOG_LEVEL + "=warn");
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MemoflowCli.class.getName(),
        "member", "--cluster-name", cluster, "--store", store.toString(),
        "--parallelism", Integer.toString(config.parallelism())));
    return new ProcessBuilder(cmd).redirectError(log.toFile()).start();
  }

  private static void awaitReady(Process p, Path dir) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8));
    String line = in.readLine();
    if (line == null || !line.startsWith("ready ")) {
      throw new IllegalStateException("A member JVM of the demo did not start (it said "
          + (line == null ? "nothing" : "'" + line + "'") + "); its log is in " + dir
          + "/member-N.log.");
    }
  }

}
