package io.memoflow.cache.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Call;
import io.memoflow.cache.Op;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Expr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Computation frames: creation, growth, tables, restriction, drawing, deletion. */
class ComputationFrameTest {
  private final AtomicInteger runs = new AtomicInteger();
  private final Op inc = Op.of("inc", (Integer x) -> {
    runs.incrementAndGet();
    return x + 1;
  });
  private final Op add = Op.of("add", (Integer x, Integer y) -> {
    runs.incrementAndGet();
    return x + y;
  });
  private final Storage storage = Storage.inMemory();

  @AfterEach
  void close() {
    storage.close();
  }

  /** The example: inc over x = 0..4, add(x, inc(x)) for even x. */
  private void incAdd() {
    try (Session s = storage.session()) {
      for (int x = 0; x < 5; x++) {
        Ref<Integer> y = inc.call(x);
        if (x % 2 == 0) {
          add.call(x, y);
        }
      }
    }
  }

  private static Set<List<Object>> values(FrameTable t, String... cols) {
    Set<List<Object>> out = new HashSet<>();
    for (FrameTable.Row r : t.rows()) {
      List<Object> line = new ArrayList<>();
      for (String c : cols) {
        line.add(t.isVariable(c) ? r.value(c) : r.call(c) == null ? null : r.call(c).op());
      }
      out.add(line);
    }
    return out;
  }

  private static List<Object> row(Object... xs) {
    return java.util.Arrays.asList(xs);
  }

  @Test
  void table_incThenAddOnEvenX_givesFiveRowsWithAddNullForOddX() {
    incAdd();
    ComputationFrame cf = ComputationFrame.of(storage, inc).grow();
    assertEquals(List.of("x0", "inc", "output_0", "add", "output_0_1"), cf.nodes());
    FrameTable t = cf.toTable();
    assertEquals(5, t.size());
    assertEquals(Set.of(
        row(0, "inc", 1, "add", 1),
        row(1, "inc", 2, null, null),
        row(2, "inc", 3, "add", 5),
        row(3, "inc", 4, null, null),
        row(4, "inc", 5, "add", 9)), values(t, "x0", "inc", "output_0", "add", "output_0_1"));
  }

  @Test
  void table_fromAddGrown_isTheDiamondOfWhatAddTouched() {
    incAdd();
    ComputationFrame fromAdd = ComputationFrame.of(storage, add).grow();
    assertEquals(Map.of("x0", "x0", "x1", "x1"), fromAdd.inputsOf("add"));
    assertEquals(Map.of("x0", "x0"), fromAdd.inputsOf("inc"));
    assertEquals(Map.of("output_0", "x1"), fromAdd.outputsOf("inc"));
    FrameTable t = fromAdd.toTable();
    // The odd x were never passed to add: nothing links them to this frame.
    assertEquals(3, t.size());
    assertEquals(Set.of(row(0, 1, 1), row(2, 3, 5), row(4, 5, 9)), values(t, "x0", "x1", "output_0"));
  }

  @Test
  void listing_readsLikeAProgram_afterRenaming() {
    incAdd();
    ComputationFrame cf = ComputationFrame.of(storage, inc).grow()
        .rename("x0", "x").rename("output_0", "y").rename("output_0_1", "z");
    assertEquals("y = inc(x)\nz = add(x, y)\n", cf.listing());
    assertTrue(cf.toString().startsWith("ComputationFrame with 3 variable(s) (13 values), 2 operation(s) (8 calls)"),
        cf.toString());
  }

  @Test
  void toComposite_hasTheFramesGraph() {
    incAdd();
    CompositeComputation g = ComputationFrame.of(storage, inc).grow()
        .rename("x0", "x").rename("output_0", "y").rename("output_0_1", "z").toComposite();
    assertEquals(2, g.size());
    assertEquals(List.of(Expr.symbol("x")), g.inputs());
    assertEquals(List.of(Expr.symbol("z")), g.outputs());
    assertEquals("inc", g.producerOf(Expr.symbol("y")).orElseThrow().operation().name());
  }

