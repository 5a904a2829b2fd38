package io.memoflow.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.memoflow.cache.CallResult.Source;
import io.memoflow.cache.Op;
import io.memoflow.cache.Storage;
import io.memoflow.cache.StorageOptions;
import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.CallRecord.Slot;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageBackend;
import io.memoflow.testkit.ContractRecords.Batch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage-backend contract: what every {@link StorageBackend} must do, as the javadoc of
 * each of its methods says, tested through the SPI and, briefly, through
 * {@link Storage#of(StorageBackend, StorageOptions)}. Extend it with a factory:
 *
 * <pre>{@code
 * class MyBackendContractTest extends BackendContract {
 *   @TempDir Path dir;
 *
 *   @Override protected StorageBackend newBackend() { return MyBackend.open(dir); }
 *   @Override protected StorageBackend reopen(StorageBackend closed) { return MyBackend.open(dir); }
 * }
 * }</pre>
 *
 * <p>Each test gets a new backend from {@link #newBackend()}, and the suite closes it (and every
 * other backend it got from the hooks) after the test. The optional hooks {@link #reopen},
 * {@link #secondUser} and {@link #abandonAndOpen} turn on the durability, shared-store and
 * crash-safety tests; without them those tests are skipped by an assumption, never passed.
 *
 * <p>Records are synthetic, drawn from a seed chosen per test and printed in every failure
 * message (the system property {@value #SEED_PROPERTY} replays one): values and the refs calls
 * read have random ids, while each call's own history id, content id and output history ids
 * follow the identity rules ({@link HistoryId}; ARCHITECTURE.md, "Identity"), as every record
 * a storage commits does, so a backend may derive them rather than store them. A backend that
 * cannot pass a test for a reason it documents may override that test method with
 * {@code @Test @Disabled("why")}.
 */
public abstract class BackendContract {
  /** The system property that fixes the seed of every test, to replay a failure. */
  public static final String SEED_PROPERTY = "memoflow.contract.seed";

  private ContractRecords gen;
  private ContractChecks check;
  /** The backend under test; replaced when a test reopens it. */
  private StorageBackend backend;
  /** Every backend the suite got and has not closed yet, newest first. */
  private final Deque<StorageBackend> open = new ArrayDeque<>();

  /** Returns a new, empty backend; each test gets its own, and the suite closes it afterwards. */
  protected abstract StorageBackend newBackend();

  /**
   * Returns a new backend over the data of {@code closed}, which the suite has just closed, or
   * {@code null} (the default) if the backend keeps nothing once closed; the durability tests are
   * then skipped. The suite closes what it returns.
   */
  protected StorageBackend reopen(StorageBackend closed) {
    return null;
  }

  /**
   * Returns another backend over the same shared store as {@code first}, open at the same time,
   * as another process would see it, or {@code null} (the default) if the store is not shared;
   * the shared-store tests are then skipped. The suite closes it after the test.
   */
  protected StorageBackend secondUser(StorageBackend first) {
    return null;
  }

  /**
   * Treats {@code live} as if its process were killed now: does not close it, and returns a new
   * backend over the same store; or {@code null} (the default), and the crash-safety test is
   * skipped. Once it has passed {@code live} here the suite neither uses nor closes it (unless
   * this returns null): release what it holds after the test yourself, say in an
   * {@code @AfterEach}. The suite closes the returned backend.
   */
  protected StorageBackend abandonAndOpen(StorageBackend live) {
    return null;
  }

  @BeforeEach
  final void openBackend() {
    String fixed = System.getProperty(SEED_PROPERTY);
    long seed = fixed != null ? Long.parseLong(fixed.trim()) : ThreadLocalRandom.current().nextLong();
    gen = new ContractRecords(seed);
    backend = track(newBackend());
    assertNotNull(backend, "newBackend() returned null");
    check = new ContractChecks(backend.getClass().getSimpleName(), seed);
  }

  @AfterEach
  final void closeBackends() {
    if (check != null) {   // null if newBackend() failed: then nothing is open
      check.closeAll(open);
    }
  }

  /** Lookups of keys never stored return null, false or empty, and do not throw. */
  @Test
  public void absentKeys_returnNullOrEmpty() {
    check.absent(backend, gen.hid(), gen.cid(), "on an empty backend");
    assertEquals(List.of(), new ArrayList<>(backend.ops()), m("ops() of an empty backend"));
    assertEquals(0, backend.callCount(), m("callCount() of an empty backend"));
    assertEquals(0, backend.valueCount(), m("valueCount() of an empty backend"));
    List<Object> seen = new ArrayList<>();
    backend.forEachCall(seen::add);
    backend.forEachValue(seen::add);
    assertEquals(List.of(), seen, m("forEachCall/forEachValue visited something on an empty backend"));
    commit(gen.batch("present", 3));
    check.absent(backend, gen.hid(), gen.cid(), "beside stored calls");
  }

  /** After a commit, every lookup finds what it stored, and the counts include it. */
  @Test
  public void commit_everyLookupFindsIt() {
    Batch b = gen.batch("found", 10);
    commit(b);
    check.holds(backend, b, "after commit");
    check.provenance(backend, b, "after commit");
    assertEquals(10, backend.callCount(), m("callCount() after committing 10 calls"));
    assertEquals(b.values().size(), backend.valueCount(), m("valueCount() after committing values"));
  }

  /** Committing what is already stored (the same objects, equal copies, or nothing) is a no-op. */
  @Test
  public void commit_sameAgainIsANoOp() {
    Batch b = gen.batch("again", 5);
    commit(b);
    commit(b);
    List<CallRecord> copies = new ArrayList<>();
    b.calls().forEach(c -> copies.add(new CallRecord(c.historyId(), c.contentId(), c.op(), c.version(),
        c.inputs(), c.outputs())));
    Map<ContentId, byte[]> valueCopies = new LinkedHashMap<>();
    b.values().forEach((id, bytes) -> valueCopies.put(id, bytes.clone()));
    backend.commit(valueCopies, copies);
    backend.commit(Map.of(), List.of());
    assertEquals(5, backend.callCount(), m("callCount() after committing the same 5 calls again"));
    assertEquals(b.values().size(), backend.valueCount(), m("valueCount() after committing the same values again"));
    check.holds(backend, b, "after committing the same calls again");
    assertEquals(5, check.once(backend.callsOf("again"), "callsOf()").size(), m("callsOf() after recommits"));
  }

  /** The three-argument commit stores fresh calls and reports none of them as already stored. */
  @Test
  public void commit_reportsNoFreshCallAsAlreadyStored() {
    Batch b = gen.batch("fresh", 4);
    List<HistoryId> reported = new ArrayList<>();
    backend.commit(b.values(), b.calls(), reported::add);
    assertEquals(List.of(), reported, m("commit(values, calls, alreadyStored) reported fresh calls"));
    check.holds(backend, b, "after the three-argument commit");
  }

  /**
   * creator() names the call of each output, consumers() each reader of a ref once (one that
   * reads it twice too), callsOf() each call of an op of any version once, ops() is sorted and
   * forgets an op whose last call is deleted; an index built by a query takes in later commits.
   */
  @Test
  public void provenance_creatorConsumersCallsOfAndOps() {
    CallRecord maker = gen.call("zeta", "1", List.of(gen.slot("x0")), 2);
    Slot made = maker.outputs().get(0);
    Slot madeAgain = new Slot("again", made.contentId(), made.historyId());
    CallRecord reader = gen.call("alpha", "1", List.of(made, madeAgain), 1);
    commit(gen.batchOf(List.of(maker, reader)));
    // Asked before the next commit: an index built lazily must also take in later commits.
    assertEquals(List.of(reader.historyId()), backend.consumers(made.historyId()),
        m("consumers() of a ref one call reads twice must list that call once"));
    CallRecord later = gen.call("zeta", "2", List.of(made), 1);
    CallRecord mid = gen.call("mid", "1", List.of(gen.slot("x0")), 1);
    commit(gen.batchOf(List.of(later, mid)));
    assertEquals(maker.historyId(), backend.creator(made.historyId()), m("creator() of a call's first output"));
    assertEquals(maker.historyId(), backend.creator(maker.outputs().get(1).historyId()),
        m("creator() of a call's second output"));
    assertEquals(later.historyId(), backend.creator(later.outputs().get(0).historyId()),
        m("creator() of an output committed after the first provenance query"));
    assertEquals(Set.of(reader.historyId(), later.historyId()),
        check.once(backend.consumers(made.historyId()), "consumers()"), m("consumers() of a ref two calls read"));
    assertEquals(Set.of(maker.historyId(), later.historyId()), check.once(backend.callsOf("zeta"), "callsOf()"),
        m("callsOf() must list the op's calls of every version"));
    assertEquals(List.of("alpha", "mid", "zeta"), new ArrayList<>(backend.ops()), m("ops() must list every op, sorted"));
    backend.deleteCall(reader.historyId());
    assertEquals(List.of("mid", "zeta"), new ArrayList<>(backend.ops()), m("ops() after its only call was deleted"));
    assertEquals(List.of(later.historyId()), backend.consumers(made.historyId()),
        m("consumers() after one reader was deleted"));
  }

  /** deleteCall removes the call and its index entries; its values stay; a re-commit restores it. */
  @Test
  public void deleteCall_removesTheCallAndItsIndexEntriesButNotItsValues() {
    Batch kept = gen.batch("del", 3);
    Batch gone = gen.batch("del", 1);
    commit(kept);
    commit(gone);
    check.provenance(backend, gone, "before deleteCall");
    CallRecord c = gone.call();
    backend.deleteCall(c.historyId());
    check.deleted(backend, c, "after deleteCall");
    gone.values().forEach((id, bytes) -> assertArrayEquals(bytes, backend.value(id), m("deleteCall removed value " + id)));
    assertEquals(3, backend.callCount(), m("callCount() after deleting one of 4 calls"));
    assertEquals(kept.values().size() + gone.values().size(), backend.valueCount(), m("valueCount() changed by deleteCall"));
    check.holds(backend, kept, "other calls after deleteCall");
    check.provenance(backend, kept, "other calls after deleteCall");
    commit(gone);
    check.holds(backend, gone, "a deleted call committed again");
    assertEquals(1, backend.callsOf("del").stream().filter(c.historyId()::equals).count(),
        m("callsOf() must list a deleted and recommitted call once"));
    assertEquals(List.of(c.historyId()), backend.consumers(c.inputs().get(0).historyId()),
        m("consumers() must list a deleted and recommitted call once"));
  }

  /**
   * Two calls of one content (the storage records one when it reuses the other by content):
   * callByContent names one of them, and once that one is deleted names the other or nothing,
   * never the deleted call (a backend may index one call per content: a later reuse by content
   * is then missed and the op runs again, which costs time, never a wrong value).
   */
  @Test
  public void callByContent_neverNamesADeletedCall() {
    ContentId input = gen.cid();   // one input value, reached by two histories
    CallRecord a = gen.call("same", "1", List.of(new Slot("x0", input, gen.hid())), 1);
    CallRecord b = gen.call("same", "1", List.of(new Slot("x0", input, gen.hid())), 1);
    assertEquals(a.contentId(), b.contentId(), m("the kit's two calls of equal inputs must share a content id"));
    backend.commit(Map.of(), List.of(a, b));
    HistoryId found = backend.callByContent(a.contentId());
    assertTrue(a.historyId().equals(found) || b.historyId().equals(found),
        m("callByContent() of a content id two stored calls have must name one of them, got " + found));
    HistoryId other = a.historyId().equals(found) ? b.historyId() : a.historyId();
    backend.deleteCall(found);
    HistoryId after = backend.callByContent(a.contentId());
    assertTrue(after == null || after.equals(other), m("callByContent() once " + found
        + " is deleted must name the other call of the content id (" + other + ") or none, got "
        + after));
  }

  /** deleteValues removes exactly the given values, large ones too, and no call. */
  @Test
  public void deleteValues_removesTheValues() {
    ContentId big = gen.cid();
    Batch b = gen.batch("vals", 4).with(big, gen.bytes(1 << 20));
    commit(b);
    List<ContentId> ids = new ArrayList<>(b.values().keySet());
    List<ContentId> drop = List.of(ids.get(0), ids.get(2), big);
    backend.deleteValues(drop);
    Batch rest = new Batch(Map.of(), List.of());
    for (ContentId id : ids) {
      if (drop.contains(id)) {
        assertFalse(backend.containsValue(id), m("containsValue() true after deleteValues of " + id));
        assertNull(backend.value(id), m("value() returned bytes after deleteValues of " + id));
      } else {
        rest = rest.with(id, b.values().get(id));
      }
    }
    check.holds(backend, rest, "values not deleted");
    assertEquals(ids.size() - drop.size(), backend.valueCount(), m("valueCount() after deleteValues"));
    assertEquals(4, backend.callCount(), m("callCount() after deleteValues"));
  }

  /** forEachCall and forEachValue visit each stored entry once and agree with the counts. */
  @Test
  public void forEach_visitsEachOnceAndAgreesWithTheCounts() {
    Batch b = gen.batch("each", 30);
    commit(b);
    CallRecord deletedCall = b.calls().get(7);
    ContentId deletedValue = b.values().keySet().iterator().next();
    backend.deleteCall(deletedCall.historyId());
    backend.deleteValues(List.of(deletedValue));
    List<CallRecord> calls = new ArrayList<>();
    backend.forEachCall(calls::add);
    List<ContentId> values = new ArrayList<>();
    backend.forEachValue(values::add);
    Set<CallRecord> expected = new HashSet<>(b.calls());
    expected.remove(deletedCall);
    assertEquals(expected, check.once(calls, "forEachCall"), m("forEachCall must visit every stored call"));
    assertEquals(backend.callCount(), calls.size(), m("callCount() disagrees with forEachCall"));
    Set<ContentId> expectedValues = new HashSet<>(b.values().keySet());
    expectedValues.remove(deletedValue);
    assertEquals(expectedValues, check.once(values, "forEachValue"), m("forEachValue must visit every stored value"));
    assertEquals(backend.valueCount(), values.size(), m("valueCount() disagrees with forEachValue"));
  }

  /** Values of 0 bytes, around common inline limits and of 1 MiB come back byte for byte. */
  @Test
  public void values_emptyAndLargeRoundTrip() {
    Batch b = new Batch(Map.of(), List.of());
    for (int size : new int[] {0, 1, 255, 256, 511, 512, 513, 4096, 65_536, 1 << 20}) {
      b = b.with(gen.cid(), gen.bytes(size));
    }
    commit(b);
    for (Map.Entry<ContentId, byte[]> v : b.values().entrySet()) {
      byte[] got = backend.value(v.getKey());
      assertNotNull(got, m("value() of a stored value of " + v.getValue().length + " bytes"));
      assertArrayEquals(v.getValue(), got, m("value() of " + v.getValue().length + " bytes"));
    }
    assertEquals(b.values().size(), backend.valueCount(), m("valueCount() after values of every size"));
  }

  /** 2000 calls in eight commits are all found. */
  @Test
  public void manyCalls_areAllFound() {
    List<Batch> batches = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      batches.add(gen.batch("many" + i % 3, 250));
      commit(batches.get(i));
    }
    assertEquals(2000, backend.callCount(), m("callCount() after 2000 calls"));
    batches.forEach(b -> check.holds(backend, b, "among 2000 calls"));
    assertEquals(2000, backend.callsOf("many0").size() + backend.callsOf("many1").size()
        + backend.callsOf("many2").size(), m("callsOf() over 2000 calls of three ops"));
  }

  /** Readers running while one writer commits see no call or the whole call, with its values. */
  @Test
  public void concurrentReaders_seeNoCallOrTheWholeCallWithItsValues() {
    List<Batch> batches = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      batches.add(gen.batch("conc", 25));
    }
    int seen = check.readWhileCommitting(backend, batches);
    assertTrue(seen >= 3 * 1000, m("three readers' last passes must see all 1000 calls, saw " + seen));
  }

  /** exclusive() returns the action's value, allows calls to the backend inside, and rethrows. */
  @Test
  public void exclusive_returnsTheActionsValueAndAllowsCallsInside() {
    Batch kept = gen.batch("excl", 1);
    Batch gone = gen.batch("excl", 1);
    CallRecord c = gone.call();
    String r = backend.exclusive(() -> {
      commit(kept);
      commit(gone);
      assertEquals(c, backend.call(c.historyId()), m("call() inside exclusive() of a call committed there"));
      backend.deleteCall(c.historyId());
      backend.deleteValues(gone.values().keySet());
      return "the action's value";
    });
    assertEquals("the action's value", r, m("exclusive() must return the action's value"));
    check.holds(backend, kept, "a commit inside exclusive()");
    check.deleted(backend, c, "a deleteCall inside exclusive()");
    gone.values().keySet().forEach(v -> assertFalse(backend.containsValue(v), m("deleteValues inside exclusive() left " + v)));
    IllegalStateException boom = new IllegalStateException("the action failed");
    assertSame(boom, assertThrows(IllegalStateException.class, () -> backend.exclusive(() -> {
      throw boom;
    })), m("exclusive() must pass on the action's exception"));
    // The lock must be released even so: a commit from another thread completes.
    Batch after = gen.batch("excl-after", 1);
    check.commitOnAnotherThread(backend, after, "a commit from another thread after exclusive() threw");
    check.holds(backend, after, "a commit after exclusive() threw");
  }

  /** With no other user, claim() grants (again too), and the other claim methods do not throw. */
  @Test
  public void claims_withNoOtherUserAreGranted() {
    HistoryId h = gen.hid();
    assertTrue(backend.claim(h), m("claim() with no other user"));
    assertTrue(backend.claim(h), m("claim() of a call this backend holds already"));
    backend.renewClaims();
    backend.wantClaimed(h);
    backend.claimsWanted();
    backend.wantClaimed(gen.hid());
    backend.releaseClaim(h);
    backend.releaseClaim(gen.hid());
    assertTrue(backend.claim(h), m("claim() after releaseClaim()"));
    backend.releaseClaim(h);
  }

  /** A commit by one user is found by another after its refresh(), and inside its exclusive(). */
  @Test
  public void shared_commitByOneIsVisibleToTheOther() {
    StorageBackend second = second();
    Batch b = gen.batch("shared", 5);
    commit(b);
    assertTrue(ContractChecks.soon(second::refresh),
        m("refresh() after another user committed must report a change (within 5 s)"));
    assertFalse(second.refresh(), m("refresh() with nothing new must report no change"));
    check.holds(second, b, "for a second user after refresh()");
    check.provenance(second, b, "for a second user after refresh()");
    assertEquals(5, second.callCount(), m("the second user's callCount()"));
    CallRecord c = gen.batch("shared", 1).call();
    backend.commit(Map.of(), List.of(c));
    assertEquals(c, second.exclusive(() -> second.call(c.historyId())),
        m("exclusive() must run after a refresh(), seeing another user's commit"));
  }

  /** A call the other user already stored wins over a second commit of its history id. */
  @Test
  public void shared_commitOfACallTheOtherStoredKeepsTheStoredRecord() {
    StorageBackend second = second();
    Batch b = gen.batch("race", 1);
    commit(b);
    CallRecord c = b.call();
    List<Slot> otherOutputs = new ArrayList<>();
    for (Slot o : c.outputs()) {
      otherOutputs.add(new Slot(o.name(), gen.cid(), o.historyId()));   // another run, other bytes
    }
    CallRecord rival = new CallRecord(c.historyId(), c.contentId(), c.op(), c.version(), c.inputs(), otherOutputs);
    List<HistoryId> reported = new ArrayList<>();
    second.commit(Map.of(), List.of(rival), reported::add);
    // Reporting is allowed, not required; what is reported must be this call.
    assertTrue(reported.isEmpty() || reported.equals(List.of(c.historyId())),
        m("alreadyStored must report only the call that was stored already, got " + reported));
    second.refresh();
    assertEquals(c, second.call(c.historyId()), m("the stored record must win for the second user"));
    assertEquals(c, backend.call(c.historyId()), m("the stored record must win for the first user"));
    assertEquals(1, second.callCount(), m("callCount() after a second commit of one history id"));
  }

  /** The listener hears of the other user's deletions, and they are gone for it too. */
  @Test
  public void shared_listenerIsToldOfTheOthersDeletions() {
    StorageBackend second = second();
    List<Object> told = Collections.synchronizedList(new ArrayList<>());
    second.listen(ContractChecks.recorder(told));
    Batch b = gen.batch("listened", 2);
    commit(b);
    ContractChecks.soon(second::refresh);
    CallRecord c = b.calls().get(0);
    assertEquals(c, second.call(c.historyId()), m("the second user's call() before the deletion"));
    ContentId v = c.outputs().get(0).contentId();
    backend.deleteCall(c.historyId());
    backend.deleteValues(List.of(v));
    assertTrue(ContractChecks.soon(second::refresh),
        m("refresh() after another user deleted must report a change (within 5 s)"));
    ContractChecks.soon(() -> {
      second.refresh();
      return told.contains(c.historyId()) && told.contains(v);
    });
    assertTrue(told.contains(c.historyId()), m("listener not told callDeleted(" + c.historyId() + ") within 5 s, got " + told));
    assertTrue(told.contains(v), m("listener not told valueDeleted(" + v + ") within 5 s, got " + told));
    check.deleted(second, c, "for a second user after the other deleted it");
    assertFalse(second.containsValue(v), m("the second user's containsValue() of a value the other deleted"));
  }

  /** While one user is inside exclusive(), the other's commit waits until it leaves. */
  @Test
  public void shared_exclusiveSectionsExcludeEachOther() {
    StorageBackend second = second();
    Batch b = gen.batch("locked", 1);
    check.commitWaitsForExclusive(backend, second, b);
    backend.refresh();
    check.holds(backend, b, "the second user's commit after exclusive()");
  }

  /** A claim one user holds is refused to the other until released; wantClaimed reaches the holder. */
  @Test
  public void shared_claimsAreHeldByOneUserAtATime() {
    StorageBackend second = second();
    HistoryId h = gen.hid();
    assertFalse(backend.claimsWanted(), m("claimsWanted() before anyone asked"));
    assertTrue(backend.claim(h), m("first user's claim() of a new call"));
    assertFalse(second.claim(h), m("second user's claim() of a call the first holds"));
    assertTrue(backend.claim(h), m("the holder's claim() again"));
    assertTrue(backend.renewClaims(), m("renewClaims() of a holder must report that it holds claims"));
    assertFalse(second.renewClaims(), m("renewClaims() of a user that was refused must report none"));
    second.wantClaimed(h);
    assertTrue(ContractChecks.soon(backend::claimsWanted),
        m("claimsWanted() of the holder after the other called wantClaimed() (within 5 s)"));
    assertFalse(backend.claimsWanted(), m("claimsWanted() must reset once it returned true"));
    assertFalse(second.claim(h), m("second user's claim() while the first still holds it"));
    backend.releaseClaim(h);
    assertTrue(ContractChecks.soon(() -> second.claim(h)),
        m("second user's claim() after the first released it (within 5 s)"));
    assertFalse(backend.claim(h), m("first user's claim() of a call the second now holds"));
    second.releaseClaim(h);
  }

  /** Calls, values, provenance and deletions survive close and reopen, twice. */
  @Test
  public void reopen_keepsCallsValuesProvenanceAndDeletions() {
    Batch kept = gen.batch("durable", 5).with(gen.cid(), gen.bytes(1 << 20)).with(gen.cid(), new byte[0]);
    Batch gone = gen.batch("durable-gone", 1);
    commit(kept);
    commit(gone);
    CallRecord c = gone.call();
    ContentId deletedValue = c.outputs().get(0).contentId();
    ContentId keptValue = c.inputs().get(0).contentId();
    backend.deleteCall(c.historyId());
    backend.deleteValues(List.of(deletedValue));
    StorageBackend b = reopenBackend();
    check.holds(b, kept, "after reopen");
    check.provenance(b, kept, "after reopen");
    check.deleted(b, c, "a deleted call after reopen");
    assertFalse(b.ops().contains("durable-gone"), m("ops() after reopen lists the op of a deleted call"));
    assertFalse(b.containsValue(deletedValue), m("a deleted value after reopen"));
    assertArrayEquals(gone.values().get(keptValue), b.value(keptValue), m("a deleted call's input value after reopen"));
    assertEquals(5, b.callCount(), m("callCount() after reopen"));
    assertEquals(kept.values().size() + gone.values().size() - 1, b.valueCount(), m("valueCount() after reopen"));
    Batch more = gen.batch("durable", 3);
    commit(more);
    StorageBackend again = reopenBackend();
    check.holds(again, kept, "after a second reopen");
    check.holds(again, more, "calls committed after a reopen, after another");
    assertEquals(8, again.callCount(), m("callCount() after a second reopen"));
  }

  /** Everything committed before the process is killed is there for the next backend. */
  @Test
  public void abandon_everyCommittedCallAndValueSurvives() {
    List<Batch> batches = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      batches.add(gen.batch("crash", 50).with(gen.cid(), gen.bytes(i == 0 ? 1 << 20 : 700)));
      commit(batches.get(i));
    }
    StorageBackend live = backend;
    open.remove(live);   // killed, as far as the suite knows: the subclass releases it
    StorageBackend after = track(abandonAndOpen(live));
    if (after == null) {
      track(live);   // no crash hook: live is the suite's to close after all
    }
    assumeTrue(after != null, "abandonAndOpen() returns null: crash safety is not tested");
    backend = after;
    for (Batch b : batches) {
      check.holds(after, b, "after the committing backend was abandoned");
      check.provenance(after, b, "after the committing backend was abandoned");
    }
    assertEquals(200, after.callCount(), m("callCount() after the committing backend was abandoned"));
    Batch more = gen.batch("crash", 2);
    commit(more);
    check.holds(after, more, "a commit after the previous backend was abandoned");
  }

  /** Through Storage.of: an op called in two sessions runs once, and the second call retraces. */
  @Test
  public void storage_callInTwoSessionsRunsOnceAndRetraces() {
    AtomicInteger runs = new AtomicInteger();
    open.remove(backend);   // the storage closes it
    check.callThroughStorage(backend, ContractChecks.incOp(runs), Source.EXECUTED, true);
    assertEquals(1, runs.get(), m("the op ran again in a second session"));
  }

  /** Through Storage.of: a storage over the reopened backend retraces what one before it ran. */
  @Test
  public void storage_retracesOverAReopenedBackend() {
    AtomicInteger runs = new AtomicInteger();
    Op inc = ContractChecks.incOp(runs);
    open.remove(backend);   // the storage closes it
    HistoryId out = check.callThroughStorage(backend, inc, Source.EXECUTED, true);
    StorageBackend b = reopen(backend);
    assumeTrue(b != null, "reopen() returns null: the backend is not durable, so durability is not tested");
    backend = b;
    assertEquals(out, check.callThroughStorage(b, inc, Source.RETRACED, false),
        m("the output of a call retraced over a reopened backend"));
    assertEquals(1, runs.get(), m("the op ran again over a reopened backend"));
  }

  private void commit(Batch b) {
    backend.commit(b.values(), b.calls());
  }

  private StorageBackend track(StorageBackend b) {
    if (b != null) {
      open.push(b);
    }
    return b;
  }

  private StorageBackend second() {
    StorageBackend s = track(secondUser(backend));
    assumeTrue(s != null, "secondUser() returns null: the store is not shared, so sharing is not tested");
    return s;
  }

  /** Closes the backend under test and returns it reopened (the test is skipped if it cannot be). */
  private StorageBackend reopenBackend() {
    open.remove(backend);
    backend.close();
    StorageBackend b = reopen(backend);
    assumeTrue(b != null, "reopen() returns null: the backend is not durable, so durability is not tested");
    backend = track(b);
    return b;
  }

  private String m(String what) {
    return check.m(what);
  }
}
