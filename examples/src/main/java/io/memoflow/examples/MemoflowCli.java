package io.memoflow.examples;

import io.memoflow.bench.BenchCommand;
import io.memoflow.cache.Storage;
import io.memoflow.cache.frame.ComputationFrame;
import io.memoflow.cache.frame.FrameTable;
import io.memoflow.cache.spi.StorageException;
import io.memoflow.cache.spi.StoreCheck;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;
import reactor.core.publisher.Sinks;

/**
 * The {@code memoflow} command-line program: {@code demo} runs the ridge-regression study
 * ({@link RidgeStudy}) on an embedded store; {@code frame}, {@code show} and {@code dot} inspect a
 * store; {@code report} writes an HTML page of it ({@link HtmlReport}); {@code gc} removes values no
 * call references; {@code bench} measures the headline
 * figures ({@link BenchCommand}).
 *
 * <p>Exit codes: {@value #OK} success, {@value #FAILED} a command failed (a point of the study, an
 * op with no stored calls), {@value #USAGE} bad options, {@value #STORE} the store cannot be used
 * (not a store, in use by another process, missing, or the JVM lacks Chronicle Map's options).
 * Run it with the {@code ./memoflow} launcher, which supplies those options.
 */
@Command(name = "memoflow", mixinStandardHelpOptions = true, version = "memoflow 0.1.0-SNAPSHOT",
    description = "Memoized, reactive dataflow over symbolic computation DAGs.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:a command failed (a point of the study, an op with no stored calls)",
        "2:bad options or arguments", "3:the store cannot be used (missing, not a store, damaged, in use)",
        "130:interrupted (Ctrl-C); calls already committed stay stored"},
    subcommands = {MemoflowCli.Demo.class, MemoflowCli.Frame.class, MemoflowCli.Show.class,
        MemoflowCli.Dot.class, MemoflowCli.ReportCommand.class, MemoflowCli.Gc.class,
        MemoflowCli.Verify.class, MemoflowCli.Repair.class, BenchCommand.class,
        MemoflowCli.Member.class, CommandLine.HelpCommand.class})
public final class MemoflowCli implements Runnable {
  /** Exit code of success. */
  public static final int OK = 0;
  /** The SLF4J simple logger's level for Hazelcast: its INFO lines are not the program's. */
  static final String HAZELCAST_LOG_LEVEL = "org.slf4j.simpleLogger.log.com.hazelcast";
  /** Exit code of a command that failed. */
  public static final int FAILED = 1;
  /** Exit code of bad options (picocli's usage error code). */
  public static final int USAGE = 2;
  /** Exit code of a store that cannot be used. */
  public static final int STORE = 3;

  private static final java.util.logging.Logger NETLIB_LOG =
      java.util.logging.Logger.getLogger("dev.ludovic.netlib");

  @Spec
  CommandSpec spec;

  private final boolean terminal;

  private MemoflowCli(boolean terminal) {
    this.terminal = terminal;
  }

  /** Runs the program and exits with its exit code. */
  public static void main(String[] args) {
    // netlib announces at INFO which BLAS it chose; the program's output is its own.
    NETLIB_LOG.setLevel(java.util.logging.Level.WARNING);
    System.exit(commandLine(System.console() != null).execute(args));
  }

