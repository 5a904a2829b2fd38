package io.memoflow.examples;

import static java.util.Objects.requireNonNull;

import io.memoflow.cache.Op;
import io.memoflow.cache.OpFunction;
import io.memoflow.cache.Storage;
import io.memoflow.cache.frame.ComputationFrame;
import io.memoflow.cache.frame.FrameTable;
import io.memoflow.cache.frame.TextTable;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import io.memoflow.matrix.Cover;
import io.memoflow.matrix.MatrixCompiler;
import io.memoflow.matrix.MatrixExpr;
import io.memoflow.matrix.MatrixProperty;
import io.memoflow.inplace.BufferPlan;
import io.memoflow.inplace.BufferPlanner;
import io.memoflow.reactive.Engine;
import io.memoflow.reactive.EngineEvent;
import io.memoflow.reactive.SweepEvent;
import io.memoflow.reactive.SweepResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The ridge-regression study behind {@code memoflow demo}: for every point of a grid of
 * regularisation strengths {@code lambda} and data seeds, generate data (one op per seed), fit
 * {@code beta = (X^T X + lambda I)^-1 X^T y} and score it on held-out data.
 *
 * <p>The fit is written as a matrix expression, compiled by {@link MatrixCompiler} into BLAS/LAPACK
 * calls ({@code SYRK}, {@code GEMM}, {@code POSV}), planned in place by {@link BufferPlanner} and
 * executed on the plan. The three ops run through the reactive {@link Engine} as a sweep whose
 * results stream to the terminal as each point completes, with a progress bar of hits vs
 * computed nodes; every call is memoized in the {@link Storage}, so a second run is all hits.
 * The closing table comes from a {@link ComputationFrame} grown backward from {@code score}.
 *
 * <pre>{@code
 * try (Storage storage = Storage.open(Path.of(".memoflow"))) {
 *   RidgeStudy.Summary s = RidgeStudy.run(storage, RidgeStudy.Config.defaults(), out, false);
 *   s.allHits();    // true on the second run
 * }
 * }</pre>
 *
 * <p>Thread-safe: the ops and compiled kernels are shared, immutable or synchronised.
 */
public final class RidgeStudy {
  /*
   * Overview: the pipeline is a three-node composite (generate -> ridge_fit -> score) built with
   * Dag.builder and bound to three cache Ops with explicit version labels (their identity never
   * depends on their code). The sweep streams each point's node events (Engine.sweepEvents), so
   * a point learns which of its nodes were computed and which were hits from its own Computed
   * events, also when two points race for one shared generate call (the second waits and
   * retraces: a Hit). The ridge kernel (compiled cover plus buffer plan) is built once per problem
   * shape and reused by every fit.
   */

  /** Name of the data-generation op. */
  public static final String GENERATE = "generate";
  /** Name of the fitting op. */
  public static final String FIT = "ridge_fit";
  /** Name of the scoring op. */
  public static final String SCORE = "score";
  /** The ops of the study, in pipeline order. */
  public static final List<String> OPS = List.of(GENERATE, FIT, SCORE);

  private static final Operation GENERATE_STEP = Operation.of(GENERATE,
      List.of("seed", "rows", "features"), List.of("X", "y", "Xtest", "ytest"));
  private static final Operation FIT_STEP = Operation.of(FIT,
      List.of("X", "y", "lambda"), List.of("beta"));
  private static final Operation SCORE_STEP = Operation.of(SCORE,
      List.of("beta", "Xtest", "ytest"), List.of("mse"));

  /** The pipeline: one point of the study. */
  public static final CompositeComputation PIPELINE = Dag.builder()
      .input("seed", "lambda", "rows", "features")
      .step(GENERATE_STEP, "seed", "rows", "features").as("X", "y", "Xtest", "ytest")
      .step(FIT_STEP, "X", "y", "lambda").as("beta")
      .step(SCORE_STEP, "beta", "Xtest", "ytest").as("mse")
      .build();

  private static final Expr SEED = Expr.symbol("seed");
  private static final Expr LAMBDA = Expr.symbol("lambda");
  private static final Expr ROWS = Expr.symbol("rows");
  private static final Expr FEATURES = Expr.symbol("features");
  private static final Expr MSE = Expr.symbol("mse");

