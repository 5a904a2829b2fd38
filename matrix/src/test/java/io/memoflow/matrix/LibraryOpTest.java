package io.memoflow.matrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.dag.BufferOperation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every routine, run with fresh (garbage-filled) outputs and with outputs aliased to the inputs they overwrite, against the reference. */
class LibraryOpTest {
  static final MatrixExpr.Symbol A = MatrixExpr.symbol("A", 4, 3);
  static final MatrixExpr.Symbol B = MatrixExpr.symbol("B", 3, 2);
  static final MatrixExpr.Symbol C = MatrixExpr.symbol("C", 4, 2);
  static final MatrixExpr.Symbol S = MatrixExpr.symbol("S", 4, 4, MatrixProperty.POSITIVE_DEFINITE);
  static final MatrixExpr.Symbol G = MatrixExpr.symbol("G", 4, 4, MatrixProperty.FULL_RANK);
  static final MatrixExpr.Symbol L = MatrixExpr.symbol("L", 4, 4, MatrixProperty.LOWER_TRIANGULAR);
  static final MatrixExpr.Symbol U = MatrixExpr.symbol("U", 4, 4, MatrixProperty.UPPER_TRIANGULAR);
  static final MatrixExpr.Symbol Y = MatrixExpr.symbol("Y", 4, 2);
  static final MatrixExpr.Symbol W = MatrixExpr.symbol("W", 2, 4);
  static final MatrixExpr.Symbol T = MatrixExpr.symbol("T", 3, 4);

