package io.memoflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Storage;
import io.memoflow.cache.frame.ComputationFrame;
import io.memoflow.matrix.Matrix;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The ridge kernel against the textbook formula, and the study on an in-memory store. */
class RidgeStudyTest {

  @Test
  void kernel_matchesClosedForm() {
    int n = 12;
    int p = 4;
    List<double[]> data = RidgeStudy.generate(5, n, p);
    double lambda = 0.7;
    double[] beta = RidgeStudy.kernel(n, p).fit(data.get(0), data.get(1), lambda);
    Matrix x = Matrix.of(n, p, data.get(0));
    Matrix y = Matrix.of(n, 1, data.get(1));
    Matrix expected = x.transpose().times(x).plus(Matrix.identity(p).scale(lambda)).inverse()
        .times(x.transpose()).times(y);
    assertTrue(Matrix.of(p, 1, beta).relativeError(expected) < 1e-10);
    assertEquals(List.of("SYRK", "GEMM", "POSV"), RidgeStudy.kernel(n, p).cover().routines());
    assertTrue(RidgeStudy.kernel(n, p).plan().peakBytes()
        < RidgeStudy.kernel(n, p).plan().oneBufferPerValueBytes());
  }

  @Test
  void run_secondRunIsAllHits() {
    RidgeStudy.Config config = new RidgeStudy.Config(List.of(0.5, 5.0), 2, 15, 4, 2);
    StringWriter text = new StringWriter();
    try (Storage storage = Storage.inMemory()) {
      RidgeStudy.Summary first = RidgeStudy.run(storage, config, new PrintWriter(text, true), false);
      assertEquals(4, first.points());
      assertEquals(2 + 4 + 4, first.computed());     // one generate per seed, a fit and a score per point
      assertEquals(2, first.hits());
      RidgeStudy.Summary second = RidgeStudy.run(storage, config, new PrintWriter(text, true), false);
      assertTrue(second.allHits());
      assertEquals(12, second.hits());
      assertEquals(first.results(), second.results());
    }
  }

  @Test
  void stop_countsThePointsInTheStore_includingEarlierRuns() {
    try (Storage storage = Storage.inMemory()) {
      RidgeStudy.run(storage, new RidgeStudy.Config(List.of(0.5, 5.0), 2, 15, 4, 2),
          new PrintWriter(new StringWriter(), true), false);
      StringWriter text = new StringWriter();
      RidgeStudy.run(storage, new RidgeStudy.Config(List.of(0.5, 5.0), 4, 15, 4, 2),
          new PrintWriter(text, true), false, Mono.just("stop"));
      Matcher m = Pattern.compile("interrupted: (\\d+) of 8 points stored; run again to resume.")
          .matcher(text.toString());
      assertTrue(m.find(), text.toString());
      int said = Integer.parseInt(m.group(1));
      // Whatever was running when the stop came is stored too, and the message counts it.
      assertEquals(ComputationFrame.ofOp(storage, "score").toTable().rows().size(), said, text.toString());
      assertTrue(said >= 4, text.toString());
    }
  }

  @Test
  void config_rejectsBadGrid() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RidgeStudy.Config(List.of(1.0), 1, 3, 5, 1));
    assertTrue(e.getMessage().contains("--rows 3 is below --features 5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RidgeStudy.Config(List.of(0.0), 1, 5, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> new RidgeStudy.Config(List.of(1.0, 1.0), 1, 5, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> new RidgeStudy.Config(List.of(1.0), 0, 5, 2, 1));
  }
}
