package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.frame.ComputationFrame;
import io.memoflow.cache.frame.FrameTable;
import io.memoflow.cache.spi.StoreCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The snippets of cache/README.md, line for line (ReadmeSnippetsTest in examples holds the
 * README to this file), each followed by the check of what its comment says. The frames
 * document's: frame.ReadmeFramesExampleTest.
 */
class ReadmeExamplesTest {
  private final java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
  Op inc = Op.of("inc", (Integer x) -> x + 1);
  Op add = Op.builder("add").inputs("x", "y").defaultValue("y", 1)
      .function(args -> (Integer) args[0] + (Integer) args[1])
      .build();
  private final Op counted = Op.of("inc", (Integer x) -> {
    runs.incrementAndGet();
    return x + 1;
  });

  /** A value class of the README's. */
  record Point(double x, double y) {}

  @Test
  void opsSessionsRefs() {
    try (Storage storage = Storage.inMemory();
         Session session = storage.session()) {
      Ref<Integer> two = inc.call(1);          // executes, stores
      Ref<Integer> three = add.call(two);      // refs compose; y takes its default
      three.value();                           // 3
      assertEquals(3, three.value());
      inc.call(1);                             // retraced: the body does not run
      assertEquals(CallResult.Source.RETRACED, session.callPositional(inc, 1).source());
    }
  }

  @Test
  void retraceReuseExecute() {
    try (Storage storage = Storage.inMemory()) {
      try (Session s = storage.session()) {
        inc.call(2);                                       // EXECUTED
        CallResult r = s.callPositional(inc, inc.call(1)); // inc(inc(1)): REUSED, inc(2) not run
        assertEquals(CallResult.Source.REUSED, r.source());
      }
    }
  }

  @Test
  void callsFromOtherThreads() {
    Op inc = counted;
    try (Storage storage = Storage.inMemory()) {
      try (Session s = storage.session()) {
        List.of(1, 2, 3, 4).parallelStream().forEach(x -> inc.call(x));  // memoized, committed at close
      }
      assertEquals(4, runs.get());
      try (Session s = storage.session()) {
        List.of(1, 2, 3, 4).forEach(x -> assertEquals(CallResult.Source.RETRACED, s.callPositional(inc, x).source()));
      }
    }
  }

  @Test
  void collectionsElementByElement() {
    Op inc = counted;
    try (Storage storage = Storage.inMemory()) {
      try (Session s = storage.session()) {
        Ref<List<Integer>> xs = s.list(List.of(1, 2, 3, 4));   // a __list__ call over 4 element refs
        for (Ref<Integer> x : s.elements(xs)) {
          inc.call(x);
        }
        for (Ref<Integer> x : s.elements(s.<Integer>list(List.of(2, 3)))) {
          inc.call(x);                                         // retraced: equal elements, same refs
        }
      }
      assertEquals(4, runs.get());
    }
  }

  private int loaded;

  private double[] load() {
    loaded++;
    return new double[] {loaded, 2};
  }

  @Test
  void namedValues() {
    Op train = Op.of("train", (double[] xs) -> xs[0] + xs[1]);
    try (Storage storage = Storage.inMemory()) {
      try (Session s = storage.session()) {
        Ref<double[]> data = s.named("train-set", () -> load());  // load() runs only the first time
        assertEquals(data, s.named("train-set", () -> load()));
        assertEquals(1, loaded);
        train.call(data);                                         // retraced run after run, by name
        assertEquals(CallResult.Source.RETRACED, s.callPositional(train, s.named("train-set")).source());
        Ref<double[]> v2 = s.replaceNamed("train-set", load());    // revision 2: calls on it run anew
        assertEquals(CallResult.Source.EXECUTED, s.callPositional(train, v2).source());
        Ref<double[]> same = s.renameNamed("train-set", "train-2024");  // same content, new name
        assertEquals(v2.contentId(), same.contentId());
      }
      storage.namedHistory("train-set");   // BOUND, REPLACED, RENAMED_TO train-2024, with times
      assertEquals(List.of(Storage.NamedRevision.Change.BOUND, Storage.NamedRevision.Change.REPLACED,
          Storage.NamedRevision.Change.RENAMED_TO), storage.namedHistory("train-set").stream()
          .map(Storage.NamedRevision::change).toList());
      assertEquals("train-2024", storage.namedHistory("train-set").get(2).other());
    }
  }

