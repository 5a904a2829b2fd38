package io.memoflow.examples;

import io.memoflow.cache.Storage;
import io.memoflow.cache.StorageStats;
import io.memoflow.cache.frame.ComputationFrame;
import io.memoflow.cache.spi.StorageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code memoflow} command-line program: {@code demo} runs the ridge-regression study
 * ({@link RidgeStudy}) on an embedded store; {@code frame}, {@code show} and {@code dot} inspect a
 * store; {@code gc} removes values no call references.
 *
 * <p>Exit codes: {@value #OK} success, {@value #FAILED} a command failed (a point of the study, an
 * op with no stored calls), {@value #USAGE} bad options, {@value #STORE} the store cannot be used
 * (not a store, in use by another process, missing, or the JVM lacks Chronicle Map's options).
 * Run it with the {@code ./memoflow} launcher, which supplies those options.
 */
@Command(name = "memoflow", mixinStandardHelpOptions = true, version = "memoflow 0.1.0-SNAPSHOT",
    description = "Memoized, reactive dataflow over symbolic computation DAGs.",
    subcommands = {MemoflowCli.Demo.class, MemoflowCli.Frame.class, MemoflowCli.Show.class,
        MemoflowCli.Dot.class, MemoflowCli.Gc.class, CommandLine.HelpCommand.class})
public final class MemoflowCli implements Runnable {
  /** Exit code of success. */
  public static final int OK = 0;
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
    CommandLine cl = new CommandLine(new MemoflowCli(terminal));
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
        "Missing command: give one of demo, frame, show, dot, gc (memoflow help for details).");
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
        if (!Files.exists(dir)) {
          throw new CliException("No store at " + dir + ". Run 'memoflow demo --store " + dir
              + "' to create one, or give --store the directory of an existing store.", STORE);
        }
        if (!Files.exists(dir.resolve("FORMAT"))) {
          throw new CliException("Directory " + dir + " is not a memoflow store (it has no FORMAT "
              + "file). Give --store the directory of an existing store.", STORE);
        }
      }
      return Storage.open(dir);
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

    @Override
    public Integer call() {
      RidgeStudy.Config config;
      try {
        config = new RidgeStudy.Config(lambdas, seeds, rows, features, parallelism);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      try (Storage storage = store.open(true)) {
        out.println("Store " + store.store.toAbsolutePath().normalize());
        RidgeStudy.Summary s = RidgeStudy.run(storage, config, out, parent.terminal);
        return s.failed() == 0 ? OK : FAILED;
      }
    }
  }

  /** {@code memoflow frame OP}: a table of an op's calls grown to the full graph. */
  @Command(name = "frame", mixinStandardHelpOptions = true,
      description = "Prints a table of the stored calls of OP, grown to the full graph of calls "
          + "around them (one row per computation, null where a branch was not taken).")
  static final class Frame extends ExistingStoreCommand {
    @Parameters(index = "0", paramLabel = "OP", description = "Op name, e.g. score.")
    String op;

    @Option(names = "--backward", description = "Grow only backward (what OP's calls read).")
    boolean backward;

    @Override
    void run(Storage storage, PrintWriter out) {
      ComputationFrame f = frameOf(storage, op, store.store);
      f = backward ? f.growBackward() : f.grow();
      out.printf(Locale.ROOT, "Frame of '%s' grown %s: %d operation nodes, %d variables, %d calls, %d values%n",
          op, backward ? "backward" : "to the full graph", f.operations().size(),
          f.variables().size(), f.callCount(), f.valueCount());
      out.print(Tables.frame(f.toTable()));
    }
  }

  /** {@code memoflow show}: store statistics. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Prints store statistics: calls, values, bytes on disk, calls per op.")
  static final class Show extends ExistingStoreCommand {
    @Option(names = "--op", paramLabel = "OP",
        description = "Also count the calls of OP (repeatable; the demo's ops are always counted).")
    List<String> ops = new ArrayList<>();

    @Override
    void run(Storage storage, PrintWriter out) {
      StorageStats st = storage.stats();
      long[] disk = diskUsage(store.store);
      out.println("Store " + store.store.toAbsolutePath().normalize());
      out.printf(Locale.ROOT, "  calls    %d%n", st.calls());
      out.printf(Locale.ROOT, "  values   %d%n", st.values());
      out.printf(Locale.ROOT, "  files    %d, %s apparent size (Chronicle Map files are sparse)%n",
          disk[1], bytes(disk[0]));
      out.println("  calls by op:");
      Set<String> names = new LinkedHashSet<>(RidgeStudy.OPS);
      names.addAll(ops);
      for (String name : names) {
        out.printf(Locale.ROOT, "    %-12s %d%n", name, storage.calls(name).size());
      }
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
        out.printf(Locale.ROOT, "Forgot %d calls ('%s' and every call that depends on them).%n",
            d.calls(), forget);
      }
      long removed = storage.cleanup();
      out.printf(Locale.ROOT, "Removed %d unreferenced values; %d calls and %d values remain.%n",
          removed, storage.stats().calls(), storage.stats().values());
    }
  }

  private static ComputationFrame frameOf(Storage storage, String op, Path dir) {
    if (storage.calls(op).isEmpty()) {
      throw new CliException("No stored calls of op '" + op + "' in " + dir + ". The demo's ops are "
          + String.join(", ", RidgeStudy.OPS) + " (run 'memoflow demo' to store some).", FAILED);
    }
    return ComputationFrame.ofOp(storage, op);
  }

  /** Returns {@code [bytes, files]} under {@code dir} (allocated blocks are not counted). */
  static long[] diskUsage(Path dir) {
    long[] r = new long[2];
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(Files::isRegularFile).forEach(p -> {
        try {
          r[0] += Files.size(p);
          r[1]++;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return r;
  }

  static String bytes(long b) {
    if (b < 1024) {
      return b + " B";
    }
    if (b < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
  }
}