  /**
   * Returns the program's command line; set its output with {@code setOut}/{@code setErr} and
   * run it with {@code execute(args)}, which returns the exit code.
   *
   * @param terminal whether output goes to a terminal (the progress bar is then redrawn in place)
   */
  public static CommandLine commandLine(boolean terminal) {
    System.setProperty(HAZELCAST_LOG_LEVEL, System.getProperty(HAZELCAST_LOG_LEVEL, "warn"));
    CommandLine cl = new CommandLine(new MemoflowCli(terminal));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // One version, the program's: every command's -V prints it (picocli gives subcommands none).
    for (CommandLine sub : cl.getSubcommands().values()) {
      sub.getCommandSpec().version(cl.getCommandSpec().version());
    }
    // A bad option gets its message and a one-line hint, not the whole usage text.
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine cmd = ex.getCommandLine();
      PrintWriter err = cmd.getErr();
      err.println("memoflow: " + ex.getMessage());
      err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
      err.flush();
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      int code;
      if (ex instanceof CliException c) {
        err.println("memoflow: " + c.getMessage());
        code = c.exitCode;
      } else if (ex instanceof StorageException) {
        err.println("memoflow: " + ex.getMessage());
        code = STORE;
      } else {
        err.println("memoflow: " + cmd.getCommandName() + " failed: " + ex);
        code = FAILED;
      }
      err.flush();
      return code;
    });
    return cl;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "Missing command: give one of demo, frame, show, dot, report, gc, verify, repair, bench "
            + "(memoflow help for details).");
  }

  /** An error the program reports with its message and an exit code. */
  static final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    CliException(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  /** The {@code --store DIR} option shared by every command. */
  static final class StoreOption {
    @Option(names = "--store", paramLabel = "DIR", defaultValue = ".memoflow",
        description = "Store directory (default: ${DEFAULT-VALUE}).")
    Path store;

    /**
     * Opens the store; creates it only when {@code create}.
     *
     * @throws CliException if the path is a file, or (without {@code create}) no store is there
     */
    Storage open(boolean create) {
      Path dir = store;
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new CliException("Store path " + dir + " is a file, not a directory. Give --store a "
            + "directory: a new one, or an existing store.", STORE);
      }
      if (!create) {
        existing();
      }
      return Storage.open(dir);
    }

    /**
     * Returns the directory of an existing store, for the commands that work on its files.
     *
     * @throws CliException if it is a file, missing, or not a store
     */
    Path existing() {
      Path dir = store;
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new CliException("Store path " + dir + " is a file, not a directory. Give --store the "
            + "directory of an existing store.", STORE);
      }
      if (!Files.exists(dir)) {
        throw new CliException("No store at " + dir + ". Run 'memoflow demo --store " + dir
            + "' to create one, or give --store the directory of an existing store.", STORE);
      }
      if (!Files.exists(dir.resolve("FORMAT"))) {
        throw new CliException("Directory " + dir + " is not a memoflow store (it has no FORMAT "
            + "file). Give --store the directory of an existing store.", STORE);
      }
      return dir;
    }
  }

  /**
   * A command on an existing store ({@code --store}): opens it (never creating one), does its
   * work with {@link #run}, flushes the output, closes the store and exits {@value #OK}.
   */
  abstract static class ExistingStoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    StoreOption store;

    /** Does the command's work on the open {@code storage}, reporting to {@code out}. */
    abstract void run(Storage storage, PrintWriter out);

    @Override
    public final Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (Storage storage = store.open(false)) {
        run(storage, out);
        out.flush();
        return OK;
      }
    }
  }

  /** {@code memoflow demo}: the ridge-regression study. */
  @Command(name = "demo", mixinStandardHelpOptions = true,
      description = {"Runs a ridge-regression study over a grid of lambdas and seeds: matrix "
          + "expressions compiled to BLAS/LAPACK, planned in place, run by the reactive engine, "
          + "memoized in the store. Run it twice: the second run is all hits."})
  static final class Demo implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @CommandLine.ParentCommand
    MemoflowCli parent;
    @Mixin
    StoreOption store;

    @Option(names = "--lambdas", split = ",", paramLabel = "L", defaultValue = "0.01,0.1,1,10,100",
        description = "Regularisation strengths, comma separated (default: ${DEFAULT-VALUE}).")
    List<Double> lambdas;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3",
        description = "Number of data seeds, 1..N (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "60",
        description = "Rows of training and of test data (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--features", paramLabel = "P", defaultValue = "40",
        description = "Features (columns), at most --rows (default: ${DEFAULT-VALUE}).")
    int features;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "2",
        description = "Points run side by side (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--cluster", paramLabel = "N", defaultValue = "0",
        description = "Spread the sweep over N Hazelcast members on 127.0.0.1 (this JVM and N-1"
            + " it starts), each with a local store in --store (default .memoflow-cluster).")
    int cluster;

    @Override
    public Integer call() throws Exception {
      RidgeStudy.Config config;
      try {
        config = new RidgeStudy.Config(lambdas, seeds, rows, features, parallelism);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (cluster != 0) {
        if (cluster < 1 || cluster > 9) {
          throw new ParameterException(spec.commandLine(), "--cluster " + cluster
              + " is not 1..9 members; the demo's members all run on this machine.");
        }
        // The members' stores live apart from the plain demo's store, which is one store.
        Path dir = spec.commandLine().getParseResult().hasMatchedOption("--store")
            ? store.store : Path.of(".memoflow-cluster");
        return ClusterDemo.run(dir, cluster, config, out) ? OK : FAILED;
      }
      // Ctrl-C: the hook stops the study, which stores the points running and says so; the hook
      // waits for the store to close, so the next run opens a cleanly closed store.
      Sinks.One<Boolean> stop = Sinks.one();
      CountDownLatch closed = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        stop.tryEmitValue(true);
        try {
          closed.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "memoflow-interrupt");
      Runtime.getRuntime().addShutdownHook(hook);
      try (Storage storage = store.open(true)) {
        out.println("Store " + store.store.toAbsolutePath().normalize());
        RidgeStudy.Summary s = RidgeStudy.run(storage, config, out, parent.terminal, stop.asMono());
        return s.failed() == 0 ? OK : FAILED;
      } finally {
        closed.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // Interrupted: the hook is running and returns now that the store is closed.
        }
      }
    }
  }

  /** {@code memoflow member}: a member JVM of {@code demo --cluster} (started by the demo). */
  @Command(name = "member", hidden = true,
      description = "A member of 'demo --cluster': serves the study's points until its input closes.")
  static final class Member implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--cluster-name", required = true, paramLabel = "NAME")
    String clusterName;

    @Option(names = "--store", required = true, paramLabel = "DIR")
    Path store;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "2")
    int parallelism;

    @Override
    public Integer call() throws Exception {
      RidgeStudy.Config config = new RidgeStudy.Config(List.of(1.0), 1, 2, 1, parallelism);
      return ClusterDemo.member(clusterName, store, config, spec.commandLine().getOut());
    }
  }

  /** How {@code frame} and {@code show} print: aligned text, CSV or JSON. */
  enum Format { TEXT, CSV, JSON }

  /** {@code memoflow frame OP}: a table of an op's calls grown to the full graph. */
  @Command(name = "frame", mixinStandardHelpOptions = true,
      description = "Prints a table of the stored calls of OP, grown to the full graph of calls "
          + "around them (one row per computation, null where a branch was not taken), rows "
          + "sorted by their inputs.")
  static final class Frame extends ExistingStoreCommand {
    @Parameters(index = "0", paramLabel = "OP", description = "Op name, e.g. score.")
    String op;

    @Option(names = "--backward", description = "Grow only backward (what OP's calls read).")
    boolean backward;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
        description = "text (aligned, long values abbreviated), csv (RFC 4180, exact numbers) or "
            + "json (one object per row); default: ${DEFAULT-VALUE}.")
    Format format;

    @Override
    void run(Storage storage, PrintWriter out) {
      ComputationFrame f = frameOf(storage, op, store.store);
      f = backward ? f.growBackward() : f.grow();
      FrameTable t = Tables.sortedByInputs(f);
      switch (format) {
        case CSV -> out.print(t.toCsv());
        case JSON -> out.print(t.toJsonLines());
        case TEXT -> {
          out.printf(Locale.ROOT, "Frame of '%s' grown %s: %s, %s, %s, %s%n", op,
              backward ? "backward" : "to the full graph",
              Tables.count(f.operations().size(), "operation node"),
              Tables.count(f.variables().size(), "variable"), Tables.count(f.callCount(), "call"),
              Tables.count(f.valueCount(), "value"));
          out.print(Tables.frame(t));
        }
      }
    }
  }

  /** {@code memoflow show}: store statistics. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Prints store statistics: calls, values, files and their size (apparent and "
          + "on disk), calls per op.")
  static final class Show extends ExistingStoreCommand {
    @Option(names = "--op", paramLabel = "OP",
        description = "Also count the calls of OP (repeatable; the demo's ops are always counted).")
    List<String> ops = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
        description = "text, csv (name,value lines) or json (one object); default: ${DEFAULT-VALUE}.")
    Format format;

    @Override
    void run(Storage storage, PrintWriter out) {
      StoreSummary sum = StoreSummary.of(storage, store.store, ops);
      out.print(switch (format) {
        case TEXT -> sum.toText();
        case CSV -> sum.toCsv();
        case JSON -> sum.toJson();
      });
    }
  }

  /** {@code memoflow dot [OP]}: the stored call graph as Graphviz DOT. */
  @Command(name = "dot", mixinStandardHelpOptions = true,
      description = "Prints the graph of stored calls around OP (default: score) as Graphviz DOT, "
          + "with element counts; pipe it to 'dot -Tsvg'.")
  static final class Dot extends ExistingStoreCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "OP", defaultValue = RidgeStudy.SCORE,
        description = "Op whose calls start the graph (default: ${DEFAULT-VALUE}).")
    String op;

    @Option(names = "--mermaid", description = "Print a Mermaid flowchart instead.")
    boolean mermaid;

    @Override
    void run(Storage storage, PrintWriter out) {
      ComputationFrame f = frameOf(storage, op, store.store).grow();
      out.print(mermaid ? f.toMermaid() : f.toDot());
    }
  }

  /** {@code memoflow report}: one self-contained HTML page of the store. */
  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "Writes one self-contained HTML page of the store to DIR/index.html: the graph "
          + "of stored calls, a plot of each swept op's outputs against its swept inputs, and the "
          + "table of each op's calls. Open it in any browser; it loads nothing from the network.")
  static final class ReportCommand extends ExistingStoreCommand {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "memoflow-report",
        description = "Directory of the report (default: ${DEFAULT-VALUE}; created if new, an "
            + "earlier report in it is replaced).")
    Path out;

    @Override
    void run(Storage storage, PrintWriter text) {
      if (Files.exists(out) && !Files.isDirectory(out)) {
        throw new CliException("--out " + out + " is a file. Give --out a directory: the report "
            + "is written to DIR/index.html.", USAGE);
      }
      HtmlReport.Written w;
      try {
        w = HtmlReport.write(storage, store.store, out);
      } catch (java.io.IOException e) {
        throw new CliException("Could not write the report to " + out + ": " + e
            + ". Give --out a directory you can write to.", FAILED);
      }
      text.printf(Locale.ROOT, "Wrote %s: %s, %s, %s.%n", w.file(), Tables.count(w.ops(), "op"),
          Tables.count(w.calls(), "call"), Tables.count(w.plots(), "sweep plot"));
      text.println("Open it in a browser: " + w.file().toUri());
    }
  }

  /** {@code memoflow gc}: removes values no stored call references. */
  @Command(name = "gc", mixinStandardHelpOptions = true,
      description = "Removes stored values that no stored call references. With --forget OP, first "
          + "deletes every call of OP and every call that depends on them.")
  static final class Gc extends ExistingStoreCommand {
    @Option(names = "--forget", paramLabel = "OP",
        description = "Delete the calls of OP (and their dependents) before collecting.")
    String forget;

    @Override
    void run(Storage storage, PrintWriter out) {
      if (forget != null) {
        ComputationFrame.Deletion d = frameOf(storage, forget, store.store).delete();
        out.printf(Locale.ROOT, "Forgot %s ('%s' and every call that depends on them).%n",
            Tables.count(d.calls(), "call"), forget);
      }
      long removed = storage.cleanup();
      out.printf(Locale.ROOT, "Removed %s; %s and %s remain.%n",
          Tables.count(removed, "unreferenced value"), Tables.count(storage.stats().calls(), "call"),
          Tables.count(storage.stats().values(), "value"));
    }
  }

  /**
   * A command on the files of an existing, closed store ({@code --store}), which it does not
   * open as a storage: does its work with {@link #run}, flushes the output, exits with its code.
   */
  abstract static class StoreFilesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    StoreOption store;

    /** Does the command's work on the store in {@code dir}; returns the exit code. */
    abstract int run(Path dir, PrintWriter out);

    @Override
    public final Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      int code = run(store.existing(), out);
      out.flush();
      return code;
    }
  }

  /** {@code memoflow verify}: checks every entry of a closed store. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Checks every name, call record and value of a store against its checksum or "
          + "content id, and every index file against what the store recorded of it; changes "
          + "no entry. Exits 0 if the store is whole, 3 if anything is damaged. Close the store "
          + "everywhere first.")
  static final class Verify extends StoreFilesCommand {
    @Override
    int run(Path dir, PrintWriter out) {
      StoreCheck c = Storage.verify(dir);
      out.printf(Locale.ROOT, "Checked %s and %s in %s: %s.%n", Tables.count(c.callsChecked(), "call"),
          Tables.count(c.valuesChecked(), "value"), dir,
          c.isWhole() ? "the store is whole" : Tables.count(c.damage().size(), "damaged entry", "damaged entries"));
      printDamage(out, dir, c);
      if (!c.isWhole()) {
        out.printf(Locale.ROOT, "Run 'memoflow repair --store %s' to rebuild it from what is whole "
            + "(%s would run again when next called), or restore it from a copy.%n", dir,
            Tables.count(c.callsLost(), "call"));
      }
      return c.isWhole() ? OK : STORE;
    }
  }

  /** {@code memoflow repair}: rebuilds a damaged store from what is whole. */
  @Command(name = "repair", mixinStandardHelpOptions = true,
      description = "Rebuilds a damaged store from what verify finds whole: the values that match "
          + "their ids, the calls whose records and outputs are whole, fresh indexes and the "
          + "version history. The damaged original is kept beside it. A whole store is left as it "
          + "is; a store of an earlier memoflow (format 2) is converted. Close the store everywhere "
          + "first.")
  static final class Repair extends StoreFilesCommand {
    @Override
    int run(Path dir, PrintWriter out) {
      StoreCheck c = Storage.repair(dir);
      if (c.keptAs().isEmpty()) {
        out.printf(Locale.ROOT, "Nothing to repair: %s and %s in %s are whole.%n",
            Tables.count(c.callsChecked(), "call"), Tables.count(c.valuesChecked(), "value"), dir);
      } else if (c.isWhole()) {
        out.printf(Locale.ROOT, "Converted %s to this memoflow's store format: %s and %s kept.%n", dir,
            Tables.count(c.callsChecked(), "call"), Tables.count(c.valuesChecked(), "value"));
        out.printf(Locale.ROOT, "The original is in %s; delete it when you no longer need it.%n",
            c.keptAs().get());
      } else {
        printDamage(out, dir, c);
        out.printf(Locale.ROOT, "Repaired %s: kept %d of %s and %d of %s; the lost calls run again "
            + "when next called.%n", dir, c.callsChecked() - c.callsLost(),
            Tables.count(c.callsChecked(), "call"), c.valuesChecked() - c.valuesLost(),
            Tables.count(c.valuesChecked(), "value"));
        out.printf(Locale.ROOT, "The damaged original is in %s; delete it when you no longer need it.%n",
            c.keptAs().get());
      }
      return OK;
    }
  }

  private static void printDamage(PrintWriter out, Path dir, StoreCheck c) {
    for (StoreCheck.Damage d : c.damage()) {
      Path f = d.file().startsWith(dir.toAbsolutePath().normalize())
          ? dir.toAbsolutePath().normalize().relativize(d.file()) : d.file();
      out.printf(Locale.ROOT, "  %s: %s%n", f, d.what());
    }
  }

  private static ComputationFrame frameOf(Storage storage, String op, Path dir) {
    if (storage.calls(op).isEmpty()) {
      throw new CliException("No stored calls of op '" + op + "' in " + dir + ". The demo's ops are "
          + String.join(", ", RidgeStudy.OPS) + " (run 'memoflow demo' to store some).", FAILED);
    }
    return ComputationFrame.ofOp(storage, op);
  }
}
