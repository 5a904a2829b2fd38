package io.memoflow.bench;

import io.memoflow.cache.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Issue 4, with {@link CacheBenchmark}'s trivial op {@code inc} and its fill, retrace and reopen
 * code, on one thread: new calls on in-memory and persistent storage (committed every 10,000
 * calls), retrace hits, per-call growth from 10,000 calls, reopening a store of a million calls,
 * and bytes on disk per call. Quick mode grows in-memory storage to 100,000 calls and persistent
 * storage to 1,000,000 (the store the reopen and disk figures need); full mode takes both through
 * 10,000, 100,000 and 1,000,000.
 */
final class CacheFigures implements FigureGroup {
  static final int SMALL = 10_000;
  static final int LARGE = 1_000_000;
  private static final String GROWTH = "< 2x the per-call cost at " + SMALL;

  @Override
  public String prefix() {
    return "cache.";
  }

  @Override
  public void measure(ReportOptions o, Consumer<Figure> out) throws Exception {
    int[] all = {SMALL, 100_000, LARGE};
    int[] memorySizes = o.full() ? all : new int[] {SMALL, 100_000};
    int[] fileSizes = o.full() ? all : new int[] {SMALL, LARGE};
    Path tmp = Files.createTempDirectory("memoflow-report");
    try {
      warmUp(tmp, o.pick(3, 6));
      double small = 0;
      for (int size : o.wantsAny("cache.newCall.inMemory", "cache.retraceHit", "cache.growth.inMemory")
          ? memorySizes : new int[0]) {
        double us = inMemory(o, size, out);
        small = size == SMALL ? us : small;
        if (size != SMALL) {
          out.accept(Figure.of("cache.growth.inMemory", us / small, "x", size).target(GROWTH, us / small < 2));
        }
      }
      small = 0;
      for (int size : o.wantsAny("cache.newCall.persistent", "cache.growth.persistent", "cache.reopen",
          "cache.bytesOnDisk") ? fileSizes : new int[0]) {
        double us = persistent(o, tmp, size, out);
        small = size == SMALL ? us : small;
        if (size != SMALL) {
          out.accept(Figure.of("cache.growth.persistent", us / small, "x", size).target(GROWTH, us / small < 2));
        }
      }
    } finally {
      CacheBenchmark.deleteTree(tmp);
    }
  }

  /** Fills a fresh in-memory store, then retraces every call in it; returns us per new call. */
  private static double inMemory(ReportOptions o, int size, Consumer<Figure> out) throws Exception {
    int reps = size == SMALL ? o.pick(5, 15) : 1;
    Storage[] kept = new Storage[1];
    Measure.Sample fill = Measure.bestTrial(0, reps, () -> {
      if (kept[0] != null) {
        kept[0].close();
      }
      Storage s = Storage.inMemory();
      kept[0] = s;
      return Measure.timed(() -> CacheBenchmark.fill(s, size));
    });
    double us = fill.costNanos() / 1e3 / size;
    out.accept(Figure.of("cache.newCall.inMemory", us, "us/call", size)
        .target("<= 20 us", us <= 20).with("wallUsPerCall", fill.wallNanos() / 1e3 / size)
        .with("gcUsPerCall", fill.gcNanos() / 1e3 / size));
    try (Storage s = kept[0]) {
      // Settle the fill's garbage first: a young collection during the retrace would otherwise
      // copy the freshly filled store, charging the fill's cost to the retrace.
      System.gc();
      int times = size == SMALL ? 3 : 1;
      long calls = (long) times * size;
      Measure.Sample hit = Measure.best(0, reps, () -> CacheBenchmark.retrace(s, size, times));
      double hitUs = hit.costNanos() / 1e3 / calls;
      out.accept(Figure.of("cache.retraceHit", hitUs, "us/call", size)
          .target("<= 2 us", hitUs <= 2).with("wallUsPerCall", hit.wallNanos() / 1e3 / calls)
          .with("gcUsPerCall", hit.gcNanos() / 1e3 / calls));
    }
    return us;
  }

  /**
   * Fills a fresh persistent store in batches of 10,000 calls; at a million calls also reopens
   * it and measures its size on disk. Returns us per new call.
   */
  private static double persistent(ReportOptions o, Path tmp, int size, Consumer<Figure> out) throws Exception {
    int reps = size == SMALL ? o.pick(5, 15) : 1;
    Path[] dir = new Path[1];
    int[] shot = {0};
    Measure.Sample file = Measure.bestTrial(0, reps, () -> {
      if (dir[0] != null) {
        CacheBenchmark.deleteTree(dir[0]);
      }
      dir[0] = tmp.resolve("store-" + size + "-" + shot[0]++);
      try (Storage s = Storage.open(dir[0])) {
        return Measure.timed(() -> CacheBenchmark.fill(s, size));
      }
    });
    double us = file.costNanos() / 1e3 / size;
    out.accept(Figure.of("cache.newCall.persistent", us, "us/call", size)
        .target("<= 50 us amortized (commits every 10,000 calls)", us <= 50)
        .with("wallUsPerCall", file.wallNanos() / 1e3 / size));
    Path store = dir[0];
    if (size == LARGE) {
      Measure.Sample open = Measure.best(0, o.pick(2, 5),
          () -> Measure.keep(CacheBenchmark.reopenAndRetraceOne(store, size)));
      double ms = open.costNanos() / 1e6;
      out.accept(Figure.of("cache.reopen", ms, "ms", size)
          .target("< 2000 ms (open the store and retrace one call)", ms < 2000)
          .with("wallMs", open.wallNanos() / 1e6));
      long bytes = Measure.diskBytes(store);
      double perCall = (double) bytes / size;
      out.accept(Figure.of("cache.bytesOnDisk", perCall, "bytes/call", size)
          .target("<= 300 bytes", perCall <= 300).with("bytes", bytes));
    }
    CacheBenchmark.deleteTree(store);
    return us;
  }

  private static void warmUp(Path tmp, int rounds) {
    for (int i = 0; i < rounds; i++) {
      try (Storage s = Storage.inMemory()) {
        CacheBenchmark.fill(s, SMALL);
        CacheBenchmark.retrace(s, SMALL, 2);
      }
      Path dir = tmp.resolve("warm-" + i);
      try (Storage s = Storage.open(dir)) {
        CacheBenchmark.fill(s, SMALL);
      }
      CacheBenchmark.reopenAndRetraceOne(dir, SMALL);
      CacheBenchmark.deleteTree(dir);
    }
  }
}
