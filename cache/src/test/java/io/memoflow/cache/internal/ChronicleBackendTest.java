package io.memoflow.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.memoflow.cache.ContentId;
import io.memoflow.cache.HistoryId;
import io.memoflow.cache.spi.CallRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChronicleBackendTest {
  @TempDir Path tmp;

  /** A stored call of {@code inc(x)} with its real ids (the backend derives the content id). */
  private static CallRecord incCall(int x) {
    byte[] in = Codec.encode(x);
    ContentId inCid = ContentId.from(Codec.contentId(in));
    HistoryId inHid = HistoryId.from(Ids.rawHistory(inCid.toDigest()));
    HistoryId hid = HistoryId.from(Ids.callHistory("inc", "1").add("x0").add(inHid.toDigest()).digest());
    ContentId cid = ContentId.from(Ids.callContent("inc", "1").add("x0").add(inCid.toDigest()).digest());
    ContentId outCid = ContentId.from(Codec.contentId(Codec.encode(x + 1)));
    HistoryId outHid = HistoryId.from(Ids.outputHistory(hid.toDigest(), "output_0"));
    return new CallRecord(hid, cid, "inc", "1", List.of(new CallRecord.Slot("x0", inCid, inHid)),
        List.of(new CallRecord.Slot("output_0", outCid, outHid)));
  }

  @Test
  void callByContent_keyHoldsHalfTheIdAndAHitIsVerified() {
    CallRecord c = incCall(1);
    try (ChronicleBackend b = ChronicleBackend.open(tmp.resolve("store"), 1024)) {
      b.commit(Map.of(), List.of(c));
      assertEquals(c.historyId(), b.callByContent(c.contentId()));
      // Same first 64 bits (the index key), different content id: not this call.
      assertNull(b.callByContent(new ContentId(c.contentId().hi(), ~c.contentId().lo())));
      assertEquals(c, b.call(c.historyId()));
    }
  }

  @Test
  void provenance_isDerivedFromTheCallRecordsAfterReopen() {
    CallRecord c = incCall(5);
    try (ChronicleBackend b = ChronicleBackend.open(tmp.resolve("store"), 1024)) {
      b.commit(Map.of(), List.of(c));
    }
    try (ChronicleBackend b = ChronicleBackend.open(tmp.resolve("store"), 1024)) {
      assertEquals(c.historyId(), b.creator(c.outputs().get(0).historyId()));
      assertEquals(List.of(c.historyId()), b.consumers(c.inputs().get(0).historyId()));
      assertEquals(List.of(c.historyId()), b.callsOf("inc"));
      b.deleteCall(c.historyId());
      assertEquals(List.of(), b.callsOf("inc"));
      assertNull(b.callByContent(c.contentId()));
    }
  }
}
