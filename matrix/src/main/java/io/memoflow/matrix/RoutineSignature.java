package io.memoflow.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
   * Returns the signature {@code op} states: each routine record builds its own, and this picks
   * the record's builder (one line per permitted routine; Java 17 has no switch on types).
   */
  static RoutineSignature of(LibraryOp op) {
    return op instanceof LibraryOp.Gemm gemm ? gemm.signature()
        : op instanceof LibraryOp.Symm symm ? symm.signature()
        : op instanceof LibraryOp.Syrk syrk ? syrk.signature()
        : op instanceof LibraryOp.Axpy axpy ? axpy.signature()
        : op instanceof LibraryOp.Copy copy ? copy.signature()
        : op instanceof LibraryOp.Gesv gesv ? gesv.signature()
        : op instanceof LibraryOp.Posv posv ? posv.signature()
        : op instanceof LibraryOp.Potrs potrs ? potrs.signature()
        : op instanceof LibraryOp.Laswp laswp ? laswp.signature()
        : ((LibraryOp.Trsm) op).signature();
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
