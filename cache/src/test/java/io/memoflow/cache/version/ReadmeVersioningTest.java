package io.memoflow.cache.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Fn1;
import io.memoflow.cache.Op;
import io.memoflow.cache.OpVersion;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import io.memoflow.cache.Tracked;
import io.memoflow.cache.VersionHistory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The snippets of cache/VERSIONING.md, line for line (ReadmeSnippetsTest in examples holds the
 * document to this file), each followed by the check of what its comment says. An earlier build
 * of {@code score} is played by another op of the same name with other code.
 */
class ReadmeVersioningTest {
  static final Fn1<Double, Double> SMOOTH = Tracked.fn("smooth", (Double x) -> Math.tanh(x));
  static final Op SCORE = Op.of("score", (Double x) -> x > 0 ? SMOOTH.apply(x) : 0.0);
  static final Op TRAIN = Op.builder("train").version("3").inputs("data")
      .function(a -> ((List<?>) a[0]).size()).build();
  /** A model chosen at run time (VERSIONING.md, "Implementations chosen at run time"). */
  interface Model {
    double fit(double x);
  }

  static final class Linear implements Model {
    @Override
    public double fit(double x) {
      return 2 * x;
    }
  }

  static final class Square implements Model {
    @Override
    public double fit(double x) {
      return x * x;
    }
  }

  static final Map<String, Model> MODELS = Map.of(
      "linear", Tracked.of(Model.class, new Linear()),
      "square", Tracked.of(Model.class, new Square()));
  static final Op FIT = Op.builder("fit").inputs("model", "x")
      .function(a -> MODELS.get((String) a[0]).fit((Double) a[1])).build();

  @Test
  void implementationsChosenAtRunTime() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      io.memoflow.cache.Call linear = FIT.invoke("linear", 3.0);
      io.memoflow.cache.Call square = FIT.invoke("square", 3.0);
      assertEquals(6.0, linear.output("output_0").value());
      assertTrue(linear.version().contains(io.memoflow.cache.Call.DEPS_SEPARATOR), linear.version());
      assertFalse(linear.version().equals(square.version()), "each call records the implementation it ran");
    }
  }

  /** {@code score} as an earlier build had it. */
  static final Op EARLIER_SCORE = Op.of("score", (Double x) -> x > 0 ? x : 0.0);

  @Test
  void codeVersionsAndLabels() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Ref<Double> r = SCORE.call(0.5);    // executes
      assertEquals(Math.tanh(0.5), r.value());
    }
    SCORE.version();                      // "code:30020eb9950b..." (hex of its code version)
    assertTrue(SCORE.version().matches("code:[0-9a-f]{12,}"), SCORE.version());
    assertEquals("3", TRAIN.version());
  }

  @Test
  void historyAndRefactors() {
    try (Storage storage = Storage.inMemory()) {
      try (Session s = storage.session()) {
        EARLIER_SCORE.call(0.5);
        EARLIER_SCORE.call(2.0);
      }
      String old = EARLIER_SCORE.codeVersion().orElseThrow().hex().substring(0, 6);
      String now = SCORE.codeVersion().orElseThrow().hex().substring(0, 6);
      try (Session s = storage.session()) {
        SCORE.call(0.5);
      }
      PrintStream stdout = System.out;
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      try {
        VersionHistory versions = VersionHistory.of(storage);
        for (OpVersion v : versions.list(SCORE)) {
          System.out.println(v);   // score 30020eb9950b first seen 2026-11-21T10:46:56Z, 2 calls, current
        }
        versions.current(SCORE);                 // the OpVersion of the code loaded now
        assertTrue(versions.current(SCORE).current());
        versions.staleCalls(SCORE);              // stored calls the current code would not retrace
        assertEquals(2, versions.staleCalls(SCORE).size());
        versions.calls(SCORE, old);              // the calls of one version (code hex prefix, version, label)
        assertEquals(2, versions.calls(SCORE, old).size());
        versions.diff(SCORE);                    // previous -> current, disassembled bytecode
        assertFalse(versions.diff(SCORE).isEmpty());
        versions.diff(SCORE, old, now);          // between two versions (hex prefixes)
        assertEquals(versions.diff(SCORE), versions.diff(SCORE, old, now));
        SCORE.codeVersion().orElseThrow().listing();   // everything that was hashed
        assertFalse(SCORE.codeVersion().orElseThrow().listing().isEmpty());

        // The earlier build's two calls become valid; the one call made under the current code's
        // own version before the declaration is the stale one now.
        versions.markRefactor(SCORE);            // current code == the previous code version
        assertEquals(1, versions.staleCalls(SCORE).size());
        assertEquals(2, versions.calls(SCORE, old).size());
        versions.markRefactor(SCORE, old);       // current code == that code version (hex prefix, as "30020e")
        assertEquals(1, versions.staleCalls(SCORE).size());
      } finally {
        System.setOut(stdout);
      }
      String text = printed.toString(StandardCharsets.UTF_8);
      assertTrue(text.matches("(?s).*score [0-9a-f]{12} first seen \\S+, 2 calls\n.*"), text);
      assertTrue(text.matches("(?s).*score [0-9a-f]{12} first seen \\S+, 1 call, current\n.*"), text);
    }
  }
}
