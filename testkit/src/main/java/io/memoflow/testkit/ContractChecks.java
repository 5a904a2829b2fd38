package io.memoflow.testkit;

import static io.memoflow.testkit.ContractRecords.slots;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.memoflow.cache.CallResult;
import io.memoflow.cache.Op;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import io.memoflow.cache.StorageOptions;
import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.CallRecord.Slot;
import io.memoflow.cache.spi.ChangeListener;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageBackend;
import io.memoflow.testkit.ContractRecords.Batch;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The assertions {@link BackendContract} makes again and again, each failure message naming the
 * backend and the seed. Stateless beyond those two.
 */
final class ContractChecks {
  /** How long a test waits for another thread before it fails rather than hangs. */
  private static final long WAIT_SECONDS = 30;
  private final String backend;
  private final long seed;

  ContractChecks(String backend, long seed) {
    this.backend = backend;
    this.seed = seed;
  }

  /** A failure message: what broke, the backend, and how to replay the seed. */
  String m(String what) {
    return what + " [" + backend + ", seed " + seed + "; -D" + BackendContract.SEED_PROPERTY + "=" + seed
        + " replays it]";
  }

  /** Asserts that lookups of {@code h} and {@code c}, never stored, find nothing. */
  void absent(StorageBackend b, HistoryId h, ContentId c, String when) {
    assertNull(b.call(h), m(when + ": call() of an absent history id"));
    assertNull(b.callByContent(c), m(when + ": callByContent() of an absent content id"));
    assertNull(b.value(c), m(when + ": value() of an absent content id"));
    assertFalse(b.containsValue(c), m(when + ": containsValue() of an absent content id"));
    assertNull(b.creator(h), m(when + ": creator() of an absent ref"));
    assertEquals(List.of(), b.consumers(h), m(when + ": consumers() of an absent ref"));
    assertEquals(List.of(), b.callsOf("absent-op"), m(when + ": callsOf() of an op never called"));
    assertFalse(b.ops().contains("absent-op"), m(when + ": ops() lists an op never called"));
  }

  /** Asserts that {@code b} holds every call of the batch (by history and content id) and value. */
  void holds(StorageBackend b, Batch batch, String when) {
    for (CallRecord c : batch.calls()) {
      assertEquals(c, b.call(c.historyId()), m(when + ": call(" + c.historyId() + ") must return the committed record"));
      assertEquals(c.historyId(), b.callByContent(c.contentId()),
          m(when + ": callByContent(" + c.contentId() + ") must find call " + c.historyId()));
    }
    for (Map.Entry<ContentId, byte[]> v : batch.values().entrySet()) {
      assertTrue(b.containsValue(v.getKey()), m(when + ": containsValue(" + v.getKey() + ")"));
      assertArrayEquals(v.getValue(), b.value(v.getKey()), m(when + ": value(" + v.getKey() + ") bytes"));
    }
  }

  /** Asserts creator, consumers, callsOf and ops for every call of the batch. */
  void provenance(StorageBackend b, Batch batch, String when) {
    SortedSet<String> ops = b.ops();
    for (CallRecord c : batch.calls()) {
      HistoryId h = c.historyId();
      for (Slot out : c.outputs()) {
        assertEquals(h, b.creator(out.historyId()), m(when + ": creator() of output " + out.name() + " of " + h));
      }
      for (Slot in : c.inputs()) {
        assertTrue(once(b.consumers(in.historyId()), "consumers()").contains(h),
            m(when + ": consumers() of input " + in.name() + " must list " + h));
      }
      assertTrue(once(b.callsOf(c.op()), "callsOf()").contains(h), m(when + ": callsOf(" + c.op() + ") must list " + h));
      assertTrue(ops.contains(c.op()), m(when + ": ops() must list " + c.op()));
    }
  }

  /** Asserts that the call and each of its index entries are gone. */
  void deleted(StorageBackend b, CallRecord c, String when) {
    HistoryId h = c.historyId();
    assertNull(b.call(h), m(when + ": call() still finds " + h));
    assertNull(b.callByContent(c.contentId()), m(when + ": callByContent() still finds " + h));
    for (Slot out : c.outputs()) {
      assertNull(b.creator(out.historyId()), m(when + ": creator() of its output still names " + h));
    }
    for (Slot in : c.inputs()) {
      assertFalse(b.consumers(in.historyId()).contains(h), m(when + ": consumers() of its input still list " + h));
    }
    assertFalse(b.callsOf(c.op()).contains(h), m(when + ": callsOf(" + c.op() + ") still lists " + h));
  }

  /** Returns {@code items} as a set, asserting that none is listed twice. */
  <T> Set<T> once(List<T> items, String what) {
    Set<T> s = new HashSet<>(items);
    assertEquals(items.size(), s.size(), m(what + " listed an entry twice: " + items));
    return s;
  }