  record Case(String name, LibraryOp op, List<MatrixExpr> inputs) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    List<Case> cs = List.of(
        new Case("gemm nn", new LibraryOp.Gemm(false, false, 4, 2, 3, 1, 0), List.of(A, B)),
        new Case("gemm tn", new LibraryOp.Gemm(true, false, 4, 2, 3, 2, 0), List.of(T, B)),
        new Case("gemm nt with C", new LibraryOp.Gemm(false, true, 4, 2, 4, -1, 0.5), List.of(S, W, C)),
        new Case("gemm tt with C", new LibraryOp.Gemm(true, true, 4, 2, 3, 1, 1), List.of(T, B.t().times(MatrixExpr.identity(3)), C)),
        new Case("symm left", new LibraryOp.Symm(true, 4, 2, 1.5), List.of(S, Y)),
        new Case("symm right", new LibraryOp.Symm(false, 2, 4, 1), List.of(S, W)),
        new Case("syrk tn", new LibraryOp.Syrk(true, 3, 4, 1, 0), List.of(A)),
        new Case("syrk nt with C", new LibraryOp.Syrk(false, 4, 3, 2, 1), List.of(A, S)),
        new Case("axpy", new LibraryOp.Axpy(4, 2, -2), List.of(Y, C)),
        new Case("copy", new LibraryOp.Copy(4, 2, false), List.of(C)),
        new Case("copy transposed", new LibraryOp.Copy(3, 4, true), List.of(A)),
        new Case("gesv", new LibraryOp.Gesv(4, 2), List.of(G, Y)),
        new Case("posv", new LibraryOp.Posv(4, 2), List.of(S, Y)),
        new Case("potrs", new LibraryOp.Potrs(4, 2), List.of(MatrixExpr.cholesky(S), Y)),
        new Case("potrf", new FactorOp.Potrf(4), List.of(S)),
        new Case("trsm by a Cholesky factor", new LibraryOp.Trsm(true, false, true, 4, 2, 1),
            List.of(MatrixExpr.cholesky(S), Y)),
        new Case("trsm left lower", new LibraryOp.Trsm(true, true, false, 4, 2, 1), List.of(L, Y)),
        new Case("trsm left upper transposed", new LibraryOp.Trsm(true, false, true, 4, 2, 2), List.of(U, Y)),
        new Case("trsm right lower", new LibraryOp.Trsm(false, true, false, 2, 4, 1), List.of(L, W)));
    return cs.stream().map(Arguments::of);
  }

  static Map<String, Matrix> values() {
    Random r = new Random(7);
    Map<String, Matrix> v = new HashMap<>();
    for (MatrixExpr.Symbol s : List.of(A, B, C, S, G, L, U, Y, W, T)) {
      v.put(s.name(), Matrix.random(s, r));
    }
    return v;
  }

  static double[] buffer(MatrixExpr e, Map<String, Matrix> v) {
    return MatrixEvaluator.evaluate(e, v).toArray();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void execute_freshOutputsMatchReference(Case c) {
    assertTrue(c.op().appliesTo(c.inputs()));
    Map<String, Matrix> v = values();
    double[][] in = c.inputs().stream().map(e -> buffer(e, v)).toArray(double[][]::new);
    double[][] copies = Arrays.stream(in).map(double[]::clone).toArray(double[][]::new);
    double[][] out = new double[c.op().outputNames().size()][];
    for (int k = 0; k < out.length; k++) {
      out[k] = new double[c.op().outputLength(k)];
      Arrays.fill(out[k], Double.NaN); // garbage the kernel must not read
    }
    c.op().execute(in, out);
    for (int i = 0; i < in.length; i++) {
      assertArrayEquals(copies[i], in[i], "input " + i + " was written");
    }
    check(c, v, out);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void execute_aliasedOutputsMatchReference(Case c) {
    Map<String, Matrix> v = values();
    double[][] in = c.inputs().stream().map(e -> buffer(e, v)).toArray(double[][]::new);
    double[][] out = new double[c.op().outputNames().size()][];
    for (int k = 0; k < out.length; k++) {
      Integer over = c.op().overwrites().get(k);
      out[k] = over != null ? in[over] : new double[c.op().outputLength(k)];
    }
    c.op().execute(in, out);
    check(c, v, out);
  }

  private static void check(Case c, Map<String, Matrix> v, double[][] out) {
    List<MatrixExpr> meaning = c.op().outputs(c.inputs());
    for (int k = 0; k < out.length; k++) {
      MatrixExpr m = meaning.get(k);
      if (m instanceof MatrixExpr.Factor f && f.kind() != MatrixExpr.Factor.Kind.CHOLESKY) {
        continue; // pivots and info: checked in gesv_pivotsDriveLaswp
      }
      Matrix got = Matrix.of(m.shape().rows(), m.shape().cols(), out[k]);
      double err = got.relativeError(MatrixEvaluator.evaluate(m, v));
      assertTrue(err < 1e-12, c + " output " + k + ": relative error " + err);
    }
  }

  @Test
  void gesv_pivotsDriveLaswp() {
    Map<String, Matrix> v = values();
    LibraryOp.Gesv gesv = new LibraryOp.Gesv(4, 2);
    double[] g = buffer(G, v);
    double[][] out = {new double[8], new double[4], new double[1]};
    gesv.execute(new double[][] {g, buffer(Y, v)}, out);
    assertEquals(0, out[2][0]);
    // LASWP applies the row interchanges Q of Q G = L U; applied to G itself, the result has an
    // LU factorization without pivoting, so GESV on it needs no interchange.
    LibraryOp.Laswp laswp = new LibraryOp.Laswp(4, 4);
    double[] qg = new double[16];
    laswp.execute(new double[][] {g, out[1]}, new double[][] {qg});
    double[] aliased = g.clone();
    laswp.execute(new double[][] {aliased, out[1]}, new double[][] {aliased});
    assertArrayEquals(qg, aliased);
    double[][] out2 = {new double[8], new double[4], new double[1]};
    gesv.execute(new double[][] {qg, buffer(Y, v)}, out2);
    for (int i = 0; i < 4; i++) {
      assertEquals(i + 1, out2[1][i]);
    }
    assertEquals(List.of(MatrixExpr.rowInterchanges(G).times(G)),
        laswp.outputs(List.of(G, MatrixExpr.pivots(G))));
  }

  @Test
  void execute_rejectsWrongLengthAndForeignAlias() {
    LibraryOp.Axpy axpy = new LibraryOp.Axpy(2, 2, 1);
    var e = assertThrows(IllegalArgumentException.class,
        () -> axpy.execute(new double[][] {new double[3], new double[4]}, new double[][] {new double[4]}));
    assertTrue(e.getMessage().contains("input 0 (X) has 3 doubles but needs 4"), e.getMessage());
    double[] x = new double[4];
    e = assertThrows(IllegalArgumentException.class,
        () -> axpy.execute(new double[][] {x, new double[4]}, new double[][] {x}));
    assertTrue(e.getMessage().contains("does not overwrite"), e.getMessage());
  }

  @Test
  void getrf_thenGetrs_solves_andKeepsA() {
    Map<String, Matrix> v = values();
    double[] g = buffer(G, v);
    double[] gCopy = g.clone();
    double[] lu = new double[5 * 4];
    new FactorOp.Getrf(4).execute(new double[][] {g}, new double[][] {lu});
    assertArrayEquals(gCopy, g);
    double[] y = buffer(Y, v);
    double[] x = new double[8];
    new FactorOp.Getrs(4, 2).execute(new double[][] {lu, y}, new double[][] {x});
    MatrixExpr solve = new FactorOp.Getrs(4, 2).outputs(List.of(MatrixExpr.lu(G), Y)).get(0);
    assertEquals(G.inv().times(Y), solve);
    double err = Matrix.of(4, 2, x).relativeError(MatrixEvaluator.evaluate(solve, v));
    assertTrue(err < 1e-12, "relative error " + err);
    new FactorOp.Getrs(4, 2).execute(new double[][] {lu, y}, new double[][] {y}); // in place
    assertArrayEquals(x, y, 0);
  }

  @Test
  void getrf_singularThrows_getrsRejectsForeignFactors() {
    var e = assertThrows(ArithmeticException.class, () -> new FactorOp.Getrf(2)
        .execute(new double[][] {{1, 2, 2, 4}}, new double[][] {new double[6]}));
    assertTrue(e.getMessage().startsWith("GETRF failed (info = 2)"), e.getMessage());
    var bad = assertThrows(IllegalArgumentException.class, () -> new FactorOp.Getrs(2, 1)
        .execute(new double[][] {{1, 0, 7, 0, 1, 2}, {1, 1}}, new double[][] {new double[2]}));
    assertTrue(bad.getMessage().contains("Pass the LU output of GETRF"), bad.getMessage());
    assertTrue(!new FactorOp.Getrs(4, 2).appliesTo(List.of(MatrixExpr.symbol("M", 5, 4), Y)));
    var notLu = assertThrows(IllegalArgumentException.class,
        () -> new FactorOp.Getrs(4, 2).outputs(List.of(MatrixExpr.symbol("M", 5, 4), Y)));
    assertTrue(notLu.getMessage().contains("GETRF"), notLu.getMessage());
    var notPd = assertThrows(ArithmeticException.class, () -> new FactorOp.Potrf(2)
        .execute(new double[][] {{1, 0, 0, -1}}, new double[][] {new double[4]}));
    assertTrue(notPd.getMessage().contains("not positive definite"), notPd.getMessage());
    assertTrue(!new FactorOp.Potrf(4).appliesTo(List.of(G)));
  }

  @Test
  void gesv_singularThrowsArithmeticException() {
    var e = assertThrows(ArithmeticException.class, () -> new LibraryOp.Gesv(2, 1)
        .execute(new double[][] {{1, 2, 2, 4}, {1, 1}}, new double[][] {new double[2], new double[2], new double[1]}));
    assertTrue(e.getMessage().startsWith("GESV failed (info = 2)"), e.getMessage());
  }

  @Test
  void posv_notPositiveDefiniteThrowsArithmeticException() {
    var e = assertThrows(ArithmeticException.class, () -> new LibraryOp.Posv(2, 1)
        .execute(new double[][] {{1, 0, 0, -1}, {1, 1}}, new double[][] {new double[2], new double[4]}));
    assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
  }

  @Test
  void overwrites_declared() {
    assertEquals(Map.of(0, 2), new LibraryOp.Gemm(false, false, 2, 2, 2, 1, 1).overwrites());
    assertEquals(Map.of(), new LibraryOp.Gemm(false, false, 2, 2, 2, 1, 0).overwrites());
    assertEquals(Map.of(0, 1, 1, 0), new LibraryOp.Posv(2, 1).overwrites());
    assertEquals(Map.of(0, 1), new LibraryOp.Gesv(2, 1).overwrites());
    assertTrue(new LibraryOp.Posv(2, 1) instanceof BufferOperation);
  }

  @Test
  void signature_namesShapesAndOverwritesAgree() {
    LibraryOp.Gesv gesv = new LibraryOp.Gesv(4, 2);
    assertEquals("GESV", gesv.name());
    assertEquals(List.of("A", "B"), gesv.inputNames());
    assertEquals(List.of("X", "pivots", "info"), gesv.outputNames());
    assertEquals(List.of(Shape.of(4, 4), Shape.of(4, 2)),
        List.of(gesv.inputShape(0), gesv.inputShape(1)));
    assertEquals(List.of(Shape.of(4, 2), Shape.of(4, 1), Shape.of(1, 1)),
        List.of(gesv.outputShape(0), gesv.outputShape(1), gesv.outputShape(2)));
    assertEquals(List.of("A", "B", "C"), new LibraryOp.Gemm(true, false, 4, 2, 3, 1, 1).inputNames());
    assertEquals(Shape.of(3, 4), new LibraryOp.Gemm(true, false, 4, 2, 3, 1, 1).inputShape(0));
  }

  @Test
  void shapeOfMissingInputOrOutput_namesTheRoutinesInputsAndOutputs() {
    LibraryOp.Gemm noC = new LibraryOp.Gemm(false, false, 2, 2, 2, 1, 0);
    var input = assertThrows(IndexOutOfBoundsException.class, () -> noC.inputShape(2));
    assertEquals("GEMM(N,N) 2x2x2 has no input 2. Inputs are [A, B], outputs [C].",
        input.getMessage());
    var output = assertThrows(IndexOutOfBoundsException.class,
        () -> new LibraryOp.Potrs(2, 1).outputShape(-1));
    assertEquals("POTRS 2x1 has no output -1. Inputs are [U, B], outputs [X].",
        output.getMessage());
  }

  @Test
  void appliesTo_checksAssumptions() {
    assertTrue(!new LibraryOp.Posv(4, 2).appliesTo(List.of(G, Y)));
    assertTrue(!new LibraryOp.Trsm(true, true, false, 4, 2, 1).appliesTo(List.of(U, Y)));
    assertTrue(!new LibraryOp.Symm(true, 4, 2, 1).appliesTo(List.of(G, Y)));
    assertTrue(new LibraryOp.Gemm(false, false, 4, 2, 3, 1, 0).cost()
        > new LibraryOp.Gemm(false, false, 2, 2, 3, 1, 0).cost());
    List<String> names = new ArrayList<>();
    cases().forEach(a -> names.add(((Case) a.get()[0]).op().name()));
    assertTrue(names.containsAll(List.of("GEMM", "SYMM", "SYRK", "AXPY", "COPY", "GESV", "POSV", "POTRS", "TRSM")));
  }
}
