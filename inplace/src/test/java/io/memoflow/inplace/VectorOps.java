package io.memoflow.inplace;

import dev.ludovic.netlib.blas.BLAS;
import io.memoflow.dag.BufferOperation;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Real vector operations on netlib BLAS kernels for the tests and benchmarks, with in-place
 * variants: each output that overwrites an input is either the input's very array (in place) or a
 * separate array into which the kernel first copies that input, as the BufferOperation contract says.
 * Arrays may be longer than the vectors; kernels use the leading doubles.
 */
public final class VectorOps {
  private VectorOps() {}

  private static final BLAS BLAS = dev.ludovic.netlib.blas.BLAS.getInstance();

  /** An BufferOperation with fixed shapes; equal by class, name, lengths and parameters. */
  public abstract static class VectorOp implements BufferOperation {
    private final String name;
    private final List<String> inputNames;
    private final List<String> outputNames;
    private final int[] inLengths;
    private final int[] outLengths;
    private final Map<Integer, Integer> overwrites;
    private final double[] params;

    VectorOp(String name, List<String> inputNames, List<String> outputNames, int[] inLengths,
        int[] outLengths, Map<Integer, Integer> overwrites, double... params) {
      this.name = name;
      this.inputNames = inputNames;
      this.outputNames = outputNames;
      this.inLengths = inLengths;
      this.outLengths = outLengths;
      this.overwrites = overwrites;
      this.params = params;
    }

    @Override public String name() { return name; }
    @Override public List<String> inputNames() { return inputNames; }
    @Override public List<String> outputNames() { return outputNames; }
    @Override public Map<Integer, Integer> overwrites() { return overwrites; }
    @Override public int inputLength(int input) { return inLengths[input]; }
    @Override public int outputLength(int output) { return outLengths[output]; }

    double param(int i) {
      return params[i];
    }

    @Override
    public final void execute(double[][] inputs, double[][] outputs) {
      if (inputs.length != inLengths.length || outputs.length != outLengths.length) {
        throw new IllegalArgumentException(name + ": wrong number of buffers");
      }
      for (int j = 0; j < inputs.length; j++) {
        if (inputs[j].length < inLengths[j]) {
          throw new IllegalArgumentException(name + ": input " + j + " is too short");
        }
      }
      for (int k = 0; k < outputs.length; k++) {
        if (outputs[k].length < outLengths[k]) {
          throw new IllegalArgumentException(name + ": output " + k + " is too short");
        }
        Integer j = overwrites.get(k);
        if (j != null && outputs[k] != inputs[j]) {
          BLAS.dcopy(outLengths[k], inputs[j], 1, outputs[k], 1); // out of place: copy, then in place
        }
      }
      run(inputs, outputs);
    }

    /** Computes with every overwritten input already in its output array. */
    abstract void run(double[][] in, double[][] out);

    @Override
    public boolean equals(Object o) {
      return o instanceof VectorOp v && v.getClass() == getClass() && v.name.equals(name)
          && Arrays.equals(v.inLengths, inLengths) && Arrays.equals(v.outLengths, outLengths)
          && Arrays.equals(v.params, params);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, Arrays.hashCode(inLengths), Arrays.hashCode(outLengths),
          Arrays.hashCode(params));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static int[] lens(int n, int count) {
    int[] a = new int[count];
    Arrays.fill(a, n);
    return a;
  }

  /** {@code x := a x} (dscal), in place over x. */
  public static VectorOp scal(double a, int n) {
    return new VectorOp("Scal", List.of("x"), List.of("ax"), lens(n, 1), lens(n, 1), Map.of(0, 0), a) {
      @Override void run(double[][] in, double[][] out) {
        BLAS.dscal(n, param(0), out[0], 1);
      }
    };
  }

  /** {@code y := a x + y} (daxpy), in place over y. */
  public static VectorOp axpy(double a, int n) {
    return new VectorOp("Axpy", List.of("x", "y"), List.of("axpy"), lens(n, 2), lens(n, 1), Map.of(0, 1), a) {
      @Override void run(double[][] in, double[][] out) {
        BLAS.daxpy(n, param(0), in[0], 1, out[0], 1);
      }
    };
  }

  /** {@code (x, y) := (c x + s y, c y - s x)} (drot): destroys both inputs. */
  public static VectorOp rot(double c, double s, int n) {
    return new VectorOp("Rot", List.of("x", "y"), List.of("rx", "ry"), lens(n, 2), lens(n, 2),
        Map.of(0, 0, 1, 1), c, s) {
      @Override void run(double[][] in, double[][] out) {
        BLAS.drot(n, out[0], 1, out[1], 1, param(0), param(1));
      }
    };
  }

  /**
   * {@code (y + a x, z + b x, c x)} over {@code (y, z, x)}: three outputs, all in place; x is
   * scaled last because the others read it.
   */
  public static VectorOp fan3(double a, double b, double c, int n) {
    return new VectorOp("Fan3", List.of("x", "y", "z"), List.of("f0", "f1", "f2"), lens(n, 3),
        lens(n, 3), Map.of(0, 1, 1, 2, 2, 0), a, b, c) {
      @Override void run(double[][] in, double[][] out) {
        BLAS.daxpy(n, param(0), in[0], 1, out[0], 1);
        BLAS.daxpy(n, param(1), in[0], 1, out[1], 1);
        BLAS.dscal(n, param(2), out[2], 1);
      }
    };
  }

  /** {@code (a x, b x)}: the first over x, the second into a fresh buffer. */
  public static VectorOp scalPair(double a, double b, int n) {
    return new VectorOp("ScalPair", List.of("x"), List.of("ax", "bx"), lens(n, 1), lens(n, 2),
        Map.of(0, 0), a, b) {
      @Override void run(double[][] in, double[][] out) {
        BLAS.dcopy(n, in[0], 1, out[1], 1);
        BLAS.dscal(n, param(1), out[1], 1);
        BLAS.dscal(n, param(0), out[0], 1);
      }
    };
  }

  /** {@code x + y} into a fresh buffer: overwrites nothing. */
  public static VectorOp add(int n) {
    return new VectorOp("Add", List.of("x", "y"), List.of("sum"), lens(n, 2), lens(n, 1), Map.of()) {
      @Override void run(double[][] in, double[][] out) {
        BLAS.dcopy(n, in[0], 1, out[0], 1);
        BLAS.daxpy(n, 1.0, in[1], 1, out[0], 1);
      }
    };
  }

  /** The first {@code m} of {@code n} doubles, scaled by {@code a}, over x: a smaller result in place. */
  public static VectorOp head(double a, int n, int m) {
    return new VectorOp("Head", List.of("x"), List.of("head"), new int[] {n}, new int[] {m},
        Map.of(0, 0), a) {
      @Override void run(double[][] in, double[][] out) {
        BLAS.dscal(m, param(0), out[0], 1);
      }
    };
  }

  /** {@code m} doubles padded with zeros to {@code n}, into a fresh buffer. */
  public static VectorOp pad(int m, int n) {
    return new VectorOp("Pad", List.of("x"), List.of("padded"), new int[] {m}, new int[] {n}, Map.of()) {
      @Override void run(double[][] in, double[][] out) {
        BLAS.dcopy(m, in[0], 1, out[0], 1);
        Arrays.fill(out[0], m, n, 0.0);
      }
    };
  }
}
