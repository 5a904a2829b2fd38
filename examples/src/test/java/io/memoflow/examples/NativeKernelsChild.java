package io.memoflow.examples;

import io.memoflow.cache.Op;
import io.memoflow.cache.Storage;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import io.memoflow.matrix.Cover;
import io.memoflow.matrix.LibraryOp;
import io.memoflow.matrix.Matrix;
import io.memoflow.matrix.MatrixCompiler;
import io.memoflow.matrix.MatrixEvaluator;
import io.memoflow.matrix.MatrixExecutor;
import io.memoflow.matrix.MatrixExpr;
import io.memoflow.matrix.MatrixProperty;
import java.util.List;
import java.util.Map;
import io.memoflow.reactive.Engine;
import java.util.Random;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The child JVM of {@link NativeKernelsTest}: calls the LAPACK routines that crash a JVM on a
 * default-sized stack when netlib's native LAPACK is OpenBLAS (GESV, POSV with n of 200 to 1500)
 * from {@code main}, from Reactor's parallel scheduler, from a bounded-elastic one like the
 * engine's and inside an op the engine runs, then prints {@code done}. A crash is a non-zero exit. Not a test.
 */
public final class NativeKernelsChild {
  private NativeKernelsChild() {}

  /** Runs the calls; prints which LAPACK netlib uses and, at the end, {@code done}. */
  public static void main(String[] args) {
    System.out.println("lapack=" + dev.ludovic.netlib.lapack.LAPACK.getInstance().getClass().getName());
    gesv(200);
    System.out.println("main: GESV 200 ok");
    checkCover(300);
    System.out.println("main: cover 300 ok");
    Mono.fromRunnable(() -> gesv(500)).subscribeOn(Schedulers.parallel()).block();
    System.out.println("parallel: GESV 500 ok");
    Scheduler engineLike = Schedulers.newBoundedElastic(2, Integer.MAX_VALUE, "memoflow-engine", 60, true);
    try {
      Mono.fromRunnable(() -> checkCover(400)).subscribeOn(engineLike).block();
      Mono.fromRunnable(() -> gesv(1500)).subscribeOn(engineLike).block();
    } finally {
      engineLike.dispose();
    }
    System.out.println("bounded elastic: cover 400, GESV 1500 ok");
    Operation solve = Operation.of("Solve", List.of("n"), List.of("done"));
    CompositeComputation graph = Dag.builder().input("n").step(solve, "n").as("done").build();
    try (Storage storage = Storage.inMemory();
         Engine engine = Engine.builder().storage(storage)
             .bind(solve, Op.of("Solve", (Long n) -> {
               gesv(Math.toIntExact(n));
               return n;
             }))
             .build()) {
      engine.run(graph, Map.of(Expr.symbol("n"), 600L)).outputs().block();
    }
    System.out.println("engine: GESV 600 in an op ok");
    System.out.println("done");
  }

  /** One GESV of an n x n diagonally dominant matrix, called directly. */
  private static void gesv(int n) {
    Random r = new Random(n);
    double[] a = new double[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextDouble();
    }
    for (int i = 0; i < n; i++) {
      a[i * n + i] += n;
    }
    double[] b = new double[n * 5];
    for (int i = 0; i < b.length; i++) {
      b[i] = r.nextDouble();
    }
    new LibraryOp.Gesv(n, 5).execute(new double[][] {a, b},
        new double[][] {new double[n * 5], new double[n], new double[1]});
  }

  /** A compiled A^-1 B, A^-1 C run by the executor and checked against the plain evaluator. */
  private static void checkCover(int n) {
    MatrixExpr a = MatrixExpr.symbol("A", n, n, MatrixProperty.FULL_RANK);
    MatrixExpr s = MatrixExpr.symbol("S", n, n, MatrixProperty.POSITIVE_DEFINITE);
    MatrixExpr b = MatrixExpr.symbol("B", n, 7);
    MatrixExpr x = a.inv().times(b);
    MatrixExpr y = s.inv().times(b);
    Cover c = MatrixCompiler.standard().compile(x, y);
    Random r = new Random(n);
    Map<String, Matrix> values = Map.of(
        "A", Matrix.random((MatrixExpr.Symbol) a, r),
        "S", Matrix.random((MatrixExpr.Symbol) s, r),
        "B", Matrix.random((MatrixExpr.Symbol) b, r));
    Map<MatrixExpr, Matrix> out = MatrixExecutor.run(c, values);
    for (MatrixExpr e : c.outputs()) {
      double err = out.get(e).relativeError(MatrixEvaluator.evaluate(e, values));
      if (!(err < 1e-8)) {
        throw new AssertionError(e + " is off by " + err + " relative to the plain evaluation");
      }
    }
  }
}
