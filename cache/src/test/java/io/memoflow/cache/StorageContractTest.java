package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every storage must have; run on {@code inMemory()} and {@code open(Path)}. */
abstract class StorageContractTest {
  protected Storage storage;
  protected final AtomicInteger runs = new AtomicInteger();
  protected final Op inc = Op.of("inc", (Integer x) -> {
    runs.incrementAndGet();
    return x + 1;
  });
  protected final Op add = Op.builder("add").inputs("x", "y").defaultValue("y", 1)
      .function(a -> {
        runs.incrementAndGet();
        return (Integer) a[0] + (Integer) a[1];
      }).build();

  /** Returns a new, empty storage. */
  protected abstract Storage newStorage();

  /** Closes {@code storage} and returns a storage over the same data (a new instance if it can). */
  protected abstract Storage reopen(Storage storage);

  @BeforeEach
  void setUp() {
    storage = newStorage();
  }

  @AfterEach
  void tearDown() {
    storage.close();
  }

  @Test
  void call_sameCallTwiceRunsBodyOnce() {
    try (Session s = storage.session()) {
      Ref<Integer> a = inc.call(1);
      Ref<Integer> b = inc.call(1);
      assertEquals(2, a.value());
      assertEquals(a, b);
    }
    assertEquals(1, runs.get());
  }

  @Test
  void call_newSessionRetracesWithoutExecuting() {
    HistoryId first;
    try (Session s = storage.session()) {
      first = inc.<Integer>call(41).historyId();
    }
    storage = reopen(storage);
    try (Session s = storage.session()) {
      CallResult r = s.callPositional(inc, 41);
      assertEquals(CallResult.Source.RETRACED, r.source());
      assertEquals(first, r.call().output("output_0").historyId());
      assertEquals(42, r.call().<Integer>output("output_0").value());
    }
    assertEquals(1, runs.get());
  }

  @Test
  void call_incIncOneAfterIncTwoReusesByContent() {
    try (Session s = storage.session()) {
      inc.call(2);
    }
    storage = reopen(storage);
    try (Session s = storage.session()) {
      Ref<Integer> two = inc.call(1);
      CallResult r = s.callPositional(inc, two);
      assertEquals(CallResult.Source.REUSED, r.source());
      assertEquals(3, r.call().<Integer>output("output_0").value());
    }
    assertEquals(2, runs.get());
    try (Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
      assertEquals(CallResult.Source.RETRACED, s.callPositional(inc, inc.call(1)).source());
    }
  }

  @Test
  void call_threeHistoriesOneValue() {
    Op three = Op.builder("three").function(a -> 3).build();
    List<Ref<Integer>> refs = new ArrayList<>();
    try (Session s = storage.session()) {
      refs.add(three.call());
      refs.add(add.call(1, 2));
      refs.add(inc.call(2));
    }
    assertEquals(1, refs.stream().map(Ref::contentId).distinct().count());
    assertEquals(3, refs.stream().map(Ref::historyId).distinct().count());
  }

  @Test
  void call_defaultsBindToOneCall() {
    try (Session s = storage.session()) {
      HistoryId a = s.callPositional(add, 10).call().historyId();
      HistoryId b = s.callPositional(add, 10, 1).call().historyId();
      HistoryId c = s.call(add, Map.of("x", 10, "y", 1)).call().historyId();
      assertEquals(a, b);
      assertEquals(a, c);
    }
    assertEquals(1, runs.get());
  }

  @Test
  void call_distinctTypesAreDistinctValues() {
    Op id = Op.of("id", (Object x) -> {
      runs.incrementAndGet();
      return x;
    });
    Set<ContentId> ids = new HashSet<>();
    try (Session s = storage.session()) {
      for (Object v : List.of(1, 1L, 1.0, true)) {
        ids.add(id.call(v).contentId());
      }
    }
    assertEquals(4, ids.size());
    assertEquals(4, runs.get());
  }

  @Test
  void invoke_namedOutputs() {
    Op minMax = Op.builder("minmax").inputs("a", "b").outputs("min", "max")
        .function(a -> List.of(Math.min((Integer) a[0], (Integer) a[1]), Math.max((Integer) a[0], (Integer) a[1])))
        .build();
    try (Session s = storage.session()) {
      Call c = minMax.invoke(5, 3);
      assertEquals(3, c.<Integer>output("min").value());
      assertEquals(5, c.<Integer>output("max").value());
      assertEquals(List.of("min", "max"), new ArrayList<>(c.outputs().keySet()));
      assertNotEquals(c.output("min").historyId(), c.output("max").historyId());
    }
  }

