package io.memoflow.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The benchmark report: measures every headline figure the issues name and prints one JSON line
 * per figure, with the target and whether it is met:
 *
 * <pre>{@code
 * {"figure":"dag.build","value":650.0,"unit":"ns/computation","size":1000000,"target":"< 1000 ms total","met":true,...}
 * }</pre>
 *
 * <p>Figures are measured after warm-up as the calling thread's CPU time plus garbage-collection
 * pauses (see {@link Measure}), the cheapest of a few repetitions, so a loaded machine changes
 * them far less than wall time; most lines also give the wall time. {@code --quick} (the
 * default) finishes in under three minutes on two cores; {@code --full} repeats more, plans more
 * cases and adds sizes (100,000 calls) and shapes. The JMH benchmarks ({@code XxxBenchmark})
 * remain the rigorous measurements; this report reuses their set-up and measured code.
 *
 * <p>Standard error says which group of figures is being measured and since when, and every
 * {@value #HEARTBEAT_SECONDS} s that a long one is still running.
 *
 * <p>Run with {@code ./memoflow bench [--quick|--full] [--only PREFIX]}, or:
 *
 * <pre>
 * mvn -B -q -DskipTests -pl examples -am package
 * java @cache/src/main/resources/META-INF/memoflow/jvm.options -Xms4g -Xmx4g -XX:+UseParallelGC \
 *   -jar examples/target/memoflow.jar bench --quick
 * </pre>
 *
 * <p>A summary goes to standard error; the exit status is 0 when every figure was measured, 1
 * when a group failed, 2 for bad arguments. Whether targets are met does not change it.
 */
public final class Report {
  /**
   * The computation-frame figures (issue 5) come from this class when the build has it: a
   * {@link FigureGroup} with prefix {@code "frame."} and a no-argument constructor.
   */
  static final String FRAME_FIGURES = "io.memoflow.bench.FrameFigures";

  /** How often, in seconds, standard error says that a long group is still being measured. */
  static final long HEARTBEAT_SECONDS = 15;

  private Report() {}

  /**
   * Runs the report.
   *
   * @param args {@code [--quick|--full] [--only PREFIX]}
   */
  public static void main(String[] args) {
    System.exit(BenchCommand.commandLine().execute(args));
  }

  /** The figure groups in report order; the frame group when this build has computation frames. */
  static List<FigureGroup> groups() {
    List<FigureGroup> groups = new ArrayList<>(List.of(new DagFigures(), new MatrixFigures(),
        new CacheFigures(), new StoreFigures(), new ClusterFigures()));
    groups.add(optionalGroup(FRAME_FIGURES, "frame.", Figure.skipped("frame.pipeline", "ms", 100_000,
        "< 1000 ms total (create, grow and evaluate a frame of a two-op pipeline)",
        "this build has no computation frames (" + FRAME_FIGURES + " arrives with them)")));
    groups.addAll(List.of(new VersioningFigures(), new PlanningFigures(), new EngineFigures()));
    return groups;
  }

  /**
   * Returns the group named {@code className}, or, when this build does not have that class, a
   * group of prefix {@code prefix} that reports {@code skipped} without measuring anything.
   */
  static FigureGroup optionalGroup(String className, String prefix, Figure skipped) {
    try {
      return (FigureGroup) Class.forName(className).getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      return new FigureGroup() {
        @Override
        public String prefix() {
          return prefix;
        }

        @Override
        public void measure(ReportOptions options, Consumer<Figure> out) {
          out.accept(skipped);
        }
      };
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(className + " must be a FigureGroup with a public no-argument"
          + " constructor: " + e, e);
    }
  }

  /**
   * Measures the groups the options select and prints their figures to {@code out}, one JSON
   * line each, as soon as each is known; a summary goes to {@code err}.
   *
   * @return 0 when every selected group was measured, 1 when one failed (the others still run)
   */
  static int run(ReportOptions options, List<FigureGroup> groups, PrintWriter out, PrintWriter err) {
    return run(options, groups, out, err, HEARTBEAT_SECONDS);
  }

  /** As {@link #run(ReportOptions, List, PrintWriter, PrintWriter)}, with a heartbeat period. */
  static int run(ReportOptions options, List<FigureGroup> groups, PrintWriter out, PrintWriter err,
      long heartbeatSeconds) {
    long start = System.nanoTime();
    int[] counts = new int[4]; // met, not met, no target, skipped
    int failed = 0;
    List<FigureGroup> selected = groups.stream().filter(g -> options.wantsGroup(g.prefix())).toList();
    Heartbeat heartbeat = new Heartbeat(err, start, heartbeatSeconds);
    try {
      for (int k = 0; k < selected.size(); k++) {
        FigureGroup g = selected.get(k);
        String what = g.prefix() + "* (" + (k + 1) + " of " + selected.size() + ")";
        err.printf(Locale.ROOT, "memoflow bench: [%s] measuring %s%n", Heartbeat.clock(start), what);
        err.flush();
        heartbeat.measuring(what);
        try {
          g.measure(options, f -> {
            if (!options.wants(f.name())) {
              return;
            }
            out.println(f.toJson());
            out.flush();
            if (f.details().containsKey("skipped")) {
              counts[3]++;
            } else if (f.met() == null) {
              counts[2]++;
            } else {
              counts[f.met() ? 0 : 1]++;
            }
          });
        } catch (Exception | OutOfMemoryError e) {
          failed++;
          err.println("memoflow bench: the " + g.prefix() + "* figures failed: " + e);
        }
      }
    } finally {
      heartbeat.stop();
    }
    err.printf(Locale.ROOT, "memoflow bench (%s): %d figures met their target, %d did not, %d without a target,"
            + " %d skipped%s; %.0f s%n", options.full() ? "full" : "quick", counts[0], counts[1],
        counts[2], counts[3], failed == 0 ? "" : ", " + failed + " groups failed",
        (System.nanoTime() - start) / 1e9);
    err.flush();
    return failed == 0 ? 0 : 1;
  }
}
