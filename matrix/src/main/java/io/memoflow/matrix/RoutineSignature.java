package io.memoflow.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/* Overview: the buffer contract of every LibraryOp routine (names, shapes, overwrites), one
 * builder method per routine, and the lookups LibraryOp's defaults answer from. */

/**
 * What a {@link LibraryOp} reads and writes, stated once per routine: its name, the name and
 * shape of every input and output, and which outputs overwrite which inputs. The routine's
 * {@code name}, {@code inputNames}, {@code outputNames}, {@code overwrites}, {@code inputShape}
 * and {@code outputShape} all answer from it, so those answers cannot disagree.
 *
 * @param name the routine's name, e.g. {@code GEMM}
 * @param inputNames the input names in order
 * @param inputShapes the shape each input must have, parallel to {@code inputNames}
 * @param outputNames the output names in order
 * @param outputShapes the shape of each output, parallel to {@code outputNames}
 * @param overwrites output index to the index of the input whose buffer it may reuse
 */
record RoutineSignature(
    String name,
    List<String> inputNames,
    List<Shape> inputShapes,
    List<String> outputNames,
    List<Shape> outputShapes,
    Map<Integer, Integer> overwrites) {

  /** Starts the signature of the routine called {@code name}. */
  static Builder of(String name) {
    return new Builder(name);
  }

  /**
   * Returns the signature {@code op} states, built by one method per routine below (one line per
   * permitted routine; Java 17 has no switch on types).
   */
  static RoutineSignature of(LibraryOp op) {
    Object[] last = LAST.get();
    if (op.equals(last[0])) {
      return (RoutineSignature) last[1];
    }
    RoutineSignature s = build(op);
    last[0] = op;
    last[1] = s;
    return s;
  }

  /** The last routine asked for on this thread: RuleSet.steps asks twice for each (applies, outputs). */
  private static final ThreadLocal<Object[]> LAST = ThreadLocal.withInitial(() -> new Object[2]);

  private static RoutineSignature build(LibraryOp op) {
    return op instanceof LibraryOp.Gemm gemm ? gemm(gemm)
        : op instanceof LibraryOp.Symm symm ? symm(symm)
        : op instanceof LibraryOp.Syrk syrk ? syrk(syrk)
        : op instanceof LibraryOp.Axpy axpy ? axpy(axpy)
        : op instanceof LibraryOp.Copy copy ? copy(copy)
        : op instanceof LibraryOp.Gesv gesv ? gesv(gesv)
        : op instanceof LibraryOp.Posv posv ? posv(posv)
        : op instanceof LibraryOp.Potrs potrs ? potrs(potrs)
        : op instanceof LibraryOp.Laswp laswp ? laswp(laswp)
        : op instanceof LibraryOp.Trsm trsm ? trsm(trsm)
        : op instanceof FactorOp.Potrf potrf ? potrf(potrf)
        : op instanceof FactorOp.Getrf getrf ? getrf(getrf)
        : getrs((FactorOp.Getrs) op);
  }

  private static RoutineSignature potrf(FactorOp.Potrf op) {
    int n = op.n();
    return RoutineSignature.of("POTRF")
        .input("A", Shape.of(n, n))
        .outputOver("U", Shape.of(n, n), 0)
        .build();
  }

  private static RoutineSignature getrf(FactorOp.Getrf op) {
    int n = op.n();
    return RoutineSignature.of("GETRF")
        .input("A", Shape.of(n, n))
        .output("LU", Shape.of(n + 1, n))
        .build();
  }

  private static RoutineSignature getrs(FactorOp.Getrs op) {
    int n = op.n();
    return RoutineSignature.of("GETRS")
        .input("LU", Shape.of(n + 1, n))
        .input("B", Shape.of(n, op.nrhs()))
        .outputOver("X", Shape.of(n, op.nrhs()), 1)
        .build();
  }

  private static RoutineSignature gemm(LibraryOp.Gemm op) {
    boolean transA = op.transA();
    boolean transB = op.transB();
    int m = op.m();
    int n = op.n();
    int k = op.k();
    return RoutineSignature.of("GEMM")
        .input("A", transA ? Shape.of(k, m) : Shape.of(m, k))
        .input("B", transB ? Shape.of(n, k) : Shape.of(k, n))
        .inputIf(op.hasC(), "C", Shape.of(m, n))
        .outputOverIf(op.hasC(), "C", Shape.of(m, n), 2)
        .build();
  }

  private static RoutineSignature symm(LibraryOp.Symm op) {
    boolean left = op.left();
    int m = op.m();
    int n = op.n();
    return RoutineSignature.of("SYMM")
        .input("A", left ? Shape.of(m, m) : Shape.of(n, n))
        .input("B", Shape.of(m, n))
        .output("C", Shape.of(m, n))
        .build();
  }

  private static RoutineSignature syrk(LibraryOp.Syrk op) {
    boolean trans = op.trans();
    int n = op.n();
    int k = op.k();
    return RoutineSignature.of("SYRK")
        .input("A", trans ? Shape.of(k, n) : Shape.of(n, k))
        .inputIf(op.hasC(), "C", Shape.of(n, n))
        .outputOverIf(op.hasC(), "C", Shape.of(n, n), 1)
        .build();
  }

  private static RoutineSignature axpy(LibraryOp.Axpy op) {
    int rows = op.rows();
    int cols = op.cols();
    Shape shape = Shape.of(rows, cols);
    return RoutineSignature.of("AXPY").input("X", shape).input("Y", shape)
        .outputOver("Y", shape, 1)
        .build();
  }

  private static RoutineSignature copy(LibraryOp.Copy op) {
    int rows = op.rows();
    int cols = op.cols();
    boolean transpose = op.transpose();
    return RoutineSignature.of("COPY")
        .input("A", transpose ? Shape.of(cols, rows) : Shape.of(rows, cols))
        .output("B", Shape.of(rows, cols))
        .build();
  }

  private static RoutineSignature gesv(LibraryOp.Gesv op) {
    int n = op.n();
    int nrhs = op.nrhs();
    return RoutineSignature.of("GESV")
        .input("A", Shape.of(n, n)).input("B", Shape.of(n, nrhs))
        .outputOver("X", Shape.of(n, nrhs), 1)
        .output("pivots", Shape.of(n, 1)).output("info", Shape.of(1, 1))
        .build();
  }

  private static RoutineSignature posv(LibraryOp.Posv op) {
    int n = op.n();
    int nrhs = op.nrhs();
    return RoutineSignature.of("POSV")
        .input("A", Shape.of(n, n)).input("B", Shape.of(n, nrhs))
        .outputOver("X", Shape.of(n, nrhs), 1).outputOver("U", Shape.of(n, n), 0)
        .build();
  }

  private static RoutineSignature potrs(LibraryOp.Potrs op) {
    int n = op.n();
    int nrhs = op.nrhs();
    return RoutineSignature.of("POTRS")
        .input("U", Shape.of(n, n)).input("B", Shape.of(n, nrhs))
        .outputOver("X", Shape.of(n, nrhs), 1)
        .build();
  }

  private static RoutineSignature laswp(LibraryOp.Laswp op) {
    int n = op.n();
    int nrhs = op.nrhs();
    return RoutineSignature.of("LASWP")
        .input("B", Shape.of(n, nrhs)).input("pivots", Shape.of(n, 1))
        .outputOver("B", Shape.of(n, nrhs), 0)
        .build();
  }

  private static RoutineSignature trsm(LibraryOp.Trsm op) {
    boolean left = op.left();
    int m = op.m();
    int n = op.n();
    return RoutineSignature.of("TRSM")
        .input("A", left ? Shape.of(m, m) : Shape.of(n, n))
        .input("B", Shape.of(m, n))
        .outputOver("B", Shape.of(m, n), 1)
        .build();
  }

  /**
   * Returns the shape of input {@code i}.
   *
   * @throws IndexOutOfBoundsException naming the routine's inputs if there is no input {@code i}
   */
  Shape inputShape(int i, LibraryOp op) {
    return shapeAt(inputShapes, "input", i, op);
  }

  /**
   * Returns the shape of output {@code k}.
   *
   * @throws IndexOutOfBoundsException naming the routine's outputs if there is no output {@code k}
   */
  Shape outputShape(int k, LibraryOp op) {
    return shapeAt(outputShapes, "output", k, op);
  }

  private Shape shapeAt(List<Shape> shapes, String kind, int index, LibraryOp op) {
    if (index < 0 || index >= shapes.size()) {
      throw new IndexOutOfBoundsException(
          op.describe() + " has no " + kind + " " + index + ". Inputs are " + inputNames
              + ", outputs " + outputNames + ".");
    }
    return shapes.get(index);
  }

  /** Collects a signature input by input and output by output, in order. */
  static final class Builder {
    private final String name;
    private final List<String> inputNames = new ArrayList<>();
    private final List<Shape> inputShapes = new ArrayList<>();
    private final List<String> outputNames = new ArrayList<>();
    private final List<Shape> outputShapes = new ArrayList<>();
    private final Map<Integer, Integer> overwrites = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = name;
    }

    /** Adds the next input. */
    Builder input(String inputName, Shape shape) {
      inputNames.add(inputName);
      inputShapes.add(shape);
      return this;
    }

    /** Adds the next input only when {@code present} (e.g. GEMM's {@code C} when beta != 0). */
    Builder inputIf(boolean present, String inputName, Shape shape) {
      return present ? input(inputName, shape) : this;
    }

    /** Adds the next output, written to a fresh buffer. */
    Builder output(String outputName, Shape shape) {
      outputNames.add(outputName);
      outputShapes.add(shape);
      return this;
    }

    /** Adds the next output, which may be written over the buffer of input {@code over}. */
    Builder outputOver(String outputName, Shape shape, int over) {
      overwrites.put(outputNames.size(), over);
      return output(outputName, shape);
    }

    /** Adds the next output: over input {@code over} when {@code overwrites}, else fresh. */
    Builder outputOverIf(boolean overwrites, String outputName, Shape shape, int over) {
      return overwrites ? outputOver(outputName, shape, over) : output(outputName, shape);
    }

    /** Returns the signature collected so far. */
    RoutineSignature build() {
      return new RoutineSignature(name, List.copyOf(inputNames), List.copyOf(inputShapes),
          List.copyOf(outputNames), List.copyOf(outputShapes), Map.copyOf(overwrites));
    }
  }
}