  private static final Map<List<Integer>, RidgeKernel> KERNELS = new ConcurrentHashMap<>();

  private RidgeStudy() {}

  /**
   * The study's grid and problem size.
   *
   * @param lambdas regularisation strengths, each positive
   * @param seeds number of data seeds (seeds {@code 1..seeds})
   * @param rows rows of the training (and of the test) data
   * @param features columns of the data; at most {@code rows}
   * @param parallelism points run side by side
   */
  public record Config(List<Double> lambdas, int seeds, int rows, int features, int parallelism) {
    /**
     * Validates the grid.
     *
     * @throws IllegalArgumentException naming the option that is wrong and what to give instead
     */
    public Config {
      lambdas = List.copyOf(requireNonNull(lambdas, "lambdas"));
      if (lambdas.isEmpty()) {
        throw new IllegalArgumentException("--lambdas is empty: give at least one value, e.g. --lambdas 0.1,1,10.");
      }
      for (double l : lambdas) {
        if (!(l > 0) || Double.isInfinite(l)) {
          throw new IllegalArgumentException("--lambdas: " + l + " is not a positive number; "
              + "ridge regression needs lambda > 0, e.g. --lambdas 0.1,1,10.");
        }
      }
      if (lambdas.size() != Set.copyOf(lambdas).size()) {
        throw new IllegalArgumentException("--lambdas " + lambdas + " repeats a value; give each value once.");
      }
      if (seeds < 1) {
        throw new IllegalArgumentException("--seeds is " + seeds + "; give at least 1 seed.");
      }
      if (features < 1) {
        throw new IllegalArgumentException("--features is " + features + "; give at least 1.");
      }
      if (rows < features) {
        throw new IllegalArgumentException("--rows " + rows + " is below --features " + features
            + ": the fit needs at least as many rows as features. Raise --rows or lower --features.");
      }
      if (parallelism < 1) {
        throw new IllegalArgumentException("--parallelism is " + parallelism + "; give at least 1.");
      }
    }

    /** Returns the defaults: lambdas 0.01, 0.1, 1, 10, 100; 3 seeds; 60 x 40 data; 2 threads. */
    public static Config defaults() {
      return new Config(List.of(0.01, 0.1, 1.0, 10.0, 100.0), 3, 60, 40, 2);
    }

    /** Returns the number of grid points. */
    public int points() {
      return lambdas.size() * seeds;
    }
  }

  /**
   * What a run of the study did.
   *
   * @param points grid points run
   * @param failed points that failed
   * @param computed nodes whose op ran
   * @param hits nodes found in the store (retraced or reused by content)
   * @param results test MSE by {@code [seed, lambda]}, for the points that succeeded
   */
  public record Summary(int points, int failed, int computed, int hits,
      Map<List<Double>, Double> results) {
    /** Copies the results. */
    public Summary {
      results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }

    /** Returns whether every node of every point was a hit. */
    public boolean allHits() {
      return failed == 0 && computed == 0;
    }
  }

  /** Returns the op that generates a data set: training and test data from one seed. */
  static Op generateOp() {
    return op(GENERATE, List.of("seed", "rows", "features"),
        List.of("X", "y", "Xtest", "ytest"),
        a -> generate(((Number) a[0]).longValue(), ((Number) a[1]).intValue(),
            ((Number) a[2]).intValue()));
  }

  /** Returns the fitting op: the planned BLAS/LAPACK ridge kernel. */
  static Op fitOp() {
    return op(FIT, List.of("X", "y", "lambda"), List.of("beta"), a -> {
      double[] x = (double[]) a[0];
      double[] y = (double[]) a[1];
      int n = y.length;
      return kernel(n, x.length / n).fit(x, y, ((Number) a[2]).doubleValue());
    });
  }

  /** Returns the scoring op: mean squared error on held-out data. */
  static Op scoreOp() {
    return op(SCORE, List.of("beta", "Xtest", "ytest"), List.of("mse"),
        a -> meanSquaredError((double[]) a[0], (double[]) a[1], (double[]) a[2]));
  }

  /** Returns version 1 of the study's op {@code name}, computing {@code body}. */
  private static Op op(String name, List<String> inputs, List<String> outputs, OpFunction body) {
    return Op.builder(name).version("1")
        .inputs(inputs.toArray(String[]::new))
        .outputs(outputs.toArray(String[]::new))
        .function(body)
        .build();
  }

