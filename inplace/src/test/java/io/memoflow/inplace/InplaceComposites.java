package io.memoflow.inplace;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Expr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;

/**
 * Random composites whose operations overwrite their inputs, from a seed: operations with 1-3
 * outputs that destroy one or several inputs, values with several readers (some of them
 * destroyers), requested outputs that are also read inside, donated graph inputs.
 */
public final class InplaceComposites {
  private InplaceComposites() {}

  /** How values are sized in {@link #symbolic}. */
  public enum Sizes {
    /** Every value 64 bytes. */
    EQUAL,
    /**
     * Matrix shapes, as in a BLAS/LAPACK pipeline: per composite two dimensions n and m in
     * [2, 32], and each value an n x n, n x m, m x m, n or m block of doubles; a result written
     * in place has its operand's shape.
     */
    MIXED,
    /**
     * Every value independently 8 B to 4 KiB, log-uniform, and one in five results written in
     * place smaller than its operand: a stress case, not a real pipeline.
     */
    SCATTERED
  }

  /**
   * A composite to plan.
   *
   * @param composite the composite
   * @param donated graph inputs that may be overwritten
   * @param sizes bytes per variable, or null when every operation is an BufferOperation
   */
  public record Scenario(CompositeComputation composite, Set<Expr> donated, ToLongFunction<Expr> sizes) {
    /** Returns the planner for this scenario. */
    public BufferPlanner planner() {
      BufferPlanner.Builder b = BufferPlanner.builder().donate(donated);
      if (sizes != null) {
        b.sizes(sizes);
      }
      return b.build();
    }

    @Override
    public String toString() {
      return composite.size() + " computations, donated " + donated + ", requested "
          + composite.requestedOutputs() + "\n" + composite;
    }
  }

  private static final int[] LENGTHS = {3, 5, 8};

