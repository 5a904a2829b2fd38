package io.memoflow.bench;

import io.memoflow.cache.Fn1;
import io.memoflow.cache.Op;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import io.memoflow.cache.version.CodeVersion;
import io.memoflow.cache.version.CodeVersions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
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
 * What code versioning costs.
 *
 * <ul>
 *   <li>{@code firstVersion}: the first code version of an op in a process: {@link
 *       VersionedOps} is loaded in a fresh class loader and its lambda versioned (bytecode read
 *       and hashed), for {@code ops} = {@code SMALL} (one method) and {@code CHAIN} (eleven);
 *       {@code loadOnly} is the same without versioning, to subtract;
 *   <li>{@code cachedCodeVersion}, {@code cachedOpVersion}: asking again (per lambda class in
 *       {@link CodeVersions}, per op in {@link Op#version()});
 *   <li>{@code retraceCodeVersioned} vs {@code retraceLabelled}: a retrace hit of a stored call
 *       of an op versioned by code, and of the same op with an explicit label (no code hashing),
 *       in a storage of {@code size} calls.
 * </ul>
 *
 * <p>Run (with Chronicle Map's JVM options, from their argument file):
 * <pre>
 * java @cache/src/main/resources/META-INF/memoflow/jvm.options -jar bench/target/benchmarks.jar VersioningBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
public class VersioningBenchmark {

  /** Loads {@link VersionedOps} afresh; everything else comes from the parent. */
  static final class FreshLoader extends ClassLoader {
    private static final String NAME = VersionedOps.class.getName();

    FreshLoader() {
      super(VersioningBenchmark.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (!name.equals(NAME)) {
          return super.loadClass(name, resolve);
        }
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            byte[] b = in.readAllBytes();
            c = defineClass(name, b, 0, b.length);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return c;
      }
    }
  }

  /** Which op body to version. */
  @State(Scope.Thread)
  public static class Fresh {
    @Param({"SMALL", "CHAIN"})
    public String ops;

    Object load() throws ReflectiveOperationException {
      return new FreshLoader().loadClass(FreshLoader.NAME).getField(ops).get(null);
    }
  }

  /** Versions an op's code the first time in its class loader. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public CodeVersion firstVersion(Fresh st) throws ReflectiveOperationException {
    return CodeVersions.of(st.load());
  }

  /** The same as {@link #firstVersion} without versioning: class loading and lambda linkage. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Object loadOnly(Fresh st) throws ReflectiveOperationException {
    return st.load();
  }

  /** Ops already versioned once. */
  @State(Scope.Thread)
  public static class Seen {
    Fn1<Integer, Integer> fn = VersionedOps.CHAIN;
    Op op = Op.of("chain", VersionedOps.CHAIN);

    @Setup(Level.Trial)
    public void setUp() {
      CodeVersions.of(fn);
      op.version();
    }
  }

  /** Asks {@link CodeVersions} again for a lambda it has versioned. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public CodeVersion cachedCodeVersion(Seen st) {
    return CodeVersions.of(st.fn);
  }

  /** Asks an op for its version again. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public String cachedOpVersion(Seen st) {
    return st.op.version();
  }

  /** A storage holding {@code size} calls of each op, with an open session. */
  @State(Scope.Thread)
  public static class Stored {
    @Param({"10000", "100000"})
    public int size;

    static final Op VERSIONED = Op.of("inc", (Integer x) -> x + 1);
    static final Op LABELLED = Op.builder("inc").version("1").inputs("x0")
        .function(a -> (Integer) a[0] + 1).build();

    Storage storage;
    Session session;
    int i;

    @Setup(Level.Trial)
    public void fill() {
      storage = Storage.inMemory();
      try (Session s = storage.session()) {
        for (int k = 0; k < size; k++) {
          VERSIONED.call(k);
          LABELLED.call(k);
        }
      }
    }

    @Setup(Level.Iteration)
    public void open() {
      session = storage.session();
    }

    @TearDown(Level.Iteration)
    public void closeSession() {
      session.close();
    }

    @TearDown(Level.Trial)
    public void close() {
      storage.close();
    }

    int next() {
      int k = i++;
      if (i == size) {
        i = 0;
      }
      return k;
    }
  }

  /** A retrace hit of an op versioned by code. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Object retraceCodeVersioned(Stored st) {
    return Stored.VERSIONED.call(st.next());
  }

  /** A retrace hit of the same op with an explicit label: the unversioned figure. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Object retraceLabelled(Stored st) {
    return Stored.LABELLED.call(st.next());
  }
}