  /**
   * Returns {@code [X, y, Xtest, ytest]} (column-major) for one seed: a true coefficient vector
   * with standard normal entries, standard normal features and unit noise.
   */
  static List<double[]> generate(long seed, int rows, int features) {
    Random r = new Random(seed);
    double[] truth = new double[features];
    for (int j = 0; j < features; j++) {
      truth[j] = r.nextGaussian();
    }
    List<double[]> out = new ArrayList<>(4);
    for (int part = 0; part < 2; part++) {
      double[] x = new double[rows * features];
      double[] y = new double[rows];
      for (int i = 0; i < rows; i++) {
        double s = 0;
        for (int j = 0; j < features; j++) {
          double v = r.nextGaussian();
          x[j * rows + i] = v;
          s += v * truth[j];
        }
        y[i] = s + r.nextGaussian();
      }
      out.add(x);
      out.add(y);
    }
    return out;
  }

  /** Returns {@code mean((X beta - y)^2)} for column-major {@code X}. */
  static double meanSquaredError(double[] beta, double[] x, double[] y) {
    int n = y.length;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double pred = 0;
      for (int j = 0; j < beta.length; j++) {
        pred += x[j * n + i] * beta[j];
      }
      double e = pred - y[i];
      sum += e * e;
    }
    return sum / n;
  }

  /** Returns the compiled and planned ridge kernel for {@code rows x features} data (shared). */
  public static RidgeKernel kernel(int rows, int features) {
    return KERNELS.computeIfAbsent(List.of(rows, features), k -> new RidgeKernel(rows, features));
  }

  /**
   * The ridge fit {@code (X^T X + lambda I)^-1 X^T y} as a matrix expression, compiled into
   * BLAS/LAPACK calls and planned in place. {@code lambda I} enters as the input {@code
   * lambdaI} (symmetric positive definite for {@code lambda > 0}); it is built afresh for each
   * fit, so the plan may overwrite it. Immutable and thread-safe.
   */
  public static final class RidgeKernel {
    private final int rows;
    private final int features;
    private final MatrixExpr.Symbol x;
    private final MatrixExpr.Symbol y;
    private final MatrixExpr.Symbol lambdaI;
    private final MatrixExpr beta;
    private final Cover cover;
    private final BufferPlan plan;

    RidgeKernel(int rows, int features) {
      this.rows = rows;
      this.features = features;
      x = MatrixExpr.symbol("X", rows, features, MatrixProperty.FULL_RANK);
      y = MatrixExpr.symbol("y", rows, 1);
      lambdaI = MatrixExpr.symbol("lambdaI", features, features, MatrixProperty.POSITIVE_DEFINITE);
      beta = x.t().times(x).plus(lambdaI).inv().times(x.t()).times(y);
      cover = MatrixCompiler.standard().compile(beta);
      plan = BufferPlanner.builder().donate(lambdaI.toExpr()).build()
          .plan(cover.composite());
    }

    /** Returns the expression {@code (X^T X + lambdaI)^-1 X^T y}. */
    public MatrixExpr expression() {
      return beta;
    }

    /** Returns the cheapest cover: the library calls that compute the expression. */
    public Cover cover() {
      return cover;
    }

    /** Returns the in-place buffer plan of the cover's composite. */
    public BufferPlan plan() {
      return plan;
    }

    /**
     * Returns {@code beta} for column-major {@code x} ({@code rows x features}) and {@code y},
     * by executing the buffer plan.
     *
     * @throws IllegalArgumentException if the arrays do not have this kernel's shape
     */
    public double[] fit(double[] xs, double[] ys, double lambda) {
      if (xs.length != rows * features || ys.length != rows) {
        throw new IllegalArgumentException("Ridge kernel for " + rows + "x" + features
            + " data was given X of " + xs.length + " and y of " + ys.length + " doubles.");
      }
      double[] l = new double[features * features];
      for (int j = 0; j < features; j++) {
        l[j * features + j] = lambda;
      }
      Map<Expr, double[]> out = plan.execute(Map.of(x.toExpr(), xs, y.toExpr(), ys, lambdaI.toExpr(), l));
      return out.get(beta.toExpr());
    }
  }

  /** Returns the study's points: every seed with every lambda, and the data's dimensions. */
  public static Flux<Map<Expr, Object>> points(Config config) {
    List<Long> seeds = new ArrayList<>();
    for (long s = 1; s <= config.seeds(); s++) {
      seeds.add(s);
    }
    Map<Expr, List<?>> axes = new LinkedHashMap<>();
    axes.put(SEED, seeds);
    axes.put(LAMBDA, config.lambdas());
    return Engine.grid(axes).map(p -> {
      Map<Expr, Object> m = new LinkedHashMap<>(p);
      m.put(ROWS, config.rows());
      m.put(FEATURES, config.features());
      return m;
    });
  }

  /** Returns an engine that runs the {@link #PIPELINE}'s three ops through {@code storage}. */
  public static Engine engine(Storage storage, Config config) {
    return Engine.builder()
        .storage(storage)
        .maxParallelism(config.parallelism())
        .bind(GENERATE_STEP, generateOp())
        .bind(FIT_STEP, fitOp())
        .bind(SCORE_STEP, scoreOp())
        .build();
  }

  /** Returns a point's label, such as {@code seed 1, lambda 0.01}. */
  static String label(Map<Expr, Object> point) {
    return label((Long) point.get(SEED), (Double) point.get(LAMBDA));
  }

  /**
   * Runs the study on {@code storage}, printing each point as it completes, a progress bar (redrawn
   * in place when {@code interactive}, else printed once at the end), a summary, and the table
   * of stored results from a computation frame grown backward from {@code score}.
   *
   * @return what the run did
   */
  public static Summary run(Storage storage, Config config, PrintWriter out, boolean interactive) {
    return run(storage, config, out, interactive, Mono.never());
  }

  /**
   * Runs the study as {@link #run(Storage, Config, PrintWriter, boolean)} does, until {@code
   * stop} emits (Ctrl-C, say): then no new point starts, the points running finish and are
   * stored, and instead of the table the run says how many points are stored and that running
   * it again resumes.
   *
   * @return what the run did; {@code results()} holds the points done
   */
  public static Summary run(Storage storage, Config config, PrintWriter out, boolean interactive,
      Mono<?> stop) {
    requireNonNull(storage, "storage");
    requireNonNull(stop, "stop");
    requireNonNull(config, "config");
    requireNonNull(out, "out");
    RidgeKernel k = kernel(config.rows(), config.features());
    BufferPlan plan = k.plan();
    out.printf(Locale.ROOT, "Ridge study: %s x %s = %s, data %dx%d%n",
        Tables.count(config.lambdas().size(), "lambda"), Tables.count(config.seeds(), "seed"),
        Tables.count(config.points(), "point"), config.rows(), config.features());
    out.printf(Locale.ROOT, "  fit     beta = %s%n", k.expression());
    out.printf(Locale.ROOT, "  BLAS    %s%n", String.join(" -> ", k.cover().routines().stream().map(String::valueOf).toList()));
    out.printf(Locale.ROOT, "  planned %d steps in %d buffers: peak %d B (one buffer per value: %d B), %d copies%n",
        plan.steps().size(), plan.buffers().size(), plan.peakBytes(), plan.oneBufferPerValueBytes(),
        plan.copies());
    out.flush();

    Flux<Map<Expr, Object>> points = points(config);

    int nodesPerPoint = PIPELINE.computations().size();
    Progress progress = new Progress(config.points(), nodesPerPoint, out, interactive);
    Map<List<Double>, Double> results = new TreeMap<>(RidgeStudy::compareKeys);
    AtomicInteger failed = new AtomicInteger();
    AtomicBoolean stopped = new AtomicBoolean();
    try (Engine engine = engine(storage, config)) {
      // The ops each point computed, from its node events (which precede its result).
      Map<Map<Expr, Object>, List<String>> computed = new HashMap<>();
      engine.sweepEvents(PIPELINE, points, config.parallelism())
          .takeUntilOther(stop.doOnNext(x -> stopped.set(true)))
          .doOnNext(e -> {
            if (e instanceof SweepEvent.Node n) {
              if (n.event() instanceof EngineEvent.Computed c) {
                computed.computeIfAbsent(n.bindings(), p -> new ArrayList<>())
                    .add(c.computation().operation().name());
              }
              return;
            }
            SweepResult r = ((SweepEvent.Done) e).result();
            String label = label((Long) r.bindings().get(SEED), (Double) r.bindings().get(LAMBDA));
            List<String> found = computed.remove(r.bindings());
            List<String> ran = found == null ? List.of() : found;
            String line;
            if (r.succeeded()) {
              double mse = ((Number) r.output(MSE)).doubleValue();
              results.put(List.of(((Long) r.bindings().get(SEED)).doubleValue(),
                  (Double) r.bindings().get(LAMBDA)), mse);
              line = String.format(Locale.ROOT, "  %-24s test mse %10s   %s", label, TextTable.number(mse),
                  ran.isEmpty() ? "hit" : "computed " + String.join(", ", ran));
            } else {
              failed.incrementAndGet();
              line = "  " + label + "   FAILED: " + rootMessage(r);
            }
            progress.point(line, ran.size());
          })
          .blockLast();
    }
    progress.finish();
    Summary summary = new Summary(config.points(), failed.get(), progress.computed,
        progress.hits, results);
    if (stopped.get()) {
      // Counted in the store, now that the engine is closed and every point done is committed:
      // points that were running when the stop came finish and are stored, though their results
      // never reach this run (and points stored by earlier runs count too: they will be hits).
      out.printf(Locale.ROOT, "interrupted: %d of %s stored; run again to resume.%n",
          storedPoints(storage, config), Tables.count(config.points(), "point"));
      out.flush();
      return summary;
    }
    if (summary.failed() > 0) {
      out.printf(Locale.ROOT, "%d of %s failed (see above).%n", summary.failed(),
          Tables.count(summary.points(), "point"));
    } else if (summary.allHits()) {
      out.printf(Locale.ROOT, "%s: nothing was computed, every result came from the store.%n",
          summary.points() == 1 ? "The one point was a hit" : "All " + summary.points() + " points were hits");
    } else {
      out.printf(Locale.ROOT, "%s: %s computed, %s. Run it again: every point will be a hit.%n",
          Tables.count(summary.points(), "point"), Tables.count(summary.computed(), "node"),
          Tables.count(summary.hits(), "hit"));
    }
    printBest(summary, config, out);
    out.println();
    out.println("Stored results (computation frame grown backward from '" + SCORE + "'):");
    out.print(resultsTable(storage));
    out.flush();
    return summary;
  }

  private static void printBest(Summary s, Config config, PrintWriter out) {
    Map<Double, double[]> byLambda = new TreeMap<>();
    s.results().forEach((key, mse) -> {
      double[] acc = byLambda.computeIfAbsent(key.get(1), l -> new double[2]);
      acc[0] += mse;
      acc[1]++;
    });
    double best = Double.NaN;
    double bestMse = Double.POSITIVE_INFINITY;
    for (Map.Entry<Double, double[]> e : byLambda.entrySet()) {
      double mean = e.getValue()[0] / e.getValue()[1];
      if (mean < bestMse) {
        bestMse = mean;
        best = e.getKey();
      }
    }
    if (!byLambda.isEmpty()) {
      out.printf(Locale.ROOT, "Best lambda %s: mean test mse %s over %s.%n",
          TextTable.number(best), TextTable.number(bestMse), Tables.count(config.seeds(), "seed"));
    }
  }

  /**
   * Returns the table of every stored score with its seed, lambda and data size, from a
   * computation frame of {@code score} grown backward (to {@code ridge_fit} and {@code
   * generate}), sorted by size, lambda and seed.
   */
  public static String resultsTable(Storage storage) {
    ComputationFrame frame = ComputationFrame.ofOp(storage, SCORE).growBackward();
    FrameTable t = frame.toTable();
    List<String> cols = List.of("rows", "features", "lambda", "seed", "mse");
    for (String c : cols) {
      if (!t.columns().contains(c)) {
        return "  (no stored results)\n";
      }
    }
    FrameTable sorted = t.sortedBy("rows", "features", "lambda", "seed");
    List<List<String>> cells = new ArrayList<>();
    cells.add(cols);
    for (FrameTable.Row row : sorted.rows()) {
      List<String> line = new ArrayList<>();
      for (String c : cols) {
        line.add(TextTable.value(row.isNull(c) ? null : row.value(c)));
      }
      cells.add(line);
    }
    return Tables.align(cells);
  }

  /** Counts the points of {@code config}'s grid whose score is in the store. */
  static int storedPoints(Storage storage, Config config) {
    FrameTable t = ComputationFrame.ofOp(storage, SCORE).growBackward().toTable();
    if (!t.columns().containsAll(List.of("rows", "features", "lambda", "seed", "mse"))) {
      return 0;
    }
    Set<List<Object>> points = new HashSet<>();
    for (FrameTable.Row row : t.rows()) {
      if (row.isNull("mse") || row.isNull("seed") || row.isNull("lambda") || row.isNull("rows")
          || row.isNull("features")) {
        continue;
      }
      long seed = row.<Number>value("seed").longValue();
      double lambda = row.<Number>value("lambda").doubleValue();
      if (row.<Number>value("rows").intValue() == config.rows()
          && row.<Number>value("features").intValue() == config.features()
          && seed >= 1 && seed <= config.seeds() && config.lambdas().contains(lambda)) {
        points.add(List.of(seed, lambda));
      }
    }
    return points.size();
  }

  static String label(long seed, double lambda) {
    return "seed=" + seed + " lambda=" + TextTable.number(lambda);
  }

  private static int compareKeys(List<Double> a, List<Double> b) {
    int c = Double.compare(a.get(1), b.get(1));
    return c != 0 ? c : Double.compare(a.get(0), b.get(0));
  }

  private static String rootMessage(SweepResult r) {
    Throwable t = r.error();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  /**
   * The progress bar: points done, nodes computed ('#') vs hits ('='), elapsed time and, while
   * points remain, the estimated time left. On a terminal it is redrawn in place, and once a
   * second while a slow point runs (so a long point does not look like a hang); elsewhere it is
   * printed once, as a plain line, at the end.
   */
  private static final class Progress {
    private static final int WIDTH = 30;
    private final int points;
    private final int nodesPerPoint;
    private final PrintWriter out;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService heartbeat;
    private int done;
    private boolean finished;
    int computed;
    int hits;

    Progress(int points, int nodesPerPoint, PrintWriter out, boolean interactive) {
      this.points = points;
      this.nodesPerPoint = nodesPerPoint;
      this.out = out;
      this.interactive = interactive;
      if (interactive) {
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "memoflow-progress");
          t.setDaemon(true);
          return t;
        });
        heartbeat.scheduleAtFixedRate(this::redraw, 1, 1, TimeUnit.SECONDS);
      } else {
        heartbeat = null;
      }
    }

    synchronized void point(String line, int ranNodes) {
      done++;
      computed += ranNodes;
      hits += nodesPerPoint - ranNodes;
      if (interactive) {
        out.print("\r\033[2K");
      }
      out.println(line);
      if (interactive) {
        out.print(bar());
      }
      out.flush();
    }

    private synchronized void redraw() {
      if (finished) {
        return;
      }
      out.print("\r\033[2K" + bar());
      out.flush();
    }

    synchronized void finish() {
      finished = true;
      if (heartbeat != null) {
        heartbeat.shutdownNow();
      }
      if (interactive) {
        out.print("\r\033[2K");
      }
      out.println(bar());
      out.flush();
    }

    String bar() {
      int total = points * nodesPerPoint;
      int c = (int) Math.round((double) computed * WIDTH / total);
      int h = Math.min(WIDTH - c, (int) Math.round((double) (computed + hits) * WIDTH / total) - c);
      long elapsed = System.nanoTime() - startNanos;
      String time = "   " + clock(elapsed) + " elapsed";
      if (done > 0 && done < points) {
        time += ", about " + clock(elapsed / done * (points - done)) + " left";
      }
      return "[" + "#".repeat(c) + "=".repeat(Math.max(0, h)) + " ".repeat(Math.max(0, WIDTH - c - h)) + "] "
          + done + "/" + points + " points   nodes: " + computed + " computed (#), " + hits + " hits (=)"
          + time;
    }

    /** Returns {@code nanos} as {@code m:ss}. */
    static String clock(long nanos) {
      long s = nanos / 1_000_000_000L;
      return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
  }
}
