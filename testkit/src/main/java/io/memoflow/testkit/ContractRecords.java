package io.memoflow.testkit;

import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.CallRecord.Slot;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.dag.Digest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/*
 * The synthetic records BackendContract commits. Value content ids and the refs a call reads are
 * random 128-bit values: a backend stores values by id and never hashes their bytes (the storage
 * in front checks bytes against their content id), and random ids make each value and ref
 * distinct with overwhelming probability. A call's own ids obey the identity rules, as every
 * record the storage commits does (HistoryId's javadoc, ARCHITECTURE.md "Identity"), because a
 * backend may store only what they do not determine: the Chronicle backend keeps neither a
 * call's content id nor its outputs' history ids, and derives them when it reads the record.
 *   call hid    = H("call-history", op, version, {input name, input hid}...)
 *   call cid    = H("call-content", op, version, {input name, input cid}...)
 *   output hid  = H("output", call hid, output name)
 *   raw hid     = H("raw", cid)        (half the inputs are raw, half outputs of other calls)
 */
/** Random call records and values for {@link BackendContract}, from one seed. Not thread-safe. */
final class ContractRecords {
  private final Random rnd;

  ContractRecords(long seed) {
    this.rnd = new Random(seed);
  }

  /** Calls and the bytes of every value they read or write, committed together. */
  record Batch(Map<ContentId, byte[]> values, List<CallRecord> calls) {
    Batch {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
      calls = List.copyOf(calls);
    }

    /** The only call of a one-call batch. */
    CallRecord call() {
      if (calls.size() != 1) {
        throw new IllegalStateException("batch holds " + calls.size() + " calls");
      }
      return calls.get(0);
    }

    /** This batch with one more value. */
    Batch with(ContentId id, byte[] bytes) {
      Map<ContentId, byte[]> v = new LinkedHashMap<>(values);
      v.put(id, bytes);
      return new Batch(v, calls);
    }
  }

  ContentId cid() {
    return new ContentId(rnd.nextLong(), rnd.nextLong());
  }

  HistoryId hid() {
    return new HistoryId(rnd.nextLong(), rnd.nextLong());
  }

  /** A ref read by a call: a raw value or, as often, an output of some other call. */
  Slot slot(String name) {
    ContentId c = cid();
    HistoryId h = rnd.nextBoolean() ? HistoryId.from(Digest.hasher("raw").add(c.toDigest()).digest()) : hid();
    return new Slot(name, c, h);
  }

  byte[] bytes(int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  /** A call of {@code op} at {@code version} reading {@code inputs}, with {@code outputs} new outputs. */
  CallRecord call(String op, String version, List<Slot> inputs, int outputs) {
    Digest.Hasher byHistory = Digest.hasher("call-history").add(op).add(version);
    Digest.Hasher byContent = Digest.hasher("call-content").add(op).add(version);
    for (Slot s : inputs) {
      byHistory.add(s.name()).add(s.historyId().toDigest());
      byContent.add(s.name()).add(s.contentId().toDigest());
    }
    HistoryId hid = HistoryId.from(byHistory.digest());
    List<Slot> out = new ArrayList<>();
    for (int i = 0; i < outputs; i++) {
      out.add(output(hid, "output_" + i, cid()));
    }
    return new CallRecord(hid, ContentId.from(byContent.digest()), op, version, inputs, out);
  }

  /** The output {@code name} of the call {@code call}, holding the value {@code value}. */
  private static Slot output(HistoryId call, String name, ContentId value) {
    return new Slot(name, value, HistoryId.from(Digest.hasher("output").add(call.toDigest()).add(name).digest()));
  }

  /** A call of {@code op} (version 1 or 2) with one to three new inputs and one or two outputs. */
  CallRecord call(String op) {
    List<Slot> in = new ArrayList<>();
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      in.add(slot("x" + i));
    }
    return call(op, rnd.nextBoolean() ? "1" : "2", in, 1 + rnd.nextInt(2));
  }

  /** {@code n} calls of {@code op} with bytes (0 to 96 of them) for every value they touch. */
  Batch batch(String op, int n) {
    List<CallRecord> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(call(op));
    }
    return batchOf(calls);
  }

  /** {@code calls} with random bytes for every input and output value they name. */
  Batch batchOf(Collection<CallRecord> calls) {
    Map<ContentId, byte[]> values = new LinkedHashMap<>();
    for (CallRecord c : calls) {
      for (Slot s : slots(c)) {
        values.computeIfAbsent(s.contentId(), k -> bytes(rnd.nextInt(97)));
      }
    }
    return new Batch(values, List.copyOf(calls));
  }

  /** The call's inputs, then its outputs. */
  static List<Slot> slots(CallRecord c) {
    List<Slot> all = new ArrayList<>(c.inputs());
    all.addAll(c.outputs());
    return all;
  }
}