  @Test
  void invoke_wrongOutputCountNamesOp() {
    Op bad = Op.builder("pair").inputs("a").outputCount(2).function(a -> List.of(1, 2, 3)).build();
    try (Session s = storage.session()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> bad.invoke(1));
      assertTrue(e.getMessage().contains("'pair'"), e.getMessage());
      assertTrue(e.getMessage().contains("returned 3 values"), e.getMessage());
    }
    assertEquals(0, storage.stats().calls());
  }

  @Test
  void session_exceptionKeepsCallsBeforeIt() {
    assertThrows(IllegalStateException.class, () -> {
      try (Session s = storage.session()) {
        inc.call(7);
        throw new IllegalStateException("boom");
      }
    });
    storage = reopen(storage);
    try (Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
      assertEquals(8, inc.<Integer>call(7).value());
    }
  }

  /**
   * Whether new calls wait for the outermost session to close before they are stored: true for
   * stores that make them durable; a storage in memory stores each call as it is made.
   */
  protected boolean commitsAtOuterClose() {
    return true;
  }

  @Test
  void session_nestedCommitsOnceAtOuterClose() {
    assumeTrue(commitsAtOuterClose(), "this storage stores each call as it is made");
    try (Session outer = storage.session()) {
      try (Session inner = storage.session()) {
        inc.call(1);
      }
      assertEquals(0, storage.stats().calls(), "inner close must not commit");
      inc.call(2);
    }
    assertEquals(2, storage.stats().calls());
  }

  @Test
  void call_opThatThrowsStoresNothing() {
    Op boom = Op.of("boom", (Integer x) -> {
      throw new java.io.IOException("disk on fire");
    });
    try (Session s = storage.session()) {
      OpFailedException e = assertThrows(OpFailedException.class, () -> boom.call(1));
      assertTrue(e.getMessage().contains("'boom'"), e.getMessage());
      assertTrue(e.getCause() instanceof java.io.IOException);
      assertThrows(ArithmeticException.class,
          () -> Op.of("div", (Integer x) -> 1 / x).call(0));
    }
    assertEquals(0, storage.stats().calls());
    assertEquals(0, storage.stats().values());
  }

  @Test
  void session_noNewCallsNamesOp() {
    try (Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
      NoStoredCallException e = assertThrows(NoStoredCallException.class, () -> inc.call(5));
      assertTrue(e.getMessage().contains("'inc'"), e.getMessage());
      assertEquals("inc", e.op());
    }
    assertEquals(0, runs.get());
  }

  @Test
  void session_noOpRunsWithoutStoring() {
    try (Session s = storage.session(SessionMode.NO_OP)) {
      assertEquals(6, inc.<Integer>call(5).value());
      assertEquals(6, inc.<Integer>call(5).value());
    }
    assertEquals(2, runs.get());
    assertEquals(0, storage.stats().calls());
  }

  @Test
  void call_outsideSessionJustRuns() {
    Ref<Integer> r = inc.call(5);
    assertEquals(6, r.value());
    assertTrue(r.isLoaded());
    assertEquals(0, storage.stats().calls());
    try (Session s = storage.session()) {
      Call c = inc.invoke(r);
      assertEquals(Ref.unstored(6).historyId(), c.inputs().get("x0").historyId());
      assertEquals(7, c.<Integer>output("output_0").value());
    }
    assertEquals(1, storage.stats().calls());
  }

  @Test
  void call_storedValueUnchangedWhenCallerMutates() {
    Op sum = Op.of("sum", (List<Integer> xs) -> xs.stream().mapToInt(Integer::intValue).sum());
    Op copy = Op.of("copy", (List<Integer> xs) -> new ArrayList<>(xs));
    List<Integer> xs = new ArrayList<>(List.of(1, 2, 3));
    Ref<List<Integer>> out;
    try (Session s = storage.session()) {
      sum.call(xs);
      out = copy.call(xs);
      xs.add(100);
      out.value().add(200);
    }
    storage = reopen(storage);
    try (Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
      assertEquals(List.of(1, 2, 3), copy.<List<Integer>>call(List.of(1, 2, 3)).value());
      assertEquals(6, sum.<Integer>call(List.of(1, 2, 3)).value());
    }
  }

  @Test
  void call_ignoredAndNewInputsLeftOutOfIdentity() {
    // One label for both: the new input keeps the meaning ([versioning]: code would differ).
    Op v1 = Op.builder("scale").version("1").inputs("x", "log").ignored("log")
        .function(a -> (Integer) a[0] * 2).build();
    Op v2 = Op.builder("scale").version("1").inputs("x", "log", "factor").ignored("log").newInput("factor", 2)
        .function(a -> (Integer) a[0] * (Integer) a[2]).build();
    HistoryId h1;
    try (Session s = storage.session()) {
      h1 = v1.invoke(3, "quiet").historyId();
      assertEquals(h1, v1.invoke(3, "verbose").historyId());
    }
    try (Session s = storage.session()) {
      CallResult same = s.callPositional(v2, 3, "x", 2);
      assertEquals(CallResult.Source.RETRACED, same.source());
      assertEquals(h1, same.call().historyId());
      CallResult other = s.callPositional(v2, 3, "x", 5);
      assertEquals(CallResult.Source.EXECUTED, other.source());
      assertEquals(15, other.call().<Integer>output("output_0").value());
    }
  }

  @Test
  void call_unserializableArgumentNamesOpAndArgumentAndWritesNothing() {
    Op train = Op.builder("train").version("3").inputs("data", "rng")
        .function(a -> 1).build();
    try (Session s = storage.session()) {
      StorageException e = assertThrows(StorageException.class,
          () -> train.invoke(1, new java.util.Random()));
      assertTrue(e.getMessage().contains("Op 'train' v3, argument 'rng'"), e.getMessage());
      assertTrue(e.getMessage().contains("java.util.Random"), e.getMessage());
    }
    assertEquals(0, storage.stats().values());
  }

  @Test
  void provenance_creatorConsumersAndCallsOfOp() {
    Ref<Integer> two;
    Ref<Integer> three;
    Ref<Integer> twelve;
    try (Session s = storage.session()) {
      two = inc.call(1);
      three = inc.call(two);
      twelve = add.call(two, 10);
    }
    storage = reopen(storage);
    Call made = storage.creator(two).orElseThrow();
    assertEquals("inc", made.op());
    assertEquals(1, made.inputs().get("x0").value());
    assertTrue(storage.creator(made.inputs().get("x0")).isEmpty(), "raw values have no creator");
    Set<String> consumerOps = new HashSet<>();
    storage.consumers(two).forEach(c -> consumerOps.add(c.op()));
    assertEquals(Set.of("inc", "add"), consumerOps);
    assertEquals(2, storage.calls("inc").size());
    assertEquals(1, storage.calls("add").size());
    assertEquals(three, storage.creator(three).orElseThrow().output("output_0"));
    assertEquals(12, storage.creator(twelve).orElseThrow().<Integer>output("output_0").value());
  }

  @Test
  void ops_namesEveryOpWithStoredCalls_sorted_andForgetsDeletedOnes() {
    assertEquals(List.of(), List.copyOf(storage.ops()));
    Ref<Integer> two;
    try (Session s = storage.session()) {
      two = inc.call(1);
      add.call(two, 10);
      assertEquals(List.of("add", "inc"), List.copyOf(storage.ops()), "uncommitted calls count");
    }
    storage = reopen(storage);
    assertEquals(List.of("add", "inc"), List.copyOf(storage.ops()));
    storage.delete(storage.calls("add").get(0), false);
    assertEquals(List.of("inc"), List.copyOf(storage.ops()));
  }

  @Test
  void callsFromOtherThreads_memoizeInTheOpenSession_andAreCommittedWithIt() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      try (Session s = storage.session()) {
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          int x = i % 10;
          results.add(pool.submit(() -> inc.<Integer>call(x).value()));
        }
        for (int i = 0; i < 200; i++) {
          assertEquals(i % 10 + 1, results.get(i).get(10, TimeUnit.SECONDS));
        }
        assertEquals(10, runs.get(), "each distinct call ran once, on whichever thread made it");
        // A parallel stream's threads join the session too.
        List.of(1, 2, 3, 4, 5, 6, 7, 8).parallelStream().forEach(x -> inc.call(x + 100));
        assertEquals(18, runs.get());
      }
      storage = reopen(storage);
      try (Session s = storage.session()) {
        for (int x = 0; x < 10; x++) {
          assertEquals(CallResult.Source.RETRACED, s.callPositional(inc, x).source());
        }
      }
      assertEquals(18, runs.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void close_waitsForACallFromAnotherThread_andCommitsIt() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Op slow = Op.of("slow", (Integer x) -> {
      entered.countDown();
      runs.incrementAndGet();
      release.await();
      return x * 2;
    });
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Session s = storage.session();
      Future<Integer> call = pool.submit(() -> slow.<Integer>call(21).value());
      assertTrue(entered.await(10, TimeUnit.SECONDS));
      Thread closer = new Thread(s::close, "closer");
      closer.start();
      closer.join(300);
      assertTrue(closer.isAlive(), "the session closed while a call it holds was running");
      release.countDown();
      assertEquals(42, call.get(10, TimeUnit.SECONDS));
      closer.join(10_000);
      assertFalse(closer.isAlive());
      storage = reopen(storage);
      try (Session again = storage.session()) {
        assertEquals(CallResult.Source.RETRACED, again.callPositional(slow, 21).source());
      }
      assertEquals(1, runs.get());
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void aCallFromAThreadWithoutSession_whileTwoAreOpen_failsNamingTheirThreads() throws Exception {
    CountDownLatch opened = new CountDownLatch(2);
    CountDownLatch done = new CountDownLatch(1);
    List<Thread> owners = new ArrayList<>();
    for (String name : List.of("owner-a", "owner-b")) {
      Thread t = new Thread(() -> {
        try (Session s = storage.session()) {
          opened.countDown();
          done.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, name);
      t.start();
      owners.add(t);
    }
    try {
      assertTrue(opened.await(10, TimeUnit.SECONDS));
      AtomicInteger before = new AtomicInteger(runs.get());
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> inc.call(5));
      assertEquals("Op 'inc' was called on thread '" + Thread.currentThread().getName()
          + "', which has no session, while 2 sessions are open on other threads ('owner-a',"
          + " 'owner-b'): memoflow cannot tell which one the call belongs to. Open a session on"
          + " this thread (try (Session s = storage.session()) { ... }), or make the call on a"
          + " thread that has one.", e.getMessage());
      assertEquals(before.get(), runs.get(), "the op did not run");
    } finally {
      done.countDown();
      for (Thread t : owners) {
        t.join(10_000);
      }
    }
  }

  @Test
  void aThreadSession_isNotJoined() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Session mine = storage.threadSession(SessionMode.NORMAL)) {
      pool.submit(() -> inc.call(7)).get(10, TimeUnit.SECONDS);
      pool.submit(() -> inc.call(7)).get(10, TimeUnit.SECONDS);
      assertEquals(2, runs.get(), "without a session of its own, the pool's thread runs the op plainly");
      inc.call(7);
      assertEquals(3, runs.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void provenance_seesCallsCommittedAfterTheFirstQuery() {
    Ref<Integer> two;
    try (Session s = storage.session()) {
      two = inc.call(1);
    }
    assertEquals(List.of(), storage.consumers(two));
    assertEquals(1, storage.calls("inc").size());
    try (Session s = storage.session()) {
      inc.call(two);
    }
    assertEquals(List.of("inc"), storage.consumers(two).stream().map(Call::op).toList());
    assertEquals(2, storage.calls("inc").size());
  }

  @Test
  void delete_withDependentsThenRerunExecutes() {
    Ref<Integer> two;
    try (Session s = storage.session()) {
      two = inc.call(1);
      inc.call(two);
    }
    Call first = storage.creator(two).orElseThrow();
    assertEquals(2, storage.delete(first, true));
    assertEquals(0, storage.stats().calls());
    assertTrue(storage.cleanup() >= 2);
    storage = reopen(storage);
    runs.set(0);
    try (Session s = storage.session()) {
      Ref<Integer> again = inc.call(1);
      assertEquals(CallResult.Source.EXECUTED, s.callPositional(inc, again).source());
    }
    assertEquals(2, runs.get());
  }

  @Test
  void delete_withoutDependentsKeepsThem() {
    Ref<Integer> two;
    Ref<Integer> three;
    try (Session s = storage.session()) {
      two = inc.call(1);
      three = inc.call(two);
    }
    assertEquals(1, storage.delete(storage.creator(two).orElseThrow(), false));
    assertTrue(storage.creator(three).isPresent());
    assertTrue(storage.creator(two).isEmpty());
    storage.cleanup();
    assertEquals(2, storage.creator(three).orElseThrow().inputs().get("x0").value(),
        "the input of a kept call survives cleanup");
    assertEquals(3, three.value());
  }

  @Test
  void cleanup_removesOnlyUnreferencedValues() {
    try (Session s = storage.session()) {
      inc.call(1);
      inc.call(100);
    }
    storage.delete(List.of(storage.calls("inc").stream()
        .filter(c -> c.inputs().get("x0").value().equals(100)).findFirst().orElseThrow().historyId()), false);
    assertEquals(2, storage.cleanup());
    assertEquals(2, storage.stats().values());
    assertEquals(0, storage.cleanup());
  }

  @Test
  void collections_elementsAreRefsAndSlicesReuse() {
    Ref<List<Integer>> xs;
    try (Session s = storage.session()) {
      xs = s.list(List.of(1, 2, 3, 4));
      for (Ref<Integer> x : s.elements(xs)) {
        inc.call(x);
      }
      assertEquals(List.of(1, 2, 3, 4), xs.value());
    }
    runs.set(0);
    try (Session s = storage.session()) {
      Ref<List<Integer>> slice = s.list(List.of(2, 3));
      for (Ref<Integer> x : s.elements(slice)) {
        assertEquals(CallResult.Source.RETRACED, s.callPositional(inc, x).source());
      }
      Op sum = Op.of("sum", (List<Integer> l) -> l.stream().mapToInt(Integer::intValue).sum());
      List<Ref<Integer>> outs = new ArrayList<>();
      for (Ref<Integer> x : s.elements(xs)) {
        outs.add(inc.call(x));
      }
      Ref<Integer> total = sum.call(outs);
      assertEquals(14, total.value());
      Call structural = storage.creator(storage.creator(total).orElseThrow().inputs().get("x0")).orElseThrow();
      assertEquals("__list__", structural.op());
      assertEquals(4, structural.inputs().size());
    }
    assertEquals(0, runs.get());
  }

  @Test
  void collections_opResultElementsGetItemCalls() {
    Op range = Op.of("range", (Integer n) -> {
      List<Integer> l = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        l.add(i);
      }
      return l;
    });
    try (Session s = storage.session()) {
      Ref<List<Integer>> r = range.call(3);
      List<Ref<Integer>> items = s.elements(r);
      assertEquals(3, items.size());
      assertEquals(2, items.get(2).value());
      assertEquals("__item__", storage.creator(items.get(1)).orElseThrow().op());
      assertEquals(items, s.elements(r));
      Ref<Set<String>> set = s.set(Set.of("b", "a"));
      assertEquals(set, s.set(new java.util.TreeSet<>(Set.of("a", "b"))));
      Ref<Map<String, Integer>> m = s.map(Map.of("k", 1));
      assertEquals(Map.of("k", 1), m.value());
    }
  }

  @Test
  void call_sameNewCallFromManyThreadsExecutesOnce() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger slowRuns = new AtomicInteger();
    Op slow = Op.of("slow", (Integer x) -> {
      slowRuns.incrementAndGet();
      Thread.sleep(50);
      return x * 2;
    });
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (Session s = storage.session()) {
      List<Future<CallResult>> fs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        fs.add(pool.submit(() -> {
          start.await();
          return s.callPositional(slow, 21);
        }));
      }
      start.countDown();
      Set<HistoryId> hids = new HashSet<>();
      for (Future<CallResult> f : fs) {
        hids.add(f.get(10, TimeUnit.SECONDS).call().historyId());
      }
      assertEquals(1, hids.size());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, slowRuns.get());
    assertEquals(1, storage.stats().calls());
  }

  @Test
  void stats_countSources() {
    try (Session s = storage.session()) {
      inc.call(1);
      inc.call(1);
    }
    StorageStats st = storage.stats();
    assertEquals(1, st.executed());
    assertEquals(1, st.retraced());
    assertFalse(st.calls() == 0);
  }
  @Test
  void refToString_showsTheValueOnAFreshAndOnARetracedCall() {
    Op span = Op.of("span", (Integer n) -> {
      double[] xs = new double[n];
      java.util.Arrays.fill(xs, 0.5);
      return xs;
    });
    String fresh;
    String freshLong;
    try (Session s = storage.session()) {
      fresh = inc.call(41).toString();
      freshLong = span.call(100).toString();
      assertTrue(span.call(2).toString().endsWith(", [0.5, 0.5])"), span.call(2).toString());
    }
    storage = reopen(storage);
    try (Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
      Ref<Integer> again = inc.call(41);
      assertEquals(fresh, again.toString());
      assertTrue(fresh.endsWith(", 42)"), fresh);
      assertEquals(freshLong, span.call(100).toString());
      assertTrue(freshLong.endsWith(", double[100])"), freshLong);
    }
  }
}