  @Test
  void slicesAndElementAccess() {
    Op primes = Op.of("primes", (Integer n) -> List.of(2, 3, 5, 7, 11).subList(0, n));
    Op sum = Op.of("sum", (List<Integer> xs) -> xs.stream().mapToInt(x -> x).sum());
    try (Storage storage = Storage.inMemory()) {
      try (Session s = storage.session()) {
        sum.call(s.list(List.of(2, 3)));
        Ref<List<Integer>> ps = primes.call(5);          // [2, 3, 5, 7, 11], returned whole by an op
        Ref<List<Integer>> head = s.slice(ps, 0, 2);     // a __slice__(list, from, to) call: [2, 3]
        assertEquals(List.of(2, 3), head.value());
        Ref<Integer> third = s.get(ps, 2);               // an __item__(collection, index) call: 5
        assertEquals(5, third.value());
        sum.call(head);                                  // reused if sum of an equal list was stored
        assertEquals(CallResult.Source.RETRACED, s.callPositional(sum, head).source());
        s.get(s.map(Map.of("a", 1, "b", third)), "b");   // the entry's ref itself: third
        assertEquals(third, s.get(s.map(Map.of("a", 1, "b", third)), "b"));
      }
      assertEquals(2, storage.stats().executed(), "primes ran, and sum once: for the raw list");
      assertEquals(1, storage.stats().reused(), "sum of the slice reused it");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void variableArguments() {
    Op total = Op.builder("total").inputs("x").varargs("ys")             // ys: a List
        .function(a -> (Integer) a[0] + ((List<Integer>) a[1]).stream().mapToInt(y -> y).sum())
        .build();
    Op plot = Op.builder("plot").inputs("data").kwargs("style")          // style: a sorted Map
        .function(a -> a[0] + " " + a[1])
        .build();
    try (Storage storage = Storage.inMemory()) {
      try (Session s = storage.session()) {
        total.call(1, 2, 3);                                     // ys = [2, 3]
        assertEquals(6, total.<Integer>call(1, 2, 3).value());
        total.invokeNamed(Map.of("x", 1, "ys", List.of(2, 3)));  // retraced: the same call
        assertEquals(CallResult.Source.RETRACED, s.call(total, Map.of("x", 1, "ys", List.of(2, 3))).source());
        plot.invokeNamed(Map.of("data", "d", "color", "red", "width", 2));  // style = {color=red, width=2}
        assertEquals("d {color=red, width=2}", plot.<String>call("d", Map.of("color", "red", "width", 2)).value());
        plot.call("d", Map.of("width", 2, "color", "red"));      // retraced: map order is not identity
        assertEquals(CallResult.Source.RETRACED, s.callPositional(plot, "d", Map.of("width", 2, "color", "red")).source());
      }
      assertEquals(1, storage.calls("total").size());
      assertEquals(1, storage.calls("plot").size());
    }
  }

  @Test
  void valueTypes() {
    ValueTypes.register("geo.Point", Point.class);   // Jackson bean or record
    Op norm = Op.of("norm", (Point p) -> Math.hypot(p.x(), p.y()));
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      assertEquals(5.0, norm.<Double>call(new Point(3, 4)).value());
    }
  }

  @Test
  void provenanceAndDeletion() {
    try (Storage storage = Storage.inMemory()) {
      Ref<Integer> two;
      Ref<Integer> ref;
      try (Session s = storage.session()) {
        two = inc.call(1);
        ref = inc.call(two);
      }
      storage.creator(ref);            // Optional<Call> that output ref (empty for raw values)
      assertEquals("inc", storage.creator(ref).orElseThrow().op());
      storage.consumers(ref);          // calls that took ref as an input
      assertEquals(List.of(), storage.consumers(ref));
      storage.calls("inc");            // every stored call of an op
      assertEquals(2, storage.calls("inc").size());
      Call call = storage.creator(two).orElseThrow();   // inc(1): inc(inc(1)) depends on it
      storage.delete(call, true);      // with every call that depends on it, transitively
      assertEquals(0, storage.calls("inc").size());
      storage.cleanup();               // then remove values no call references
      assertEquals(0, storage.stats().values());
    }
  }

  @Test
  void frames() {
    try (Storage storage = Storage.inMemory()) {
      try (Session s = storage.session()) {
        for (int x = 1; x <= 4; x++) {
          add.call(x, inc.call(x));
        }
      }
      ComputationFrame cf = ComputationFrame.of(storage, inc).grow();  // inc and all around it
      FrameTable t = cf.toTable().sortedBy("x0");   // columns x0, inc, output_0, add, output_0_1
      assertEquals(List.of("x0", "inc", "output_0", "add", "output_0_1"), t.columns());
      cf.listing();                                 // "output_0 = inc(x0)\noutput_0_1 = add(x0, output_0)\n"
      assertEquals("output_0 = inc(x0)\noutput_0_1 = add(x0, output_0)\n", cf.listing());
      cf.whereValue("x0", x -> (Integer) x > 2).delete();  // forget those calls and their dependents
      assertEquals(2, storage.calls("inc").size());
      assertEquals(2, storage.calls("add").size());
      assertTrue(t.size() == 4);
    }
  }

  @Test
  void theCacheAndItsFigures(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    try (Storage storage = Storage.open(dir)) {
      try (Session s = storage.session()) {
        add.call(inc.call(1));
      }
      storage.calls("add").forEach(c -> c.output("output_0").value());   // read into the cache
      storage.clearCache(inc);                        // inc's calls and outputs leave the cache
      StorageStats st = storage.stats();              // the cache's hits, misses, evictions, weight
      assertTrue(st.cacheEntries() == 2 && st.cacheWeight() > 0, st.toString());   // add's call and output
      boolean bounded = st.cacheWeight() <= st.cacheMaxWeight();   // true: StorageOptions.cacheBytes
      assertTrue(bounded);
      storage.clearCache();                           // everything: the next reads go to the store
      assertEquals(0, storage.stats().cacheEntries());
      assertEquals(3, storage.calls("add").get(0).output("output_0").value());
    }
  }

  @Test
  void trustVerifyAndRepair(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    java.nio.file.Path dir = tmp.resolve("store");
    try (Storage storage = Storage.open(dir); Session s = storage.session()) {
      inc.call(41);
    }
    java.nio.file.Files.delete(dir.resolve("values.0.cm"));
    StoreCheck check = Storage.verify(dir);        // every entry of a closed store, checked
    assertTrue(!check.isWhole() && check.callsLost() == 1, check.toString());  // its values went with the file
    if (!check.isWhole()) {
      check.damage().forEach(d -> System.out.println(d.file() + ": " + d.what()));
      Storage.repair(dir);                         // rebuilt from what is whole, original kept
    }
    assertTrue(Storage.verify(dir).isWhole());
    try (Storage storage = Storage.open(dir); Session s = storage.session()) {
      assertEquals(42, inc.<Integer>call(41).value());
    }
  }
}