  /** Returns a composite of {@code computations} netlib BLAS vector operations. */
  public static Scenario executable(long seed, int computations) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Builder b = new Builder(rnd);
    Map<Integer, List<Expr>> pools = new HashMap<>();
    for (int n : LENGTHS) {
      List<Expr> pool = new ArrayList<>();
      int inputs = 1 + rnd.nextInt(2);
      for (int i = 0; i < inputs; i++) {
        pool.add(b.input());
      }
      pools.put(n, pool);
    }
    while (b.computations.size() < computations) {
      int n = LENGTHS[rnd.nextInt(LENGTHS.length)];
      List<Expr> pool = pools.get(n);
      double a = 0.5 + rnd.nextInt(7) * 0.25;
      double c = 0.25 + rnd.nextInt(5) * 0.125;
      int kind = rnd.nextInt(10);
      switch (kind) {
        case 0, 1 -> b.add(VectorOps.scal(a, n), List.of(b.pick(pool)), 1, pool);
        case 2, 3 -> b.add(VectorOps.axpy(a, n), List.of(b.pick(pool), b.pick(pool)), 1, pool);
        case 4 -> b.add(VectorOps.rot(c, a, n), List.of(b.pick(pool), b.pick(pool)), 2, pool);
        case 5 -> b.add(VectorOps.fan3(a, c, -a, n),
            List.of(b.pick(pool), b.pick(pool), b.pick(pool)), 3, pool);
        case 6 -> b.add(VectorOps.scalPair(a, c, n), List.of(b.pick(pool)), 2, pool);
        case 7 -> b.add(VectorOps.add(n), List.of(b.pick(pool), b.pick(pool)), 1, pool);
        default -> {
          // change length: shrink in place, or pad into a fresh buffer
          int m = LENGTHS[rnd.nextInt(LENGTHS.length)];
          if (m < n) {
            b.add(VectorOps.head(a, n, m), List.of(b.pick(pool)), 1, pools.get(m));
          } else if (m > n) {
            b.add(VectorOps.pad(n, m), List.of(b.pick(pool)), 1, pools.get(m));
          } else {
            b.add(VectorOps.scal(-a, n), List.of(b.pick(pool)), 1, pool);
          }
        }
      }
    }
    return b.finish(null);
  }

  /** Which outputs of a symbolic operation overwrite inputs. */
  public enum Overwrites {
    /** Each output over a distinct input with probability 0.6: a stress case. */
    DENSE,
    /**
     * As in BLAS/LAPACK: an operation writes one result over one operand with probability 0.55
     * (GEMM, AXPY, TRSM), two results over two operands with probability 0.1 (POSV, GESV),
     * nothing otherwise.
     */
    BLAS
  }

  /** Returns {@link #symbolic(long, int, Sizes, Overwrites)} with {@link Overwrites#DENSE}. */
  public static Scenario symbolic(long seed, int computations, Sizes sizes) {
    return symbolic(seed, computations, sizes, Overwrites.DENSE);
  }

  /**
   * Returns a composite of {@code computations} symbolic operations with 1-3 inputs and 1-3
   * outputs, sized {@code sizes}, overwriting inputs as {@code overwrites} says.
   */
  public static Scenario symbolic(long seed, int computations, Sizes sizes, Overwrites overwrites) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Builder b = new Builder(rnd);
    long n = 2 + rnd.nextInt(31);
    long m = 2 + rnd.nextInt(31);
    long[] shapes = {8 * n * n, 8 * n * m, 8 * m * m, 8 * n, 8 * m};
    Map<Expr, Long> bytes = new HashMap<>();
    List<Expr> pool = new ArrayList<>();
    int inputs = 1 + rnd.nextInt(3);
    for (int i = 0; i < inputs; i++) {
      Expr x = b.input();
      pool.add(x);
      bytes.put(x, size(rnd, sizes, shapes));
    }
    while (b.computations.size() < computations) {
      int in = 1 + rnd.nextInt(3);
      int out = 1 + rnd.nextInt(3);
      List<Expr> operands = new ArrayList<>();
      for (int j = 0; j < in; j++) {
        Expr x = b.pick(pool);
        for (int retry = 0; retry < 3 && operands.contains(x); retry++) {
          x = b.pick(pool); // mostly distinct operands, as in real kernels
        }
        operands.add(x);
      }
      Map<Integer, Integer> ow = new HashMap<>();
      List<Integer> free = new ArrayList<>();
      for (int j = 0; j < in; j++) {
        free.add(j);
      }
      if (overwrites == Overwrites.DENSE) {
        for (int k = 0; k < out && !free.isEmpty(); k++) {
          if (rnd.nextInt(10) < 6) {
            ow.put(k, free.remove(rnd.nextInt(free.size())));
          }
        }
      } else {
        int r = rnd.nextInt(100);
        int destroyed = r < 55 ? 1 : r < 65 ? 2 : 0;
        for (int k = 0; k < Math.min(destroyed, out) && !free.isEmpty(); k++) {
          ow.put(k, free.remove(rnd.nextInt(free.size())));
        }
      }
      Kernel op = Kernel.of("K" + in + out, in, out, ow);
      List<Expr> results = b.add(op, operands, out, pool);
      for (int k = 0; k < out; k++) {
        Integer j = ow.get(k);
        long s;
        if (j != null) {
          long operand = bytes.get(operands.get(j));
          // BLAS/LAPACK results written in place have their operand's shape (GEMM's C, POSV's B)
          s = sizes != Sizes.SCATTERED || rnd.nextInt(5) > 0 ? operand : size(rnd, sizes, shapes);
          s = Math.min(s, operand); // a result written in place fits its operand
        } else {
          s = size(rnd, sizes, shapes);
        }
        bytes.put(results.get(k), s);
      }
    }
    return b.finish(e -> bytes.get(e));
  }

  private static long size(SplittableRandom rnd, Sizes sizes, long[] shapes) {
    return switch (sizes) {
      case EQUAL -> 64;
      case MIXED -> shapes[rnd.nextInt(shapes.length)];
      case SCATTERED -> 8L << rnd.nextInt(10); // 8 B .. 4 KiB, log-uniform
    };
  }

  private static final class Builder {
    final SplittableRandom rnd;
    final List<Computation> computations = new ArrayList<>();
    final List<Expr> inputs = new ArrayList<>();
    final List<Expr> produced = new ArrayList<>();
    int names;

    Builder(SplittableRandom rnd) {
      this.rnd = rnd;
    }

    Expr input() {
      Expr x = Expr.symbol("x" + inputs.size());
      inputs.add(x);
      return x;
    }

    /** Mostly a recent value (chains, shared readers), sometimes any. */
    Expr pick(List<Expr> pool) {
      int size = pool.size();
      if (rnd.nextInt(10) < 7) {
        return pool.get(size - 1 - rnd.nextInt(Math.min(size, 6)));
      }
      return pool.get(rnd.nextInt(size));
    }

    List<Expr> add(io.memoflow.dag.Operation op, List<Expr> operands, int outputs, List<Expr> into) {
      List<Expr> outs = new ArrayList<>();
      for (int k = 0; k < outputs; k++) {
        outs.add(Expr.symbol("v" + names++));
      }
      computations.add(Computation.of(op, operands, outs));
      into.addAll(outs);
      produced.addAll(outs);
      return outs;
    }

    Scenario finish(ToLongFunction<Expr> sizes) {
      CompositeComputation plain = CompositeComputation.of(computations);
      Set<Expr> read = new LinkedHashSet<>();
      for (Computation c : computations) {
        read.addAll(c.inputs());
      }
      Set<Expr> requested = new LinkedHashSet<>();
      for (Expr v : produced) {
        if (read.contains(v) && rnd.nextInt(10) == 0) {
          requested.add(v); // a requested output that is also read inside
        }
      }
      List<Expr> graphInputs = plain.inputs();
      if (!graphInputs.isEmpty() && rnd.nextInt(8) == 0) {
        requested.add(graphInputs.get(rnd.nextInt(graphInputs.size())));
      }
      Set<Expr> donated = new LinkedHashSet<>();
      for (Expr x : graphInputs) {
        if (!requested.contains(x) && rnd.nextBoolean()) {
          donated.add(x);
        }
      }
      CompositeComputation composite =
          requested.isEmpty() ? plain : plain.withOutputs(List.copyOf(requested));
      return new Scenario(composite, Set.copyOf(donated), sizes);
    }
  }
}