  @Test
  void dotAndMermaid_drawEveryNodeWithCounts() {
    incAdd();
    ComputationFrame cf = ComputationFrame.of(storage, inc).grow();
    String dot = cf.toDot();
    assertTrue(dot.startsWith("digraph frame {"), dot);
    assertTrue(dot.contains("label=\"inc\\n5 calls\""), dot);
    assertTrue(dot.contains("label=\"x0\\n5 values\""), dot);
    assertTrue(dot.contains("-> op3 [label=\"x1\"]") || dot.contains("[label=\"x1\"]"), dot);
    String mm = cf.toMermaid();
    assertTrue(mm.startsWith("flowchart LR\n"), mm);
    assertTrue(mm.contains("[\"add<br/>3 calls\"]"), mm);
  }

  @Test
  void grow_reusesNodesAndIsIdempotent() {
    incAdd();
    ComputationFrame once = ComputationFrame.of(storage, inc).grow();
    assertEquals(once, once.grow());
    assertEquals(once, once.growBackward().growForward());
    assertTrue(ComputationFrame.of(storage, inc).isSubframeOf(once));
  }

  @Test
  void growOneStep_fromRefs_findsCreatorThenItsInputs() {
    Ref<Integer> z;
    try (Session s = storage.session()) {
      z = add.call(inc.call(1), 10);
    }
    ComputationFrame cf = ComputationFrame.of(storage, Map.of("z", List.of(z)));
    ComputationFrame one = cf.growBackwardFrom("z");
    assertEquals(Set.of("add"), one.operations());
    ComputationFrame all = cf.growBackward();
    assertEquals(Set.of("add", "inc"), all.operations());
    FrameTable t = all.toTable();
    assertEquals(1, t.size(), t.toText());
    assertEquals(12, (Integer) t.row(0).value("z"));
    assertEquals(2, (Integer) t.row(0).value("x0"));
    assertEquals(1, (Integer) t.row(0).value("x0_1"));
    assertEquals(10, (Integer) t.row(0).value("x1"));
  }

  @Test
  void multiOutputOp_hasOneColumnPerNamedOutput() {
    Op minmax = Op.builder("minmax").inputs("a", "b").outputs("lo", "hi")
        .function(a -> List.of(Math.min((Integer) a[0], (Integer) a[1]), Math.max((Integer) a[0], (Integer) a[1])))
        .build();
    try (Session s = storage.session()) {
      for (int i = 0; i < 3; i++) {
        Call c = minmax.invoke(i, 5 - i);
        inc.call(c.output("hi"));
      }
    }
    ComputationFrame cf = ComputationFrame.of(storage, minmax).grow();
    assertEquals(Map.of("lo", "lo", "hi", "hi"), cf.outputsOf("minmax"));
    assertEquals(Map.of("x0", "hi"), cf.inputsOf("inc"));
    assertEquals("lo, hi = minmax(a, b)\noutput_0 = inc(hi)\n", cf.listing());
    FrameTable t = cf.toTable();
    assertEquals(Set.of(row(0, 5, 0, 5, 6), row(1, 4, 1, 4, 5), row(2, 3, 2, 3, 4)),
        values(t, "a", "b", "lo", "hi", "output_0"));
    // Grown backward from one output only, the call still brings both outputs.
    Ref<?> lo = cf.refs("lo").get(0);
    ComputationFrame fromLo = ComputationFrame.of(storage, Map.of("lo", List.of(lo))).growBackward();
    assertEquals(Map.of("lo", "lo", "hi", "hi"), fromLo.outputsOf("minmax"));
    assertEquals(1, fromLo.toTable().size());
  }

  @Test
  void collections_structuralCallsAppearAsNodes() {
    Op sum = Op.of("sum", (List<Integer> xs) -> xs.stream().mapToInt(Integer::intValue).sum());
    try (Session s = storage.session()) {
      List<Ref<Integer>> ys = new ArrayList<>();
      for (int x = 0; x < 3; x++) {
        ys.add(inc.call(x));
      }
      sum.call(s.list(ys));
    }
    ComputationFrame cf = ComputationFrame.of(storage, sum).growBackward();
    assertEquals(Set.of("sum", "__list__", "inc"), cf.operations());
    assertEquals(Map.of("elements", "elements"), cf.inputsOf("__list__"));
    assertEquals(Map.of("output_0", "elements"), cf.outputsOf("inc"));
    assertEquals(Map.of("list", "x0"), cf.outputsOf("__list__"));
    FrameTable t = cf.toTable();
    // One row per element of the list, the list and the sum repeated.
    assertEquals(3, t.size());
    assertEquals(Set.of(row(0, 1, 6), row(1, 2, 6), row(2, 3, 6)), values(t, "x0_1", "elements", "output_0"));
  }

