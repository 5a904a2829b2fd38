package io.memoflow.bench;

import io.memoflow.cache.Session;
import io.memoflow.cache.SessionMode;
import io.memoflow.cache.Storage;
import io.memoflow.cache.StorageOptions;
import io.memoflow.dag.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Issue 16, a store to trust: what verified reads cost beside a retrace from disk, opening in a
 * new JVM (an empty store, and a store of a million calls), and how many calls processes
 * sweeping one grid together execute twice. The other JVMs are {@link StoreProcess}.
 */
final class StoreFigures implements FigureGroup {
  private static final int SMALL = 10_000;
  private static final int LARGE = 1_000_000;
  private static final int GRID = 2_000;

  @Override
  public String prefix() {
    return "store.";
  }

  @Override
  public void measure(ReportOptions o, Consumer<Figure> out) throws Exception {
    Path tmp = Files.createTempDirectory("memoflow-store-report");
    try {
      if (o.wantsAny("store.coldOpen", "store.coldOpen.cds")) {
        coldOpen(o, tmp, out);
      }
      for (int size : new int[] {SMALL, LARGE}) {
        if (!o.wantsAny("store.verifiedRead", "store.reopenCold")) {
          break;
        }
        Path dir = tmp.resolve("filled-" + size);
        try (Storage s = Storage.open(dir, StorageOptions.defaults().initialEntries(Math.max(1 << 16, size / 8)))) {
          CacheBenchmark.fill(s, size);
        }
        verifiedRead(o, dir, size, out);
        if (size == LARGE && o.wantsAny("store.reopenCold")) {
          double best = Double.MAX_VALUE;
          for (int i = 0; i < o.pick(2, 3); i++) {
            best = Math.min(best, StoreProcess.result(StoreProcess.start("reopen", dir.toString(), Integer.toString(size))));
          }
          out.accept(Figure.of("store.reopenCold", best, "ms", size)
              .target("<= 1000 ms (a new JVM opens the store and retraces one call)", best <= 1000));
        }
        CacheBenchmark.deleteTree(dir);
      }
      for (int processes : new int[] {2, 4}) {
        if (o.wantsAny("store.duplicates")) {
          duplicates(tmp.resolve("grid-" + processes), processes, out);
        }
      }
    } finally {
      CacheBenchmark.deleteTree(tmp);
    }
  }

  /**
   * Opens and closes a new store in a new JVM, plain and with a class-data archive of the
   * classes an open loads (as the launcher runs the program), alternately.
   */
  private static void coldOpen(ReportOptions o, Path tmp, Consumer<Figure> out) throws Exception {
    Path jsa = tmp.resolve("open.jsa");
    StoreProcess.result(StoreProcess.start(List.of("-XX:ArchiveClassesAtExit=" + jsa, "-Xlog:cds=off",
        "-Xlog:cds+dynamic=off"), "open", tmp.resolve("training").toString()));
    List<String> cds = List.of("-XX:SharedArchiveFile=" + jsa, "-Xshare:auto", "-Xlog:cds=off");
    double plain = Double.MAX_VALUE;
    double archived = Double.MAX_VALUE;
    for (int i = 0; i < o.pick(3, 5); i++) {
      plain = Math.min(plain, StoreProcess.result(StoreProcess.start("open", tmp.resolve("plain-" + i).toString())));
      archived = Math.min(archived, StoreProcess.result(StoreProcess.start(cds, "open",
          tmp.resolve("cds-" + i).toString())));
    }
    out.accept(Figure.of("store.coldOpen", plain, "ms", "empty")
        .target("<= 300 ms (open and close a new store in a new JVM)", plain <= 300));
    out.accept(Figure.of("store.coldOpen.cds", archived, "ms", "empty")
        .target("<= 300 ms (the same with a class-data archive, as the launcher runs)", archived <= 300)
        .with("ratioToPlain", archived / plain));
  }

  /**
   * Retraces 10,000 calls of a reopened store with a cache too small to hold them (each lookup and
   * value read goes to disk), and hashes the same values' bytes as a read verifies them: the
   * ratio is what verification adds to a retrace from disk.
   */
  private static void verifiedRead(ReportOptions o, Path dir, int size, Consumer<Figure> out) {
    int n = SMALL;
    int stride = size / n;
    List<byte[]> bytes = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      // The canonical bytes of the Integer each call output (Codec's form: ["i",n]).
      bytes.add(("[\"i\"," + (k * stride + 1) + "]").getBytes(StandardCharsets.US_ASCII));
    }
    try (Storage s = Storage.open(dir, StorageOptions.defaults().cacheBytes(0))) {
      Measure.Sample read = Measure.best(1, o.pick(3, 7), () -> {
        long sum = 0;
        try (Session session = s.session(SessionMode.NO_NEW_CALLS)) {
          for (int k = 0; k < n; k++) {
            sum += CacheBenchmark.INC.<Integer>call(k * stride).value();
          }
        }
        Measure.keep(sum);
      });
      Measure.Sample hash = Measure.best(1, o.pick(3, 7), () -> {
        long sum = 0;
        for (byte[] b : bytes) {
          sum += Digest.of("value", b).lo();   // the hash a read checks the bytes against
        }
        Measure.keep(sum);
      });
      double readUs = read.costNanos() / 1e3 / n;
      double share = 100.0 * hash.costNanos() / read.costNanos();
      out.accept(Figure.of("store.verifiedRead", share, "%", size)
          .target("<= 10 % of a retrace from disk", share <= 10)
          .with("retraceFromDiskUsPerCall", readUs)
          .with("verifyUsPerValue", hash.costNanos() / 1e3 / n));
    }
  }

  private static void duplicates(Path dir, int processes, Consumer<Figure> out) throws Exception {
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      ps.add(StoreProcess.start("sweep", dir.toString(), Integer.toString(GRID), Integer.toString(i)));
    }
    double executed = 0;
    for (Process p : ps) {
      executed += StoreProcess.result(p);
    }
    try (Storage s = Storage.open(dir)) {
      if (s.calls("step").size() != GRID || StoreProcess.stored(s, GRID - 1) != 3 * (GRID - 1)) {
        throw new IllegalStateException("the sweepers did not store the grid");
      }
    }
    double pct = 100.0 * (executed - GRID) / GRID;
    out.accept(Figure.of("store.duplicates", pct, "%", processes + " processes x " + GRID + " points")
        .target("<= 0.1 % of points executed twice", pct <= 0.1)
        .with("executed", executed));
  }
}
