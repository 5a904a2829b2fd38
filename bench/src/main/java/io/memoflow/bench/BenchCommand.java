package io.memoflow.bench;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code memoflow bench [--quick|--full] [--only PREFIX]}: runs the benchmark {@link Report},
 * one JSON line per figure on standard output, what it is measuring and the summary on
 * standard error. A subcommand of the {@code memoflow} program, and the command line of
 * {@link Report#main}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measures memoflow's headline figures and prints one JSON line per figure, "
        + "with its target and whether it is met (bench/README.md lists them).",
        "Standard error says which figures it is measuring and for how long, then a summary."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every figure was measured (met or not)",
        "1:a group of figures failed (the others still ran)", "2:bad options"})
public final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @ArgGroup(exclusive = true)
  Mode mode;

  /** {@code --quick} or {@code --full}, not both. */
  static final class Mode {
    @Option(names = "--quick", description = "Every headline figure, few repetitions (the "
        + "default; about 2 minutes, under 3, on 2 cores).")
    boolean quick;

    @Option(names = "--full", description = "More repetitions and cases, extra sizes and shapes.")
    boolean full;
  }

  @Option(names = "--only", paramLabel = "PREFIX", description = "Only figures whose name "
      + "starts with PREFIX, e.g. dag. or cache.retraceHit.")
  String only = "";

  /** Returns the options given, once parsed. */
  ReportOptions options() {
    if (only.isEmpty() && spec != null && spec.commandLine().getParseResult() != null
        && spec.commandLine().getParseResult().hasMatchedOption("--only")) {
      throw new ParameterException(spec.commandLine(),
          "--only needs a figure name prefix, e.g. --only dag. or --only cache.retraceHit");
    }
    return new ReportOptions(mode != null && mode.full, only);
  }

  @Override
  public Integer call() {
    ReportOptions options = options();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return Report.run(options, Report.groups(), out, err);
  }

  /** Returns a command line that runs this command (its own program, named {@code bench}). */
  static CommandLine commandLine() {
    return new CommandLine(new BenchCommand());
  }
}
