package io.memoflow.bench;

import io.memoflow.cache.Op;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import io.memoflow.cache.StorageOptions;
import io.memoflow.cache.frame.ComputationFrame;
import io.memoflow.cache.frame.FrameTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Computation frames over a two-op pipeline {@code dbl(inc(x))}: {@code calls} stored calls
 * ({@code calls / 2} of each op). One operation creates the frame of {@code inc}, grows it to
 * the full graph (finding the {@code dbl} calls) and evaluates the table (values stay unloaded,
 * as the table loads them lazily). {@code backend} is {@code memory} ({@link Storage#inMemory()})
 * or {@code disk} ({@link Storage#open}, Chronicle Map files, page cache warm after setup).
 *
 * <p>Run (with Chronicle Map's JVM options, from their argument file):
 * <pre>
 * java @cache/src/main/resources/META-INF/memoflow/jvm.options -jar bench/target/benchmarks.jar FrameBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FrameBenchmark {
  static final Op INC = Op.of("inc", (Integer x) -> x + 1);
  static final Op DBL = Op.of("dbl", (Integer x) -> 2 * x);

  @Param({"10000", "100000"})
  public int calls;

  @Param({"memory", "disk"})
  public String backend;

  private Storage storage;
  private Path dir;

  @Setup
  public void fill() throws IOException {
    if (backend.equals("disk")) {
      dir = Files.createTempDirectory("frame-bench");
      storage = Storage.open(dir, StorageOptions.defaults().initialEntries(4L * calls));
    } else {
      storage = Storage.inMemory();
    }
    int n = calls / 2;
    for (int start = 0; start < n; start += 10_000) {
      try (Session s = storage.session()) {
        for (int x = start; x < Math.min(n, start + 10_000); x++) {
          Ref<Integer> y = INC.call(x);
          DBL.call(y);
        }
      }
    }
  }

  @TearDown
  public void close() {
    storage.close();
    if (dir != null) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Creates the frame of {@code inc}, grows it to the full graph and evaluates its table. */
  @Benchmark
  public int createGrowEvaluate() {
    FrameTable t = ComputationFrame.of(storage, INC).grow().toTable();
    if (t.size() != calls / 2) {
      throw new IllegalStateException("expected " + calls / 2 + " rows, got " + t.size());
    }
    return t.size();
  }
}
