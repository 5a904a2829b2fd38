package io.memoflow.cache.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Call;
import io.memoflow.cache.Op;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import io.memoflow.cache.spi.HistoryId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Laws of computation frames over random stored programs. */
class ComputationFramePropertiesTest {
  static final Op INC = Op.of("inc", (Integer x) -> x + 1);
  static final Op INC2 = Op.builder("inc").version("2").inputs("x0").function(a -> (Integer) a[0] + 2).build();
  static final Op DBL = Op.of("dbl", (Integer x) -> 2 * x);
  static final Op ADD = Op.of("add", (Integer x, Integer y) -> x + y);
  static final Op MINMAX = Op.builder("minmax").inputs("a", "b").outputs("lo", "hi")
      .function(a -> List.of(Math.min((Integer) a[0], (Integer) a[1]), Math.max((Integer) a[0], (Integer) a[1])))
      .build();
  static final Op SUM = Op.of("sum", (List<Integer> xs) -> xs.stream().mapToInt(Integer::intValue).sum());
  static final List<String> OPS = List.of("inc", "dbl", "add", "minmax", "sum");

  /** One step of a random program: which op, and two argument choices (raw or earlier ref). */
  record Step(int op, int a, int b) {}

  @Provide
  Arbitrary<List<Step>> programs() {
    Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 6),
        Arbitraries.integers().between(0, 40), Arbitraries.integers().between(0, 40)).as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(25);
  }

  /** Runs a program: argument choice k < 5 is the raw value k, else an earlier ref. */
  static void run(Storage storage, List<Step> program) {
    List<Ref<Integer>> refs = new ArrayList<>();
    try (Session s = storage.session()) {
      for (Step st : program) {
        Object a = arg(refs, st.a());
        Object b = arg(refs, st.b());
        switch (st.op()) {
          case 0 -> refs.add(INC.call(a));
          case 1 -> refs.add(INC2.call(a));
          case 2 -> refs.add(DBL.call(a));
          case 3 -> refs.add(ADD.call(a, b));
          case 4 -> {
            Call c = MINMAX.invoke(a, b);
            refs.add(c.output("lo"));
            refs.add(c.output("hi"));
          }
          default -> refs.add(SUM.call(s.list(List.of(a, b))));
        }
      }
    }
  }

  private static Object arg(List<Ref<Integer>> refs, int k) {
    return k < 5 || refs.isEmpty() ? (Object) (k % 5) : refs.get(k % refs.size());
  }

  static ComputationFrame grownFrame(Storage storage, int opChoice) {
    return ComputationFrame.ofOp(storage, OPS.get(opChoice % OPS.size())).grow();
  }

  static Set<List<HistoryId>> rows(FrameTable t) {
    Set<List<HistoryId>> out = new HashSet<>();
    t.rows().forEach(r -> out.add(r.historyIds()));
    return out;
  }

  @Property(tries = 60)
  void grow_isMonotoneAndIdempotent(@ForAll("programs") List<Step> program, @ForAll int opChoice) {
    try (Storage storage = Storage.inMemory()) {
      run(storage, program);
      ComputationFrame f = ComputationFrame.ofOp(storage, OPS.get(Math.floorMod(opChoice, OPS.size())));
      ComputationFrame back = f.growBackward();
      ComputationFrame fwd = f.growForward();
      ComputationFrame all = f.grow();
      assertTrue(f.isSubframeOf(back));
      assertTrue(f.isSubframeOf(fwd));
      assertTrue(f.isSubframeOf(all));
      assertTrue(back.isSubframeOf(back.grow()) && fwd.isSubframeOf(fwd.grow()));
      assertEquals(back, back.growBackward());
      assertEquals(fwd, fwd.growForward());
      assertEquals(all, all.grow());
      assertEquals(all, all.growBackward());
      assertEquals(all, all.growForward());
      ComputationFrame step = f.growBackwardFrom(f.variables().toArray(new String[0]));
      assertTrue(f.isSubframeOf(step) && step.isSubframeOf(back));
    }
  }

  /*
   * Random seed: the law holds by construction (a restricted frame keeps its parent's rows).
   * Checked once with tries = 5000 (a temporary edit); the committed count keeps the suite fast.
   */
  @Property(tries = 60)
  void restrict_thenEvaluate_equalsEvaluate_thenFilter(@ForAll("programs") List<Step> program,
      @ForAll int opChoice, @ForAll int varChoice, @ForAll long mask) {
    try (Storage storage = Storage.inMemory()) {
      run(storage, program);
      ComputationFrame f = grownFrame(storage, Math.floorMod(opChoice, OPS.size()));
      List<String> vars = new ArrayList<>(f.variables());
      if (vars.isEmpty()) {
        return; // the op was never called
      }
      String v = vars.get(Math.floorMod(varChoice, vars.size()));
      List<Ref<?>> refs = f.refs(v);
      List<Ref<?>> some = new ArrayList<>();
      Set<HistoryId> ids = new HashSet<>();
      for (int i = 0; i < refs.size(); i++) {
        if ((mask >>> (i % 64) & 1) == 1) {
          some.add(refs.get(i));
          ids.add(refs.get(i).historyId());
        }
      }
      FrameTable table = f.toTable();
      assertEquals(rows(table.filter(r -> ids.contains(r.historyId(v)))), rows(f.whereRefs(v, some).toTable()));
      assertEquals(rows(table.filter(r -> r.value(v) instanceof Integer i && i % 2 == 0)),
          rows(f.whereValue(v, x -> x instanceof Integer i && i % 2 == 0).toTable()));
      if (f.operations().contains("inc")) {
        assertEquals(rows(table.filter(r -> r.call("inc") != null && r.call("inc").version().equals("2"))),
            rows(f.whereVersion("inc", "2").toTable()));
      }
      // Restrictions compose: restricting a restricted frame filters its rows again.
      assertEquals(rows(table.filter(r -> ids.contains(r.historyId(v)) && r.value(v) instanceof Integer i && i % 2 == 0)),
          rows(f.whereRefs(v, some).whereValue(v, x -> x instanceof Integer i && i % 2 == 0).toTable()));
    }
  }

  @Property(tries = 50)
  void unionAndIntersection_obeyLatticeLaws(@ForAll("programs") List<Step> program, @ForAll int opChoice,
      @ForAll long maskA, @ForAll long maskB) {
    try (Storage storage = Storage.inMemory()) {
      run(storage, program);
      ComputationFrame f = grownFrame(storage, Math.floorMod(opChoice, OPS.size()));
      if (f.variables().isEmpty()) {
        return;
      }
      String v = f.variables().iterator().next();
      List<Ref<?>> refs = f.refs(v);
      ComputationFrame a = f.whereRefs(v, pick(refs, maskA));
      ComputationFrame b = f.whereRefs(v, pick(refs, maskB));
      assertEquals(a, a.union(a));
      assertEquals(a, a.intersection(a));
      assertEquals(a.union(b), b.union(a));
      assertEquals(a.intersection(b), b.intersection(a));
      assertEquals(a, a.union(a.intersection(b)));
      assertEquals(a, a.intersection(a.union(b)));
      assertTrue(a.intersection(b).isSubframeOf(a) && a.isSubframeOf(a.union(b)));
      assertEquals(a, a.difference(b).union(a.intersection(b)));
      assertEquals(f, f.union(a));
      // Restrictions of one frame combine row by row.
      Set<List<HistoryId>> both = new HashSet<>(rows(a.toTable()));
      both.retainAll(rows(b.toTable()));
      Set<List<HistoryId>> either = new HashSet<>(rows(a.toTable()));
      either.addAll(rows(b.toTable()));
      assertEquals(either, rows(a.union(b).toTable()));
      assertEquals(both, rows(a.intersection(b).toTable()));
      ComputationFrame c = f.whereRefs(v, pick(refs, maskA ^ maskB));
      assertEquals(a.union(b).union(c), a.union(b.union(c)));
      assertEquals(a.intersection(b).intersection(c), a.intersection(b.intersection(c)));
    }
  }

  private static List<Ref<?>> pick(List<Ref<?>> refs, long mask) {
    List<Ref<?>> out = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      if ((mask >>> (i % 64) & 1) == 1) {
        out.add(refs.get(i));
      }
    }
    return out;
  }

  @Property(tries = 60)
  void everyRow_isARealPartialComputationInTheStore(@ForAll("programs") List<Step> program,
      @ForAll int opChoice) {
    try (Storage storage = Storage.inMemory()) {
      run(storage, program);
      ComputationFrame f = grownFrame(storage, Math.floorMod(opChoice, OPS.size()));
      FrameTable t = f.toTable();
      Map<String, Set<HistoryId>> covered = new java.util.HashMap<>();
      for (FrameTable.Row row : t.rows()) {
        assertFalse(row.historyIds().stream().allMatch(java.util.Objects::isNull), "empty row");
        for (String col : t.columns()) {
          HistoryId h = row.historyId(col);
          if (h == null) {
            continue;
          }
          covered.computeIfAbsent(col, k -> new HashSet<>()).add(h);
          if (t.isVariable(col)) {
            assertTrue(f.historyIds(col).contains(h));
            continue;
          }
          Call stored = storage.call(h).orElse(null);
          assertNotNull(stored, "call not in store: " + h);
          assertEquals(f.opOf(col), stored.op());
          f.inputsOf(col).forEach((port, var) -> {
            List<HistoryId> expected = new ArrayList<>();
            stored.inputs().forEach((name, ref) -> {
              if (FrameUniverse.inputPort(stored.op(), name).equals(port)) {
                expected.add(ref.historyId());
              }
            });
            if (!expected.isEmpty()) {
              assertTrue(expected.contains(row.historyId(var)), "input " + port + " of " + col + " in " + row);
            }
          });
          f.outputsOf(col).forEach((port, var) ->
              assertEquals(stored.outputs().get(port).historyId(), row.historyId(var), "output " + port + " in " + row));
        }
      }
      for (String node : f.nodes()) {
        Set<HistoryId> all = f.variables().contains(node) ? f.historyIds(node) : f.callIds(node);
        assertEquals(all, covered.getOrDefault(node, Set.of()), "every element of " + node + " is in a row");
      }
    }
  }

  @Property(tries = 30)
  void upstreamOfAllSinks_isTheWholeFrame(@ForAll("programs") List<Step> program, @ForAll int opChoice) {
    try (Storage storage = Storage.inMemory()) {
      run(storage, program);
      ComputationFrame f = grownFrame(storage, Math.floorMod(opChoice, OPS.size()));
      List<String> sinks = new ArrayList<>();
      for (String n : f.nodes()) {
        if (f.variables().contains(n) && f.operations().stream().noneMatch(o -> f.inputsOf(o).containsValue(n))) {
          sinks.add(n);
        }
      }
      ComputationFrame up = f.upstream(sinks.toArray(new String[0]));
      assertTrue(up.isSubframeOf(f));
      assertEquals(Arrays.asList(f.nodes().stream().filter(up.nodes()::contains).toArray()), Arrays.asList(up.nodes().toArray()));
    }
  }
}
