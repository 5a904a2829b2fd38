package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Storage.NamedRevision.Change;
import io.memoflow.cache.frame.ComputationFrame;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values stored under a name: identity by name, found without reading or hashing them. */
class NamedValuesTest {
  @TempDir
  Path dir;
  private final AtomicInteger loads = new AtomicInteger();
  private final AtomicInteger runs = new AtomicInteger();
  private final Op total = Op.builder("total").inputs("data").version("1").function(a -> {
    runs.incrementAndGet();
    double t = 0;
    for (double d : (double[]) a[0]) {
      t += d;
    }
    return t;
  }).build();

  private double[] data(int n) {
    loads.incrementAndGet();
    double[] d = new double[n];
    java.util.Arrays.fill(d, 0.5);
    return d;
  }

  @Test
  void aBoundName_isFoundWithoutReadingOrHashingItsValue_andCallsOnItRetrace() {
    Ref<double[]> first;
    try (Storage storage = Storage.open(dir); Session s = storage.session()) {
      first = s.named("big", () -> data(100_000));
      assertEquals(50_000.0, total.<Double>call(first).value());
    }
    for (int run = 0; run < 2; run++) {
      try (Storage storage = Storage.open(dir); Session s = storage.session()) {
        Ref<double[]> again = s.named("big", () -> data(100_000));
        assertEquals(first, again, "the same ids, run after run");
        assertEquals(CallResult.Source.RETRACED, s.callPositional(total, again).source());
        assertFalse(again.isLoaded(), "neither read nor hashed");
        assertEquals(again, s.named("big"));
        assertEquals(100_000, again.value().length, "still loadable");
      }
    }
    assertEquals(1, loads.get(), "the supplier ran once, when the name was bound");
    assertEquals(1, runs.get());
  }

  @Test
  void identity_isTheNameForHistory_andTheBytesForContent() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Ref<double[]> a = s.named("a", () -> data(10));
      Ref<double[]> b = s.named("b", () -> data(10));
      assertNotEquals(a.historyId(), b.historyId(), "two names, two histories");
      assertEquals(Ref.of(data(10)).contentId(), a.contentId(), "content: the hash of its bytes");
      assertEquals(a.contentId(), b.contentId());
      long values = storage.stats().values();
      s.named("c", () -> data(10));
      // New: the name "c" and its binding event (equal to another's if made in the same millisecond).
      long added = storage.stats().values() - values;
      assertTrue(added == 1 || added == 2, "the value is stored once; " + added + " values added");
      total.call(a);
      assertEquals(CallResult.Source.REUSED, s.callPositional(total, b).source(), "equal content: reused");
      assertEquals(1, runs.get());
    }
  }

  @Test
  void replacing_isExplicit_andRecorded() {
    try (Storage storage = Storage.open(dir)) {
      Ref<double[]> v1;
      Ref<double[]> v2;
      try (Session s = storage.session()) {
        v1 = s.named("model", () -> data(4));
        total.call(v1);
        assertEquals(v1, s.named("model", () -> data(8)), "named(...) never replaces");
        v2 = s.replaceNamed("model", data(8));
        assertNotEquals(v1.historyId(), v2.historyId());
        assertEquals(v2, s.named("model"));
        assertEquals(4.0, total.<Double>call(v2).value());
        assertEquals(2, runs.get(), "the call on the new value ran");
        assertEquals(CallResult.Source.RETRACED, s.callPositional(total, v1).source(), "the old call is kept");
      }
      List<Storage.NamedRevision> h = storage.namedHistory("model");
      assertEquals(List.of(Change.BOUND, Change.REPLACED), h.stream().map(Storage.NamedRevision::change).toList());
      assertEquals(List.of(1, 2), h.stream().map(Storage.NamedRevision::revision).toList());
      assertEquals(v1, h.get(0).value());
      assertEquals(v2, h.get(1).value());
      assertFalse(h.get(1).at().isBefore(h.get(0).at()));
      assertArrayEquals(data(4), (double[]) h.get(0).value().value(), "earlier revisions stay loadable");
    }
  }

  @Test
  void renaming_movesTheValue_andRecordsBothSides() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Ref<double[]> old = s.named("draft", () -> data(6));
      total.call(old);
      Ref<double[]> moved = s.renameNamed("draft", "final");
      assertEquals(old.contentId(), moved.contentId());
      assertNotEquals(old.historyId(), moved.historyId(), "its identity is its name");
      assertEquals(moved, s.named("final"));
      assertEquals(CallResult.Source.REUSED, s.callPositional(total, moved).source(), "not run again");
      IllegalStateException gone = assertThrows(IllegalStateException.class, () -> s.named("draft"));
      assertTrue(gone.getMessage().startsWith("The value named 'draft' was renamed to 'final' at "), gone.getMessage());
      assertThrows(IllegalStateException.class, () -> s.named("draft", () -> data(1)));
      assertEquals(List.of(Change.BOUND, Change.RENAMED_TO), storage.namedHistory("draft").stream()
          .map(Storage.NamedRevision::change).toList());
      assertEquals("final", storage.namedHistory("draft").get(1).other());
      assertNull(storage.namedHistory("draft").get(1).value().value());
      Storage.NamedRevision fin = storage.namedHistory("final").get(0);
      assertEquals(Change.RENAMED_FROM, fin.change());
      assertEquals("draft", fin.other());
      Ref<double[]> again = s.replaceNamed("draft", data(2));
      assertEquals(again, s.named("draft"), "a renamed-away name is bound again by replacing");
      assertEquals(1, runs.get());
    }
  }

  @Test
  void frames_showTheNameThatBoundAValue() {
    try (Storage storage = Storage.inMemory()) {
      try (Session s = storage.session()) {
        total.call(s.named("big", () -> data(3)));
      }
      ComputationFrame cf = ComputationFrame.of(storage, total).growBackward();
      assertEquals(Set.of("total", "__named__"), cf.operations());
      assertEquals(Set.of("name", "revision"), cf.inputsOf("__named__").keySet());
      assertEquals(List.of("big"), cf.values(cf.inputsOf("__named__").get("name")));
    }
  }

  @Test
  void namedValues_surviveCleanup_andRetraceInNoNewCallsSessions() {
    try (Storage storage = Storage.open(dir)) {
      try (Session s = storage.session()) {
        s.named("kept", () -> data(5));
      }
      storage.cleanup();
      try (Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
        assertEquals(5, s.<double[]>named("kept").value().length);
        assertThrows(NoStoredCallException.class, () -> s.named("new", () -> data(1)));
      }
    }
  }

  @Test
  void badNames_sayWhatWasWrong() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> s.named("x"));
      assertEquals("No value is named 'x'. Bind one with session.named(\"x\", () -> value).", missing.getMessage());
      assertThrows(IllegalArgumentException.class, () -> s.replaceNamed("x", 1));
      assertThrows(IllegalArgumentException.class, () -> s.named(" ", () -> 1));
      s.named("a", () -> 1);
      s.named("b", () -> 2);
      IllegalArgumentException taken = assertThrows(IllegalArgumentException.class, () -> s.renameNamed("a", "b"));
      assertTrue(taken.getMessage().contains("'b' names a value already"), taken.getMessage());
      assertEquals(List.of(), storage.namedHistory("x"));
    }
  }
}
