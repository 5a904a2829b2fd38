package io.memoflow.cache;

import static io.memoflow.cache.CallResult.Source.EXECUTED;
import static io.memoflow.cache.CallResult.Source.RETRACED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.version.CodeVersionException;
import io.memoflow.cache.version.EditableCode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memoization follows code: each "edit" is the program compiled anew in a fresh class loader. */
class VersioningTest {

  static final String PIPELINE = """
      package edits2;
      import io.memoflow.cache.*;
      public class Pipeline {
        public static final Fn1<Integer, Integer> SMOOTH =
            Tracked.fn("smooth", (Integer x) -> x + ${smooth});
        public static final Op INC = Op.of("inc", (Integer x) -> x + ${inc});
        public static final Op SQUARE = Op.of("square", (Integer x) -> ${square});
        public static final Op CUBE = Op.of("cube", (Integer x) -> x * x * x);
        public static final Op BRANCH =
            Op.of("branch", (Integer x) -> x > 0 ? SMOOTH.apply(x) : -x);
        public static final Op OUTER =
            Op.of("outer", (Integer x) -> INC.<Integer>call(x).value() * 2);
        public static final Op LABELLED = Op.builder("labelled").version("${label}")
            .inputs("x").function(a -> (Integer) a[0] + ${labelBody}).build();
        static int helper(int x) { return x + ${helper}; }
        static int unrelated(int x) { return x - ${unrelated}; }
      }
      """;

  static final Map<String, String> BASE = Map.of("smooth", "1", "inc", "1",
      "square", "helper(x) * x", "label", "1", "labelBody", "1", "helper", "1",
      "unrelated", "1");