  @Test
  void restrictingCollectionRows_keepsTheCallForTheKeptElementsOnly() {
    // sum(list(0, 1)) and sum(list(0, 2)): 0 is an element of both lists. Dropping the row of
    // element 0 of the first list keeps 0 (the second list's row uses it), but the first list
    // must not give a row for element 0 again.
    Op sum = Op.of("sum", (List<Integer> xs) -> xs.stream().mapToInt(Integer::intValue).sum());
    try (Session s = storage.session()) {
      sum.call(s.list(List.of(0, 1)));
      sum.call(s.list(List.of(0, 2)));
    }
    ComputationFrame f = ComputationFrame.of(storage, sum).grow();
    String els = f.inputsOf("__list__").get("elements");
    FrameTable all = f.toTable();
    assertEquals(Set.of(row(0, 1), row(1, 1), row(0, 2), row(2, 2)), values(all, els, "output_0"));
    java.util.function.Predicate<FrameTable.Row> keep =
        r -> !(Integer.valueOf(0).equals(r.value(els)) && Integer.valueOf(1).equals(r.value("output_0")));
    ComputationFrame restricted = f.whereRows(keep);
    assertEquals(Set.of(0, 1, 2), new HashSet<>(restricted.values(els)));
    assertEquals(ComputationFramePropertiesTest.rows(all.filter(keep)),
        ComputationFramePropertiesTest.rows(restricted.toTable()));
    assertEquals(Set.of(row(1, 1), row(0, 2), row(2, 2)), values(restricted.toTable(), els, "output_0"));
    // The kept elements take part in equality, inclusion and the set operations.
    assertNotEquals(f, restricted);
    assertTrue(restricted.isSubframeOf(f) && !f.isSubframeOf(restricted));
    assertEquals(f, restricted.union(f));
    assertEquals(restricted, restricted.intersection(f));
    ComputationFrame rest = f.difference(restricted);
    // What the restriction dropped: the first list for element 0 (its sum is held by both).
    assertEquals(Set.of(row(0, null)), values(rest.toTable(), els, "output_0"));
    assertEquals(f, rest.union(f.intersection(restricted)));
  }

  @Test
  void diamond_sharedInputJoinsBothBranches() {
    Op dbl = Op.of("dbl", (Integer x) -> 2 * x);
    try (Session s = storage.session()) {
      for (int x = 0; x < 4; x++) {
        Ref<Integer> a = inc.call(x);
        Ref<Integer> b = dbl.call(x);
        if (x != 3) {
          add.call(a, b);
        }
      }
    }
    ComputationFrame cf = ComputationFrame.of(storage, inc).grow()
        .rename("x0", "x").rename("output_0", "a").rename("output_0_1", "b").rename("output_0_2", "c");
    assertEquals(Set.of("inc", "dbl", "add"), cf.operations());
    assertEquals("a = inc(x)\nb = dbl(x)\nc = add(a, b)\n", cf.listing());
    FrameTable t = cf.toTable();
    assertEquals(4, t.size(), t.toText());
    assertEquals(Set.of(row(0, 1, 0, 1), row(1, 2, 2, 4), row(2, 3, 4, 7), row(3, 4, 6, null)),
        values(t, "x", "a", "b", "c"));
  }

  @Test
  void restrict_upstreamAndDownstream_keepHistoriesOnly() {
    incAdd();
    ComputationFrame cf = ComputationFrame.of(storage, inc).grow();
    ComputationFrame up = cf.upstream("add");
    assertEquals(Set.of("x0", "output_0"), up.variables());
    assertEquals(Set.of("inc", "add"), up.operations());
    assertEquals(3, up.callIds("inc").size());
    assertEquals(3, up.toTable().size());
    ComputationFrame down = cf.downstream("output_0");
    assertEquals(List.of("output_0", "add", "output_0_1"), down.nodes());
    assertEquals(3, down.callIds("add").size());
  }

