package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.frame.ComputationFrame;
import io.memoflow.cache.frame.FrameTable;
import io.memoflow.cache.spi.StorageException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ops with a variadic input ({@code f(x, ys...)}) and with open keyword inputs. */
class VariableArgumentsTest {
  private final AtomicInteger runs = new AtomicInteger();
  /** sum(x, ys...) = x + the ys. */
  private final Op sum = Op.builder("sum").inputs("x").varargs("ys").version("1")
      .function(a -> {
        runs.incrementAndGet();
        @SuppressWarnings("unchecked")
        List<Integer> ys = (List<Integer>) a[1];
        return (Integer) a[0] + ys.stream().mapToInt(Integer::intValue).sum();
      }).build();
  /** render(text, opts**): the options in the order the function sees them. */
  private final Op render = Op.builder("render").inputs("text").kwargs("opts").version("1")
      .function(a -> {
        runs.incrementAndGet();
        return a[0] + " " + a[1];
      }).build();
  private final Op inc = Op.builder("inc").inputs("x").version("1").function(a -> (Integer) a[0] + 1).build();

  @Test
  void varargs_collectTheTrailingArguments_andMemoize() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      assertEquals(10, sum.<Integer>call(1, 2, 3, 4).value());
      assertEquals(1, sum.<Integer>call(1).value(), "no elements");
      assertEquals(CallResult.Source.RETRACED, s.callPositional(sum, 1, 2, 3, 4).source());
      assertEquals(CallResult.Source.RETRACED, s.call(sum, Map.of("x", 1, "ys", List.of(2, 3, 4))).source(),
          "by name, the elements as a List: the same call");
      assertEquals(2, runs.get());
      assertNotEquals(sum.invoke(1, 2, 3).historyId(), sum.invoke(1, 3, 2).historyId(),
          "the elements' order is part of the identity");
      assertEquals(List.of("x", "ys"), sum.inputNames());
      assertEquals("ys", sum.varargsInput().orElseThrow());
    }
  }

  @Test
  void varargs_keepTheHistoryOfRefsAmongThem() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Ref<Integer> two = inc.call(1);
      Call viaRef = sum.invoke(0, two, 5);
      CallResult raw = s.callPositional(sum, 0, 2, 5);
      assertNotEquals(viaRef.historyId(), raw.call().historyId(), "a computed element keeps its history");
      assertEquals(viaRef.contentId(), raw.call().contentId(), "equal values: equal content");
      assertEquals(CallResult.Source.REUSED, raw.source(), "so the other history reuses it");
      assertEquals(CallResult.Source.RETRACED, s.callPositional(sum, 0, inc.call(1), 5).source());
      assertEquals(1, runs.get());
      assertEquals(7, viaRef.<Integer>output("output_0").value());
      Call stored = storage.call(viaRef.historyId()).orElseThrow();
      Call list = storage.creator(stored.inputs().get("ys")).orElseThrow();
      assertEquals("__list__", list.op());
      assertEquals(two, list.inputs().get("e0"), "the element is the ref passed");
    }
  }

  @Test
  void kwargs_takeTheExtraNamedArguments_sortedByKey() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Map<String, Object> ba = new LinkedHashMap<>();
      ba.put("text", "hi");
      ba.put("size", 3);
      ba.put("color", "red");
      Call c = render.invokeNamed(ba);
      assertEquals("hi {color=red, size=3}", c.<String>output("output_0").value());
      Map<String, Object> ab = new TreeMap<>(ba);
      assertEquals(CallResult.Source.RETRACED, s.call(render, ab).source(), "map order is not identity");
      assertEquals(CallResult.Source.RETRACED,
          s.callPositional(render, "hi", Map.of("size", 3, "color", "red")).source(), "positionally, a Map");
      assertEquals("hi {}", render.<String>call("hi").value(), "no keywords: empty");
      assertEquals(2, runs.get());
      assertEquals("opts", render.kwargsInput().orElseThrow());
    }
  }

  @Test
  void varargsAndKwargs_together() {
    Op f = Op.builder("f").inputs("x").varargs("ys").kwargs("kw").version("1")
        .function(a -> a[0] + " " + a[1] + " " + a[2]).build();
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      assertEquals("1 [2, 3] {}", f.<String>call(1, 2, 3).value());
      Map<String, Object> named = new LinkedHashMap<>();
      named.put("z", true);
      named.put("x", 1);
      named.put("ys", List.of(2, 3));
      named.put("a", 0.5);
      assertEquals("1 [2, 3] {a=0.5, z=true}", f.invokeNamed(named).<String>output("output_0").value());
      assertEquals(List.of("x", "ys", "kw"), f.inputNames());
    }
  }

  @Test
  void frames_showTheElementsAndTheKeywords() {
    try (Storage storage = Storage.inMemory()) {
      try (Session s = storage.session()) {
        sum.call(0, inc.call(1), inc.call(2));
        render.invokeNamed(Map.of("text", "t", "size", 1, "bold", true));
      }
      ComputationFrame cf = ComputationFrame.of(storage, sum).growBackward();
      assertEquals(Set.of("sum", "__list__", "inc"), cf.operations());
      assertEquals(Map.of("elements", "elements"), cf.inputsOf("__list__"));
      assertEquals("ys", cf.inputsOf("sum").get("ys"), "the variadic input is the list's variable");
      FrameTable t = cf.toTable();
      assertEquals(2, t.size(), "one row per element, as for any stored list");
      ComputationFrame kw = ComputationFrame.of(storage, render).growBackward();
      assertEquals(Set.of("render", "__map__"), kw.operations());
      List<Object> entries = kw.values(kw.inputsOf("__map__").get("elements"));
      assertEquals(Set.of(1, true), Set.copyOf(entries), "each keyword's value is an element");
    }
  }

  @Test
  void storedCalls_retraceAfterReopening(@TempDir Path dir) {
    try (Storage storage = Storage.open(dir); Session s = storage.session()) {
      sum.call(1, 2, 3);
      render.invokeNamed(Map.of("text", "a", "k", 1));
    }
    runs.set(0);
    try (Storage storage = Storage.open(dir); Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
      assertEquals(6, sum.<Integer>call(1, 2, 3).value());
      assertEquals("a {k=1}", render.invokeNamed(Map.of("k", 1, "text", "a")).<String>output("output_0").value());
    }
    assertEquals(0, runs.get());
  }

  @Test
  void outsideASession_theFunctionSeesValues() {
    Ref<Integer> two = Ref.of(2);
    assertEquals(5, sum.<Integer>call(0, two, 3).value());
    assertEquals("x {a=1}", render.invokeNamed(Map.of("text", "x", "a", Ref.of(1))).<String>output("output_0").value());
  }

  @Test
  void badArguments_sayWhatWasWrong() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      IllegalArgumentException notAList = assertThrows(IllegalArgumentException.class,
          () -> sum.invokeNamed(Map.of("x", 1, "ys", 2)));
      assertTrue(notAList.getMessage().contains("input 'ys' is variadic and takes a List"), notAList.getMessage());
      IllegalArgumentException notAMap = assertThrows(IllegalArgumentException.class,
          () -> render.call("t", 5));
      assertTrue(notAMap.getMessage().contains("input 'opts' takes keyword arguments, a Map"), notAMap.getMessage());
      IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
          () -> render.invokeNamed(Map.of("text", "t", "a", 1, "opts", Map.of("a", 2))));
      assertTrue(twice.getMessage().contains("keyword 'a' is given twice"), twice.getMessage());
      IllegalArgumentException noKwargs = assertThrows(IllegalArgumentException.class,
          () -> inc.invokeNamed(Map.of("x", 1, "y", 2)));
      assertTrue(noKwargs.getMessage().contains("has no input 'y'") && noKwargs.getMessage().contains("kwargs(name)"),
          noKwargs.getMessage());
      StorageException unstorable = assertThrows(StorageException.class,
          () -> sum.call(1, new Object()));
      assertTrue(unstorable.getMessage().startsWith("Op 'sum' v1, argument 'ys': "), unstorable.getMessage());
      IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
          () -> Op.builder("g").inputs("x").varargs("x").function(a -> 0).build());
      assertTrue(clash.getMessage().contains("input 'x' declared twice"), clash.getMessage());
    }
  }
}
