package io.memoflow.reactive;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random DAGs of integer ops with one or two outputs, with a plain sequential evaluator to
 * compare against. Each node has its own op, {@code N<k>}: output j is a fixed polynomial of its
 * inputs, its salt and j.
 */
final class RandomDags {
  private RandomDags() {}

  /** A node: which earlier variables it reads (index modulo those known), outputs, salt. */
  record NodeSpec(List<Integer> picks, int outputs, int salt) {}

  /** A DAG: graph input values, then nodes in creation (topological) order. */
  record DagSpec(List<Long> inputs, List<NodeSpec> nodes) {

    CompositeComputation composite() {
      Dag.Builder b = Dag.builder();
      List<String> known = new ArrayList<>();
      for (int k = 0; k < inputs.size(); k++) {
        b.input("in" + k);
        known.add("in" + k);
      }
      int v = 0;
      for (int k = 0; k < nodes.size(); k++) {
        NodeSpec n = nodes.get(k);
        String[] args = args(n, known);
        String[] outs = new String[n.outputs()];
        for (int j = 0; j < outs.length; j++) {
          outs[j] = "v" + v++;
        }
        b.step(op(k, args.length, outs.length), args).as(outs);
        known.addAll(List.of(outs));
      }
      return b.build();
    }

    /** Returns the values of the graph inputs that some node reads. */
    Map<Expr, Object> bindings() {
      List<Expr> read = composite().inputs();
      Map<Expr, Object> m = new LinkedHashMap<>();
      for (int k = 0; k < inputs.size(); k++) {
        if (read.contains(Expr.symbol("in" + k))) {
          m.put(Expr.symbol("in" + k), inputs.get(k));
        }
      }
      return m;
    }

    /** Evaluates every variable in creation order, with no engine involved. */
    Map<Expr, Object> evaluate() {
      Map<String, Long> values = new HashMap<>();
      List<String> known = new ArrayList<>();
      for (int k = 0; k < inputs.size(); k++) {
        values.put("in" + k, inputs.get(k));
        known.add("in" + k);
      }
      int v = 0;
      for (int k = 0; k < nodes.size(); k++) {
        NodeSpec n = nodes.get(k);
        String[] args = args(n, known);
        Object[] in = new Object[args.length];
        for (int a = 0; a < args.length; a++) {
          in[a] = values.get(args[a]);
        }
        for (int j = 0; j < n.outputs(); j++) {
          String name = "v" + v++;
          values.put(name, f(in, k, j));
          known.add(name);
        }
      }
      Map<Expr, Object> out = new HashMap<>();
      values.forEach((name, value) -> out.put(Expr.symbol(name), value));
      return out;
    }

    /** Binds every node's op in {@code fixture}. */
    Fixture bind(Fixture fixture) {
      List<String> known = new ArrayList<>();
      for (int k = 0; k < inputs.size(); k++) {
        known.add("in" + k);
      }
      for (int k = 0; k < nodes.size(); k++) {
        NodeSpec n = nodes.get(k);
        String[] args = args(n, known);
        int node = k;
        int outs = n.outputs();
        fixture.bind(op(k, args.length, outs), in -> {
          if (outs == 1) {
            return f(in, node, 0);
          }
          List<Long> r = new ArrayList<>();
          for (int j = 0; j < outs; j++) {
            r.add(f(in, node, j));
          }
          return r;
        });
        for (int j = 0; j < outs; j++) {
          known.add("v" + (known.size() - inputs.size()));
        }
      }
      return fixture;
    }

    private static String[] args(NodeSpec n, List<String> known) {
      // Distinct picks only: the same variable twice would be fine, but keep arities honest.
      return n.picks().stream().map(p -> known.get(Math.floorMod(p, known.size())))
          .distinct().toArray(String[]::new);
    }
  }

  static Operation op(int k, int inputs, int outputs) {
    List<String> in = new ArrayList<>();
    for (int a = 0; a < inputs; a++) {
      in.add("a" + a);
    }
    List<String> out = new ArrayList<>();
    for (int j = 0; j < outputs; j++) {
      out.add("o" + j);
    }
    return Operation.of("N" + k, in, out);
  }

  static long f(Object[] in, int node, int j) {
    long h = 17L * node + 7L * j + 1;
    for (int a = 0; a < in.length; a++) {
      h = h * 31 + (Long) in[a] * (a + 3);
    }
    return h;
  }

  static Arbitrary<DagSpec> dags(int maxNodes) {
    Arbitrary<NodeSpec> node = Combinators.combine(
            Arbitraries.integers().between(0, 1000).list().ofMinSize(1).ofMaxSize(3),
            Arbitraries.integers().between(1, 2),
            Arbitraries.integers().between(0, 100))
        .as(NodeSpec::new);
    return Combinators.combine(
            Arbitraries.longs().between(-50, 50).list().ofMinSize(1).ofMaxSize(3),
            node.list().ofMinSize(1).ofMaxSize(maxNodes))
        .as(DagSpec::new);
  }
}
