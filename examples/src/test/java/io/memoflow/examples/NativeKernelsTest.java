package io.memoflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Native LAPACK calls cannot crash the JVM: OpenBLAS's threaded LU needs more stack than a
 * default JVM thread has, so without kernel threads {@link NativeKernelsChild} dies of SIGSEGV
 * on its first GESV. It runs in a child JVM (a default 1 MB stack, this class path) so that a
 * crash fails this test instead of killing the test runner. The child uses the native LAPACK
 * netlib finds (Debian: {@code libopenblas0}) or the one {@code MEMOFLOW_NATIVE_LAPACK} names
 * (a path to {@code liblapack.so.3}), else netlib's Java code, which cannot crash.
 */
class NativeKernelsTest {

  @Test
  void lapackFromMainAndReactorThreads_neverCrashesTheJvm() throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xss1m"); // the default, said aloud: the test must not depend on the runner's
    String lapack = System.getenv("MEMOFLOW_NATIVE_LAPACK");
    if (lapack != null && !lapack.isBlank()) {
      cmd.add("-Ddev.ludovic.netlib.lapack.nativeLibPath=" + lapack);
      cmd.add("-Ddev.ludovic.netlib.blas.nativeLibPath="
          + Path.of(lapack).resolveSibling("libblas.so.3"));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        NativeKernelsChild.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    boolean ended = p.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    System.out.println(out.lines().filter(l -> l.startsWith("lapack=")).findFirst().orElse(""));
    assertTrue(ended, "the child JVM did not finish in 5 minutes:\n" + out);
    assertEquals(0, p.exitValue(), "the child JVM died (139 is SIGSEGV):\n" + out);
    assertTrue(out.contains("\ndone"), out);
  }
}