  @Test
  void whereValue_equalsFilteringTheTable() {
    incAdd();
    ComputationFrame cf = ComputationFrame.of(storage, inc).grow();
    ComputationFrame small = cf.whereValue("x0", x -> (Integer) x >= 3);
    assertEquals(Set.of(row(3, 4, null), row(4, 5, 9)), values(small.toTable(), "x0", "output_0", "output_0_1"));
    assertEquals(2, small.callIds("inc").size());
    assertEquals(1, small.callIds("add").size());
  }

  /** Stores inc(1), inc(2) and inc@2(1), and returns the frame of inc's calls. */
  private ComputationFrame incCallsOfTwoVersions() {
    Op inc2 = Op.builder("inc").version("2").inputs("x0").function(a -> (Integer) a[0] + 100).build();
    try (Session s = storage.session()) {
      inc.call(1);
      inc.call(2);
      inc2.call(1);
    }
    return ComputationFrame.of(storage, inc);
  }

  @Test
  void whereVersion_keepsCallsOfThoseVersions() {
    ComputationFrame cf = incCallsOfTwoVersions();
    assertEquals(3, cf.toTable().size());
    ComputationFrame v2 = cf.whereVersion("inc", "2");
    assertEquals(1, v2.toTable().size());
    assertEquals("2", v2.calls("inc").get(0).version());
    assertEquals(101, (Integer) v2.toTable().row(0).value("output_0"));
    // inc has no label: its calls carry its code version, in full or in the short form tables print.
    assertEquals(2, cf.whereVersion("inc", inc.version()).callIds("inc").size());
    String shortCode = "code:" + inc.codeVersion().orElseThrow().hex().substring(0, 8);
    assertEquals(2, cf.whereVersion("inc", shortCode).callIds("inc").size());
    assertEquals(3, cf.whereVersion("inc", shortCode, "2").callIds("inc").size());
    assertEquals(0, cf.whereVersion("inc", "1").callIds("inc").size());
  }

  @Test
  void setOperations_unionIntersectionDifference() {
    incAdd();
    ComputationFrame cf = ComputationFrame.of(storage, inc).grow();
    ComputationFrame a = cf.whereValue("x0", x -> (Integer) x <= 2);
    ComputationFrame b = cf.whereValue("x0", x -> (Integer) x >= 2);
    assertEquals(cf, a.union(b));
    assertEquals(Set.of(row(2, 3, 5)), values(a.intersection(b).toTable(), "x0", "output_0", "output_0_1"));
    assertEquals(Set.of(row(0, 1, 1), row(1, 2, null)), values(a.difference(b).toTable(), "x0", "output_0", "output_0_1"));
    assertEquals(a, a.difference(b).union(a.intersection(b)));
  }

