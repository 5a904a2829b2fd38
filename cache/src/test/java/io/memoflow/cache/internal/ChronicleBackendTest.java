package io.memoflow.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
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
  void manySegments_findEveryCallThroughTheirKeyFiltersAfterReopen() throws Exception {
    Path dir = tmp.resolve("store");
    try (ChronicleBackend b = ChronicleBackend.open(dir, 16)) {
      for (int batch = 0; batch < 10; batch++) {
        java.util.List<CallRecord> cs = new java.util.ArrayList<>();
        for (int x = batch * 40; x < batch * 40 + 40; x++) {
          cs.add(incCall(x));
        }
        b.commit(Map.of(), cs);
      }
    }
    // 400 calls in files of 16, 32, 64, 128, 256 entries: the first four are sealed.
    assertTrue(java.nio.file.Files.exists(dir.resolve("calls.3.filter")));
    assertFalse(java.nio.file.Files.exists(dir.resolve("calls.4.filter")));
    // A lost or damaged filter is rebuilt from its segment.
    java.nio.file.Files.delete(dir.resolve("calls.1.filter"));
    java.nio.file.Files.write(dir.resolve("calls.2.filter"), new byte[] {1, 2, 3});
    for (int open = 0; open < 2; open++) {
      try (ChronicleBackend b = ChronicleBackend.open(dir, 16)) {
        assertEquals(400, b.callCount());
        for (int x = 0; x < 400; x++) {
          CallRecord c = incCall(x);
          assertEquals(c, b.call(c.historyId()), "inc(" + x + ")");
          assertEquals(c.historyId(), b.callByContent(c.contentId()));
        }
        for (int x = 400; x < 500; x++) {
          assertNull(b.call(incCall(x).historyId()));
        }
        // Stored again: still one record each.
        b.commit(Map.of(), List.of(incCall(3), incCall(300)));
        assertEquals(400, b.callCount());
      }
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