  /**
   * Commits the batches on one thread while three others read every call over and over: a call
   * they see must be whole, with its values; once the writer is done, every call must be seen.
   * Returns how many calls the readers saw.
   */
  int readWhileCommitting(StorageBackend b, List<Batch> batches) {
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger seen = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Callable<Void> reader = () -> {
        boolean last;
        do {
          last = done.get();   // one whole pass after the writer is done
          for (Batch batch : batches) {
            for (CallRecord c : batch.calls()) {
              if (seenWhole(b, batch, c)) {
                seen.incrementAndGet();
              } else if (last) {
                fail(m("call " + c.historyId() + " is not visible after its commit returned"));
              }
            }
          }
        } while (!last);
        return null;
      };
      List<Future<Void>> readers = List.of(pool.submit(reader), pool.submit(reader), pool.submit(reader));
      Future<?> writer = pool.submit(() -> {
        try {
          batches.forEach(batch -> b.commit(batch.values(), batch.calls()));
        } finally {
          done.set(true);
        }
      });
      join(writer, "the writer");
      for (Future<Void> r : readers) {
        join(r, "a reader");
      }
    } finally {
      pool.shutdownNow();
    }
    return seen.get();
  }

  /** Whether {@code c} is visible; if it is, asserts that the record and its values are whole. */
  private boolean seenWhole(StorageBackend b, Batch batch, CallRecord c) {
    CallRecord got = b.call(c.historyId());
    HistoryId byContent = b.callByContent(c.contentId());
    if (byContent != null) {
      assertEquals(c.historyId(), byContent, m("callByContent() named another call while committing"));
      assertEquals(c, b.call(c.historyId()), m("callByContent() found a call that call() does not"));
    }
    if (got == null) {
      return false;
    }
    assertEquals(c, got, m("call() returned a partial or other record while committing"));
    for (Slot s : slots(c)) {
      assertArrayEquals(batch.values().get(s.contentId()), b.value(s.contentId()),
          m("a visible call's value " + s.contentId() + " (values must be stored before calls)"));
    }
    return true;
  }

  /** An op that counts its runs; the same code (so the same version) wherever it is made. */
  static Op incOp(AtomicInteger runs) {
    return Op.of("contract-inc", (Integer x) -> {
      runs.incrementAndGet();
      return x + 1;
    });
  }

  /**
   * Calls {@code inc(41)} through a storage over {@code b} in one session or, with
   * {@code again}, in two (the second must retrace), asserting {@code first} as the first call's
   * source; closes the storage, so {@code b}. Returns the output's history id.
   */
  HistoryId callThroughStorage(StorageBackend b, Op inc, CallResult.Source first, boolean again) {
    HistoryId out;
    try (Storage storage = Storage.of(b, StorageOptions.defaults())) {
      try (Session s = storage.session()) {
        CallResult r = s.callPositional(inc, 41);
        assertEquals(first, r.source(), m("the first call of inc(41) through Storage.of"));
        assertEquals(42, r.call().<Integer>output("output_0").value(), m("the first call's value"));
        out = r.call().output("output_0").historyId();
      }
      assertEquals(1, b.callsOf("contract-inc").size(), m("a closed session's call must be in the backend"));
      if (again) {
        try (Session s = storage.session()) {
          CallResult r = s.callPositional(inc, 41);
          assertEquals(CallResult.Source.RETRACED, r.source(), m("the same call in a second session"));
          assertEquals(out, r.call().output("output_0").historyId(), m("the retraced call's output"));
          assertEquals(42, r.call().<Integer>output("output_0").value(), m("the retraced call's value"));
        }
      }
    }
    return out;
  }

  /** Closes every backend in {@code open}, newest first; fails with the first close that threw. */
  void closeAll(Deque<StorageBackend> open) {
    RuntimeException first = null;
    while (!open.isEmpty()) {
      try {
        open.pop().close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw new AssertionError(m("close() threw"), first);
    }
  }

  /**
   * Returns whether {@code condition} holds within five seconds, trying every few
   * milliseconds: a distributed backend hears of another user's change a moment after that
   * user's call returned (a message on the network), a backend on files at once.
   */
  static boolean soon(java.util.function.BooleanSupplier condition) {
    long end = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** A listener that adds each deleted history id and content id it is told of to {@code told}. */
  static ChangeListener recorder(List<Object> told) {
    return new ChangeListener() {
      @Override
      public void callDeleted(HistoryId historyId) {
        told.add(historyId);
      }

      @Override
      public void valueDeleted(ContentId contentId) {
        told.add(contentId);
      }
    };
  }

  /** Commits {@code batch} to {@code b} on another thread, failing if it does not finish. */
  void commitOnAnotherThread(StorageBackend b, Batch batch, String what) {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      join(pool.submit(() -> b.commit(batch.values(), batch.calls())), what);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Asserts that while {@code holder} runs an exclusive() action, {@code other}'s commit of
   * {@code batch} does not finish (nor show inside the action), and that it finishes after.
   */
  void commitWaitsForExclusive(StorageBackend holder, StorageBackend other, Batch batch) {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch leave = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Boolean> inside = pool.submit(() -> holder.exclusive(() -> {
        entered.countDown();
        await(leave);
        return holder.call(batch.calls().get(0).historyId()) == null;
      }));
      await(entered);
      Future<?> commit = pool.submit(() -> other.commit(batch.values(), batch.calls()));
      assertThrows(TimeoutException.class, () -> commit.get(300, TimeUnit.MILLISECONDS),
          m("the second user's commit finished while the first was inside exclusive()"));
      leave.countDown();
      assertTrue(join(inside, "the exclusive section"), m("the other's commit was visible inside exclusive()"));
      join(commit, "the second user's commit after exclusive()");
    } finally {
      leave.countDown();
      pool.shutdownNow();
    }
  }

  /** Waits for {@code f}, failing after {@link #WAIT_SECONDS} or with what it threw. */
  <T> T join(Future<T> f, String what) {
    try {
      return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(m("interrupted waiting for " + what), e);
    } catch (TimeoutException e) {
      throw new AssertionError(m(what + " did not finish in " + WAIT_SECONDS + " s"), e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error err) {
        throw err;   // an assertion failed on that thread: report it as it is
      }
      throw new AssertionError(m(what + " threw"), e.getCause());
    }
  }

  /** Waits for {@code latch}, failing after {@link #WAIT_SECONDS}. */
  void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), m("timed out waiting for another thread"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(m("interrupted"), e);
    }
  }
}
