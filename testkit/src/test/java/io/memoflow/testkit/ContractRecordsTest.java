package io.memoflow.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.internal.Ids;
import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.dag.Digest;
import org.junit.jupiter.api.Test;

/**
 * The contract's records must obey the identity rules as the storage computes them: the kit
 * restates them through public API (its main code may not use cache.internal), so this catches
 * a drift.
 */
class ContractRecordsTest {
  @Test
  void callIds_followTheStoragesIdentityRules() {
    ContractRecords gen = new ContractRecords(42);
    int raw = 0;
    int inputs = 0;
    for (int i = 0; i < 50; i++) {
      CallRecord c = gen.call("op" + i % 3);
      Digest.Hasher h = Ids.callHistory(c.op(), c.version());
      Digest.Hasher k = Ids.callContent(c.op(), c.version());
      for (CallRecord.Slot s : c.inputs()) {
        h.add(s.name()).add(s.historyId().toDigest());
        k.add(s.name()).add(s.contentId().toDigest());
        inputs++;
        if (s.historyId().equals(HistoryId.from(Ids.rawHistory(s.contentId().toDigest())))) {
          raw++;
        }
      }
      assertEquals(HistoryId.from(h.digest()), c.historyId(), "call history id of " + c);
      assertEquals(ContentId.from(k.digest()), c.contentId(), "call content id of " + c);
      for (CallRecord.Slot o : c.outputs()) {
        assertEquals(HistoryId.from(Ids.outputHistory(c.historyId().toDigest(), o.name())), o.historyId(),
            "history id of output " + o.name() + " of " + c);
      }
    }
    assertTrue(raw > inputs / 5 && raw < inputs * 4 / 5,
        "about half the inputs should be raw values, so both record forms are stored: " + raw + " of " + inputs);
  }
}