  /** One "run" of the edited program: its ops, freshly loaded. */
  record Program(Class<?> type) {
    Op op(String field) {
      try {
        return (Op) type.getField(field).get(null);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static Program program(String... edits) {
    Map<String, String> slots = new HashMap<>(BASE);
    for (int i = 0; i < edits.length; i += 2) {
      slots.put(edits[i], edits[i + 1]);
    }
    String src = PIPELINE;
    for (var e : slots.entrySet()) {
      src = src.replace("${" + e.getKey() + "}", e.getValue());
    }
    Path dir = EditableCode.compile(src);
    try {
      return new Program(EditableCode.loader(dir).loadClass("edits2.Pipeline"));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  Storage storage;

  @BeforeEach
  void open() {
    storage = Storage.inMemory();
  }

  @AfterEach
  void close() {
    storage.close();
  }

  static CallResult.Source run(Storage storage, Op op, int x) {
    try (Session s = storage.session()) {
      return s.callPositional(op, x).source();
    }
  }

  CallResult.Source run(Program p, String op, int x) {
    return run(storage, p.op(op.toUpperCase()), x);
  }

  static Object value(Storage storage, Op op, int x) {
    try (Session s = storage.session()) {
      return s.callPositional(op, x).call().outputs().values().iterator().next().value();
    }
  }

  @Test
  void call_sameCodeInAFreshLoader_retraces() {
    assertEquals(EXECUTED, run(program(), "square", 3));
    assertEquals(RETRACED, run(program(), "square", 3));
  }

  @Test
  void call_opBodyChanged_recomputes() {
    run(program(), "square", 3);
    Program edited = program("square", "helper(x) * x * 2");
    assertEquals(EXECUTED, run(edited, "square", 3));
    assertEquals(24, value(storage, edited.op("SQUARE"), 3));
  }

  @Test
  void call_helperChanged_recomputesOnlyOpsThatCallIt() {
    Program p = program();
    run(p, "square", 3);
    run(p, "cube", 3);
    Program edited = program("helper", "2");
    assertEquals(EXECUTED, run(edited, "square", 3));
    assertEquals(RETRACED, run(edited, "cube", 3));
  }

  @Test
  void call_unrelatedMethodChanged_recomputesNothing() {
    Program p = program();
    for (String op : List.of("square", "cube", "branch", "outer", "labelled")) {
      run(p, op, 3);
    }
    Program edited = program("unrelated", "5");
    for (String op : List.of("square", "cube", "branch", "outer", "labelled")) {
      assertEquals(RETRACED, run(edited, op, 3), op);
    }
  }

  @Test
  void call_revertedCode_retracesEarlierCallsWithoutExecuting() {
    run(program(), "square", 3);
    assertEquals(EXECUTED, run(program("helper", "7"), "square", 3));
    long executed = storage.stats().executed();
    assertEquals(RETRACED, run(program(), "square", 3));
    assertEquals(executed, storage.stats().executed());
  }

  @Test
  void call_changeDeclaredRefactor_keepsOldCalls() {
    run(program(), "square", 3);
    Program refactored = program("square", "x * helper(x)");
    Op square = refactored.op("SQUARE");
    assertNotEquals(program().op("SQUARE").version(), square.version());
    OpVersion info = VersionHistory.of(storage).markRefactor(square);
    assertTrue(info.isRefactor(), info.toString());
    assertEquals(RETRACED, run(storage, square, 3));
    // A later semantic edit is a new version again.
    assertEquals(EXECUTED, run(program("square", "x * helper(x) + 1"), "square", 3));
  }

  @Test
  void call_explicitLabel_overridesCodeHashing() {
    run(program(), "labelled", 3);
    assertEquals(RETRACED, run(program("labelBody", "100"), "labelled", 3),
        "same label: the user says the change keeps the meaning");
    assertEquals(EXECUTED, run(program("labelBody", "100", "label", "2"), "labelled", 3));
    assertEquals("2", program("label", "2").op("LABELLED").version());
  }

  @Test
  void call_branchThatNeverRanHelper_notInvalidatedByIt() {
    Program p = program();
    run(p, "branch", -3);   // never calls SMOOTH
    run(p, "branch", 3);    // calls SMOOTH
    Program edited = program("smooth", "10");
    assertEquals(RETRACED, run(edited, "branch", -3));
    assertEquals(EXECUTED, run(edited, "branch", 3));
    assertEquals(13, value(storage, edited.op("BRANCH"), 3));
    // Reverting the helper finds the earlier call again.
    assertEquals(RETRACED, run(program(), "branch", 3));
    assertEquals(4, value(storage, program().op("BRANCH"), 3));
  }

  @Test
  void trackedHelper_notInTheStaticVersionOfOpsThatUseIt() {
    assertEquals(program().op("BRANCH").version(), program("smooth", "10").op("BRANCH").version());
  }

  @Test
  void call_nestedOpChanged_recomputesTheOuterCall() {
    run(program(), "outer", 3);
    Program edited = program("inc", "5");
    assertEquals(EXECUTED, run(edited, "outer", 3));
    assertEquals(16, value(storage, edited.op("OUTER"), 3));
    assertEquals(RETRACED, run(program(), "outer", 3));
  }

  @Test
  void call_nestedOpRetraced_stillRecordsItsDependencies() {
    Program p = program();
    run(p, "inc", 3);                 // inner call stored first
    run(p, "outer", 3);               // outer executes, inner retraces inside it
    assertEquals(EXECUTED, run(program("inc", "2"), "outer", 3));
  }

  @Test
  void versions_listsVersionsWithFirstSeenAndCallCounts() {
    VersionHistory versions = VersionHistory.of(storage);
    run(program(), "square", 3);
    run(program(), "square", 4);
    Program edited = program("helper", "2");
    run(edited, "square", 3);
    List<OpVersion> list = versions.list(edited.op("SQUARE"));
    assertEquals(2, list.size(), list.toString());
    assertEquals(2, list.get(0).calls());
    assertEquals(1, list.get(1).calls());
    assertFalse(list.get(0).current());
    assertTrue(list.get(1).current());
    assertFalse(list.get(0).firstSeen().isAfter(list.get(1).firstSeen()));
    assertEquals(edited.op("SQUARE").codeVersion().orElseThrow().hex(), list.get(1).codeVersion());
  }

  @Test
  void versions_staleCallsAndCallsOfAVersion() {
    VersionHistory versions = VersionHistory.of(storage);
    run(program(), "square", 3);
    run(program(), "square", 4);
    Program edited = program("helper", "2");
    run(edited, "square", 5);
    Op square = edited.op("SQUARE");
    assertEquals(2, versions.staleCalls(square).size());
    String old = versions.list(square).get(0).codeVersion();
    assertEquals(2, versions.calls(square, old.substring(0, 8)).size());
    assertEquals(1, versions.calls(square, versions.current(square).codeVersion()).size());
    assertTrue(versions.staleCalls(program().op("SQUARE")).stream()
        .allMatch(c -> c.version().equals(square.version())));
  }

  @Test
  void versions_staleCallsIncludeCallsWhoseHelperChanged() {
    run(program(), "branch", 3);
    run(program(), "branch", -3);
    List<Call> stale = VersionHistory.of(storage).staleCalls(program("smooth", "9").op("BRANCH"));
    assertEquals(1, stale.size());
    assertTrue(stale.get(0).version().contains("+deps:"), stale.get(0).version());
  }

  @Test
  void versions_diffShowsChangedBytecode() {
    run(program(), "square", 3);
    Program edited = program("helper", "x * 3 - 3 + 1");
    run(edited, "square", 3);
    String diff = VersionHistory.of(storage).diff(edited.op("SQUARE"));
    assertTrue(diff.contains("- ") && diff.contains("+ "), diff);
    assertTrue(diff.contains("IMUL"), diff);
  }

  @Test
  void markRefactor_withoutEarlierVersion_saysWhatToDo() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> VersionHistory.of(storage).markRefactor(program().op("SQUARE")));
    assertTrue(e.getMessage().contains("no earlier code version"), e.getMessage());
    IllegalArgumentException l = assertThrows(IllegalArgumentException.class,
        () -> VersionHistory.of(storage).markRefactor(program().op("LABELLED")));
    assertTrue(l.getMessage().contains("explicit version label"), l.getMessage());
  }

  @Test
  void call_functionCapturingNonSerializableLambda_saysHowToFix() {
    Function<Integer, Integer> plain = x -> x + 1;
    Op op = Op.of("wrapped", (Fn1<Integer, Integer>) plain::apply);
    CodeVersionException e = assertThrows(CodeVersionException.class, () -> run(storage, op, 1));
    assertTrue(e.getMessage().contains("op 'wrapped'"), e.getMessage());
    assertTrue(e.getMessage().contains(
        "make the functional interface Serializable or give the op an explicit version label"), e.getMessage());
    Op labelled = Op.builder("wrapped").version("1").inputs("x")
        .function(a -> plain.apply((Integer) a[0])).build();
    assertEquals(EXECUTED, run(storage, labelled, 1), "an explicit label always works");
  }

  @Test
  void persistentStorage_keepsVersionsAndRefactorsAcrossReopen(@TempDir Path dir) {
    storage.close();
    try (Storage s = Storage.open(dir)) {
      assertEquals(EXECUTED, run(s, program().op("SQUARE"), 3));
    }
    Op refactored = program("square", "x * helper(x)").op("SQUARE");
    try (Storage s = Storage.open(dir)) {
      VersionHistory.of(s).markRefactor(refactored);
      assertEquals(RETRACED, run(s, refactored, 3));
    }
    try (Storage s = Storage.open(dir)) {
      assertEquals(RETRACED, run(s, program("square", "x * helper(x)").op("SQUARE"), 3));
      List<OpVersion> list = VersionHistory.of(s).list(refactored);
      assertEquals(2, list.size(), list.toString());
      assertEquals(list.get(0).version(), list.get(1).version());
      assertTrue(VersionHistory.of(s).diff(refactored).contains("helper"));
    }
    storage = Storage.inMemory();
  }
}
