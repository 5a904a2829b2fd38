package io.memoflow.bench;

import io.memoflow.cache.Op;
import io.memoflow.cache.Session;
import io.memoflow.cache.SessionMode;
import io.memoflow.cache.Storage;
import io.memoflow.cache.StorageOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Memoization cost of a trivial op ({@code inc}), single-threaded.
 *
 * <ul>
 *   <li>{@code newCallInMemory}, {@code newCallPersistent}: a call never seen before (executed and
 *       stored), sessions of {@code batch} calls, the commit at each session close included;
 *   <li>{@code retraceHit}: a call already stored (found by history id, nothing runs);
 *   <li>{@code fillPersistent}, {@code fillInMemory}: {@code size} new calls into a fresh store,
 *       reported per call, so growth from 10k to 1M shows;
 *   <li>{@code reopen}: opening a store of {@code size} calls and retracing one call.
 * </ul>
 *
 * <p>Run (with Chronicle Map's JVM options, from their argument file):
 * <pre>
 * java @cache/src/main/resources/META-INF/memoflow/jvm.options -jar bench/target/benchmarks.jar CacheBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
public class CacheBenchmark {
  static final Op INC = Op.of("inc", (Integer x) -> x + 1);

  static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A storage with an open session that is closed (committed) every {@code batch} calls. */
  @State(Scope.Thread)
  public static class NewCalls {
    @Param({"1000"})
    public int batch;

    Storage memory;
    Storage persistent;
    Path dir;
    Session memSession;
    Session fileSession;
    int next;
    int inBatchMem;
    int inBatchFile;

    @Setup(Level.Iteration)
    public void setUp() throws IOException {
      dir = Files.createTempDirectory("memoflow-bench");
      memory = Storage.inMemory();
      persistent = Storage.open(dir.resolve("store"), StorageOptions.defaults().initialEntries(1 << 20));
    }

    @TearDown(Level.Iteration)
    public void tearDown() {
      if (memSession != null) {
        memSession.close();
        memSession = null;
      }
      if (fileSession != null) {
        fileSession.close();
        fileSession = null;
      }
      memory.close();
      persistent.close();
      deleteTree(dir);
    }
  }

  /** Measures a new call on in-memory storage (sessions of {@code batch} calls). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Object newCallInMemory(NewCalls st) {
    if (st.memSession == null) {
      st.memSession = st.memory.session();
    }
    Object r = INC.call(st.next++);
    if (++st.inBatchMem == st.batch) {
      st.memSession.close();
      st.memSession = null;
      st.inBatchMem = 0;
    }
    return r;
  }

  /** Measures a new call on persistent storage, committed durably every {@code batch} calls. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Object newCallPersistent(NewCalls st) {
    if (st.fileSession == null) {
      st.fileSession = st.persistent.session();
    }
    Object r = INC.call(st.next++);
    if (++st.inBatchFile == st.batch) {
      st.fileSession.close();
      st.fileSession = null;
      st.inBatchFile = 0;
    }
    return r;
  }

  /** A storage holding {@code inc(0 .. 9999)} and an open session. */
  @State(Scope.Thread)
  public static class Stored {
    Storage storage;
    Session session;
    int i;

    @Setup(Level.Trial)
    public void setUp() {
      storage = Storage.inMemory();
      try (Session s = storage.session()) {
        for (int k = 0; k < 10_000; k++) {
          INC.call(k);
        }
      }
      session = storage.session(SessionMode.NO_NEW_CALLS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      session.close();
      storage.close();
    }
  }

  /** Measures a retrace hit: the call is stored, nothing runs. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Object retraceHit(Stored st) {
    int k = st.i++;
    if (st.i == 10_000) {
      st.i = 0;
    }
    return INC.call(k);
  }

  /** A fresh directory per shot, for filling a store of {@code size} calls. */
  @State(Scope.Thread)
  public static class Fill {
    @Param({"10000", "100000", "1000000"})
    public int size;

    Path dir;

    @Setup(Level.Invocation)
    public void setUp() throws IOException {
      dir = Files.createTempDirectory("memoflow-fill");
    }

    @TearDown(Level.Invocation)
    public void tearDown() {
      deleteTree(dir);
    }
  }

  static void fill(Storage storage, int size) {
    for (int start = 0; start < size; start += 10_000) {
      try (Session s = storage.session()) {
        for (int i = start; i < Math.min(size, start + 10_000); i++) {
          INC.call(i);
        }
      }
    }
  }

  /** Retraces {@code inc(0 .. size-1)}, {@code times} times, in a session that allows no new calls. */
  static void retrace(Storage storage, int size, int times) {
    try (Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
      for (int k = 0; k < times; k++) {
        for (int i = 0; i < size; i++) {
          INC.call(i);
        }
      }
    }
  }

  /** Opens the store in {@code dir} holding {@code inc(0 .. size-1)} and retraces the last call. */
  static Object reopenAndRetraceOne(Path dir, int size) {
    try (Storage storage = Storage.open(dir);
        Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
      return INC.call(size - 1).value();
    }
  }

  /** Fills a fresh persistent store with {@code size} new calls; divide by size for per-call cost. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long fillPersistent(Fill st) {
    try (Storage storage = Storage.open(st.dir.resolve("store"))) {
      fill(storage, st.size);
      return storage.stats().calls();
    }
  }

  /** Fills a fresh in-memory store with {@code size} new calls; divide by size for per-call cost. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long fillInMemory(Fill st) {
    try (Storage storage = Storage.inMemory()) {
      fill(storage, st.size);
      return storage.stats().calls();
    }
  }

  /** A persistent store of {@code size} calls, built once and kept in {@code target/}. */
  @State(Scope.Benchmark)
  public static class Big {
    @Param({"1000000"})
    public int size;

    Path dir;

    @Setup(Level.Trial)
    public void setUp() {
      dir = Path.of(System.getProperty("memoflow.bench.dir", "target"), "bench-store-" + size);
      if (!Files.exists(dir.resolve("clean"))) {
        deleteTree(dir);
        try (Storage storage = Storage.open(dir)) {
          fill(storage, size);
        }
      }
    }
  }

  /** Opens a store of {@code size} calls and retraces one call. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Object reopen(Big st) {
    return reopenAndRetraceOne(st.dir, st.size);
  }
}