  @Test
  void union_rejectsANameThatIsAVariableInOneFrameAndAnOpInTheOther() {
    incAdd();
    ComputationFrame a = ComputationFrame.of(storage, inc);
    ComputationFrame b = a.rename("x0", "q").rename("inc", "x0");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.union(b));
    assertTrue(e.getMessage().contains("'x0' is a variable in one and an operation node in the other"), e.getMessage());
  }

  @Test
  void unknownNode_messageListsTheNodes() {
    incAdd();
    ComputationFrame cf = ComputationFrame.of(storage, inc);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cf.refs("y"));
    assertEquals("This frame has no variable 'y'. Its variables are [x0, output_0]; see ComputationFrame.nodes().",
        e.getMessage());
  }

  @Test
  void delete_removesCallsAndDependentsThenRerunningExecutesAgain() {
    incAdd();
    long valuesBefore = storage.stats().values();
    ComputationFrame cf = ComputationFrame.of(storage, inc).whereValue("x0", x -> (Integer) x == 4);
    ComputationFrame.Deletion d = cf.delete();
    assertEquals(2, d.calls()); // inc(4) and add(4, inc(4)), which depends on it
    assertEquals(1, d.values()); // 9; the other values are shared by content with kept calls
    assertEquals(valuesBefore - d.values(), storage.stats().values());
    assertTrue(storage.calls("add").stream().noneMatch(c -> c.inputs().get("x0").value().equals(4)));
    FrameTable t = ComputationFrame.of(storage, inc).grow().toTable();
    assertEquals(4, t.size());
    runs.set(0);
    incAdd();
    assertEquals(2, runs.get());
    assertEquals(5, ComputationFrame.of(storage, inc).grow().toTable().size());
  }

  @Test
  void table_printsAlignedTextCsvAndJsonLines() {
    try (Session s = storage.session()) {
      inc.call(1);
    }
    ComputationFrame cf = ComputationFrame.of(storage, inc).rename("x0", "x").rename("output_0", "y");
    FrameTable t = cf.toTable();
    Call call = t.row(0).call("inc");
    String shortId = call.historyId().toDigest().shortHex();
    String codeHex = inc.codeVersion().orElseThrow().hex();
    assertEquals("code:" + codeHex, call.version());
    // Text: the code version by its first 8 hex digits; CSV and JSON: the version in full.
    String label = "inc@code:" + codeHex.substring(0, 8) + ":" + shortId;
    assertEquals("x  inc" + " ".repeat(label.length() - 3) + "  y\n"
        + "-  " + "-".repeat(label.length()) + "  -\n"
        + "1  " + label + "  2\n", t.toText());
    assertEquals("x,inc,y\r\n1,inc@code:" + codeHex + ":" + call.historyId().hex() + ",2\r\n", t.toCsv());
    assertEquals("{\"x\":1,\"inc\":{\"op\":\"inc\",\"version\":\"code:" + codeHex + "\",\"historyId\":\""
        + call.historyId().hex() + "\"},\"y\":2}\n", t.toJsonLines());
  }

  @Test
  void table_printsALabelWholeAndShortensCodeAndDependencyHashes() {
    Op labelled = Op.builder("inc").version("1").inputs("x0").function(a -> (Integer) a[0] + 1).build();
    try (Session s = storage.session()) {
      labelled.call(1);
    }
    FrameTable t = ComputationFrame.of(storage, labelled).toTable();
    String shortId = t.row(0).call("inc").historyId().toDigest().shortHex();
    assertEquals("{x0=1, inc=inc@1:" + shortId + ", output_0=2}", t.row(0).toString());
    String hex = "8904f121002becc6ded35112e6dcac20";
    String deps = "0123456789abcdef0123456789abcdef";
    assertEquals("1", FrameTable.shortVersion("1"));
    assertEquals("code:8904f121", FrameTable.shortVersion("code:" + hex));
    assertEquals("code:8904f121+deps:01234567", FrameTable.shortVersion("code:" + hex + "+deps:" + deps));
    assertEquals("2+deps:01234567", FrameTable.shortVersion("2+deps:" + deps));
    assertEquals("code:not-a-hash-at-all", FrameTable.shortVersion("code:not-a-hash-at-all"));
  }

  @Test
  void csvAndJson_writeNullsAndQuoteFields() {
    Op greet = Op.of("greet", (String who) -> "hello, \"" + who + "\"");
    try (Session s = storage.session()) {
      greet.call("ann");
    }
    Ref<?> loose;
    try (Session s = storage.session()) {
      loose = s.list(List.of(7));
    }
    ComputationFrame cf = ComputationFrame.of(storage, greet);
    assertTrue(cf.toTable().toCsv().contains("\"hello, \"\"ann\"\"\""), cf.toTable().toCsv());
    ComputationFrame lone = ComputationFrame.of(storage, Map.of("v", List.of(loose)))
        .union(ComputationFrame.of(storage, Map.of("w", List.of(cf.refs("x0").get(0)))));
    String json = lone.toTable().toJsonLines();
    assertTrue(json.contains("\"v\":null") && json.contains("\"w\":null"), json);
    assertTrue(lone.toTable().toCsv().contains(",\r\n") || lone.toTable().toCsv().startsWith("v,w\r\n,"),
        lone.toTable().toCsv());
  }

  @Test
  void sortedBy_ordersNumbersByValueAcrossBoxedTypes_andCsvKeepsThemExact() {
    Op half = Op.of("half", (Object x) -> ((Number) x).doubleValue() / 3);
    try (Session s = storage.session()) {
      for (Object x : List.of(10L, 2, 2.5, 100.0, -1L)) {
        half.call(x);
      }
    }
    FrameTable t = ComputationFrame.of(storage, half).toTable().sortedBy("x0");
    List<Double> xs = new java.util.ArrayList<>();
    for (FrameTable.Row r : t.rows()) {
      xs.add(((Number) r.value("x0")).doubleValue());
    }
    assertEquals(List.of(-1.0, 2.0, 2.5, 10.0, 100.0), xs);
    assertTrue(t.toText().contains("0.666667"), t.toText());
    assertTrue(t.toCsv().contains("0.6666666666666666"), t.toCsv());
  }

  @Test
  void sortedBy_ordersArraysElementByElement_byValue() {
    Op sum = Op.of("sum", (double[] v) -> java.util.Arrays.stream(v).sum());
    try (Session s = storage.session()) {
      for (double[] v : List.of(new double[] {10, 1}, new double[] {2}, new double[] {2, 5},
          new double[] {-1, 9})) {
        sum.call(v);
      }
    }
    FrameTable t = ComputationFrame.of(storage, sum).toTable().sortedBy("x0");
    List<String> order = new java.util.ArrayList<>();
    for (FrameTable.Row r : t.rows()) {
      order.add(java.util.Arrays.toString(r.<double[]>value("x0")));
    }
    // As text, "[10.0, 1.0]" would sort before "[2.0]".
    assertEquals(List.of("[-1.0, 9.0]", "[2.0]", "[2.0, 5.0]", "[10.0, 1.0]"), order);
  }

  @Test
  void rowsAccessors_checkColumnKinds() {
    incAdd();
    FrameTable t = ComputationFrame.of(storage, inc).toTable().sortedBy("x0");
    assertEquals(0, (Integer) t.row(0).value("x0"));
    assertNotNull(t.row(0).call("inc"));
    assertFalse(t.row(0).isNull("inc"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.row(0).value("inc"));
    assertTrue(e.getMessage().contains("holds calls, not values"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> t.row(0).call("x0"));
    assertThrows(IllegalArgumentException.class, () -> t.row(0).value("nope"));
    assertNull(ComputationFrame.of(storage, inc).grow().toTable().sortedBy("x0").row(1).call("add"));
  }

  /**
   * Shrunk from the jqwik seed 2498762150480152329 of restrict_thenEvaluate_equalsEvaluate_thenFilter:
   * the history of add(1, inc@2(0)) cuts short at inc@2's output (its input 0 contradicts
   * add's x0 = 1); that output must not count as covered, or inc@2(0)'s row is seeded after
   * dbl(0) joined the other x0 = 0 row and misses dbl, while the restricted frame has it.
   */
  @Test
  void whereRefs_afterAHistoryCutShort_givesTheFilteredRows() {
    Op inc2 = Op.builder("inc").version("2").inputs("x0").function(a -> (Integer) a[0] + 2).build();
    Op dbl = Op.of("dbl", (Integer x) -> 2 * x);
    try (Session s = storage.session()) {
      inc.call(0);
      inc.call(1);
      add.call(1, inc2.call(0));
      dbl.call(0);
    }
    ComputationFrame cf = ComputationFrame.ofOp(storage, "inc").grow();
    FrameTable t = cf.toTable();
    Ref<?> zero = cf.refs("x0").stream().filter(r -> Integer.valueOf(0).equals(r.value())).findFirst().orElseThrow();
    FrameTable filtered = t.filter(r -> zero.historyId().equals(r.historyId("x0")));
    FrameTable restricted = cf.whereRefs("x0", List.of(zero)).toTable();
    Set<List<HistoryId>> expected = new HashSet<>();
    filtered.rows().forEach(r -> expected.add(r.historyIds()));
    Set<List<HistoryId>> actual = new HashSet<>();
    restricted.rows().forEach(r -> actual.add(r.historyIds()));
    assertEquals(expected, actual);
    assertEquals(2, restricted.size());
    for (FrameTable.Row r : restricted.rows()) {
      assertEquals("dbl", r.call("dbl").op(), "both inc versions of x0 = 0 join dbl(0): " + r.historyIds());
    }
  }

  /**
   * From the jqwik seed 7267009598823269722 of restrict_thenEvaluate_equalsEvaluate_thenFilter:
   * with x0 = 0 consumed by inc, inc@2, dbl and add, the full table joins inc@2(0) with dbl(0);
   * the frame restricted to x0 = 0 must give the same rows, whatever order the evaluator joins
   * its partial tables in (a restriction changes which seed columns are non-empty).
   */
  @Test
  void whereRefs_givesTheFilteredRows_whateverTheJoinOrder() {
    List<ComputationFramePropertiesTest.Step> program = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      program.add(new ComputationFramePropertiesTest.Step(0, 0, 0));
    }
    program.add(new ComputationFramePropertiesTest.Step(4, 0, 1));
    for (int i = 0; i < 3; i++) {
      program.add(new ComputationFramePropertiesTest.Step(0, 0, 0));
    }
    program.add(new ComputationFramePropertiesTest.Step(0, 13, 0));
    program.add(new ComputationFramePropertiesTest.Step(1, 0, 0));
    program.add(new ComputationFramePropertiesTest.Step(2, 0, 0));
    program.add(new ComputationFramePropertiesTest.Step(2, 1, 0));
    program.add(new ComputationFramePropertiesTest.Step(3, 0, 5));
    ComputationFramePropertiesTest.run(storage, program);
    ComputationFrame cf = ComputationFramePropertiesTest.grownFrame(storage, 0);
    String v = cf.variables().iterator().next();
    Ref<?> first = cf.refs(v).get(0);
    FrameTable t = cf.toTable();
    FrameTable restricted = cf.whereRefs(v, List.of(first)).toTable();
    assertEquals(ComputationFramePropertiesTest.rows(t.filter(r -> first.historyId().equals(r.historyId(v)))),
        ComputationFramePropertiesTest.rows(restricted));
  }

  /**
   * The example recorded with the pinned seed of the restrict law (issue 5): inc(1), inc(0),
   * sum([inc(1), 2]), inc@2(0), minmax(3, sum), add(sum, 0), restricted to inc version 2. As
   * written here it already passed before restricted frames kept their rows (the failing run
   * likely differed in a detail the note did not record); the shrunk sample below failed.
   */
  @Test
  void whereVersion_givesExactlyTheFilteredRows_ofTheFullTable() {
    Op inc2 = Op.builder("inc").version("2").inputs("x0").function(a -> (Integer) a[0] + 2).build();
    try (Session s = storage.session()) {
      Ref<Integer> one = inc.call(1);
      inc.call(0);
      Ref<Integer> sum = ComputationFramePropertiesTest.SUM.call(s.list(List.of(one, 2)));
      inc2.call(0);
      ComputationFramePropertiesTest.MINMAX.invoke(3, sum);
      add.call(sum, 0);
    }
    ComputationFrame cf = ComputationFrame.ofOp(storage, "inc").grow();
    FrameTable t = cf.toTable();
    FrameTable filtered = t.filter(r -> r.call("inc") != null && r.call("inc").version().equals("2"));
    FrameTable restricted = cf.whereVersion("inc", "2").toTable();
    assertFalse(filtered.rows().isEmpty());
    assertEquals(ComputationFramePropertiesTest.rows(filtered), ComputationFramePropertiesTest.rows(restricted));
    assertEquals(filtered.size(), restricted.size());
  }

  /**
   * Shrunk by jqwik (seed 3765378896414452674) from restrict_thenEvaluate_equalsEvaluate_thenFilter
   * once its seed was unpinned: the frame of {@code add} grown, restricted by refs of one variable.
   * Re-evaluating the kept elements joined two histories into one row that the full table keeps
   * apart; the restricted frame must give exactly the rows that filtering the table gives.
   */
  @Test
  void whereRefs_neverJoinsKeptElementsIntoRowsTheFullTableLacks() {
    int[][] steps = {{0, 0, 0}, {0, 1, 0}, {0, 0, 0}, {0, 1, 0}, {0, 1, 0}, {0, 0, 0}, {0, 5, 0},
        {3, 6, 1}, {4, 0, 6}, {5, 6, 0}, {5, 5, 12}, {0, 2, 39}, {4, 37, 8}, {2, 2, 20}, {6, 23, 2},
        {4, 20, 21}, {2, 22, 7}, {4, 38, 10}};
    List<ComputationFramePropertiesTest.Step> program = new ArrayList<>();
    for (int[] st : steps) {
      program.add(new ComputationFramePropertiesTest.Step(st[0], st[1], st[2]));
    }
    ComputationFramePropertiesTest.run(storage, program);
    ComputationFrame cf = ComputationFramePropertiesTest.grownFrame(storage, 372);
    List<String> vars = new ArrayList<>(cf.variables());
    String v = vars.get(Math.floorMod(35, vars.size()));
    List<Ref<?>> refs = cf.refs(v);
    List<Ref<?>> some = new ArrayList<>();
    Set<HistoryId> ids = new HashSet<>();
    for (int i = 0; i < refs.size(); i++) {
      if ((-19777L >>> (i % 64) & 1) == 1) {
        some.add(refs.get(i));
        ids.add(refs.get(i).historyId());
      }
    }
    FrameTable filtered = cf.toTable().filter(r -> ids.contains(r.historyId(v)));
    FrameTable restricted = cf.whereRefs(v, some).toTable();
    assertEquals(ComputationFramePropertiesTest.rows(filtered), ComputationFramePropertiesTest.rows(restricted));
    assertEquals(filtered.size(), restricted.size());
  }

  /**
   * A restriction of a restriction, a subframe of one, and a union of two keep rows: tables are
   * the filtered, projected or united rows of the full table.
   */
  @Test
  void restrictedFrames_composeRowByRow() {
    incAdd();
    ComputationFrame cf = ComputationFrame.of(storage, inc).grow();
    FrameTable t = cf.toTable();
    ComputationFrame small = cf.whereValue("x0", x -> (Integer) x <= 2);
    assertEquals(ComputationFramePropertiesTest.rows(t.filter(r -> (Integer) r.value("x0") == 2)),
        ComputationFramePropertiesTest.rows(small.whereValue("x0", x -> (Integer) x >= 2).toTable()));
    ComputationFrame incOnly = small.subframe(List.of("x0", "inc", "output_0"));
    assertEquals(Set.of(row(0, 1), row(1, 2), row(2, 3)), values(incOnly.toTable(), "x0", "output_0"));
    assertEquals(3, incOnly.toTable().size());
    ComputationFrame renamed = small.rename("x0", "x");
    assertEquals(values(small.toTable(), "x0", "output_0", "output_0_1"),
        values(renamed.toTable(), "x", "output_0", "output_0_1"));
    ComputationFrame rest = cf.whereValue("x0", x -> (Integer) x > 2);
    assertEquals(cf, small.union(rest));
    assertTrue(cf.isSubframeOf(small.union(rest)) && small.isSubframeOf(cf));
    assertFalse(cf.isSubframeOf(small));
  }

  /**
   * Growing forgets the kept rows: the grown frame is a new view, evaluated from its elements,
   * so growing the inc@2 rows back and forward finds inc@1 again through their shared inputs.
   */
  @Test
  void growingARestrictedFrame_evaluatesTheGrownElements() {
    ComputationFrame cf = incCallsOfTwoVersions();
    ComputationFrame v2 = cf.whereVersion("inc", "2");
    assertEquals(1, v2.toTable().size());
    ComputationFrame grown = v2.growForward();
    assertTrue(v2.isSubframeOf(grown));
    assertEquals(2, grown.callIds("inc").size(), "inc@1(1) consumed x0 = 1 too");
    assertEquals(Set.of(row(1, 2), row(1, 101)), values(grown.toTable(), "x0", "output_0"));
    assertEquals(grown, grown.growForward());
  }
}
