package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples of VERSIONING.md, compiled and run. */
class VersioningDocExamplesTest {
  // --- VERSIONING.md: "Tracked helpers and ops inside ops"
  static final Fn1<Double, Double> SMOOTH = Tracked.fn("smooth", (Double x) -> Math.tanh(x));
  static final Op SCORE = Op.of("score", (Double x) -> x > 0 ? SMOOTH.apply(x) : 0.0);

  // --- VERSIONING.md: "Explicit labels"
  static final Op TRAIN = Op.builder("train").version("3").inputs("data")
      .function(a -> ((List<?>) a[0]).size()).build();

  @Test
  void quickStart() {
    try (Storage storage = Storage.inMemory()) {
      try (Session s = storage.session()) {
        Ref<Double> r = SCORE.call(0.5);       // executes, records that SMOOTH ran
        Ref<Double> z = SCORE.call(-1.0);      // executes, SMOOTH not involved
        assertEquals(Math.tanh(0.5), r.value());
        assertEquals(0.0, z.value());
      }
      assertTrue(SCORE.version().startsWith("code:"));
      assertEquals("3", TRAIN.version());

      // --- VERSIONING.md: "Inspecting versions"
      VersionHistory versions = VersionHistory.of(storage);
      for (OpVersion v : versions.list(SCORE)) {
        System.out.println(v);       // score 3fa2c1d09b7e first seen ..., 2 calls, current
      }
      List<Call> stale = versions.staleCalls(SCORE);   // nothing: the code has not changed
      assertEquals(List.of(), stale);
      assertEquals(2, versions.current(SCORE).calls());
      String listing = SCORE.codeVersion().orElseThrow().listing();
      assertTrue(listing.contains("INVOKEINTERFACE io/memoflow/cache/Fn1.apply"), listing);
    }
  }
}
