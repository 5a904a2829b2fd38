package io.memoflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged program as a user starts it, {@code java -jar memoflow.jar} with no JVM flags
 * (its manifest carries Chronicle Map's module options): it runs the demo, and after a
 * {@code kill -9} in the middle of one the next command says, in one memoflow log line, that
 * the store was recovered. Runs after {@code package} (Failsafe), since it needs the jar.
 */
class MemoflowJarIT {
  private static final Path JAR = Path.of("target", "memoflow.jar");

  @TempDir
  Path tmp;

  /** Output (standard output and error together) and exit code of one run. */
  record Outcome(int code, String out) {}

  private static ProcessBuilder program(String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        JAR.toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true);
  }

  private static Outcome run(String... args) throws Exception {
    Process p = program(args).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "memoflow " + String.join(" ", args) + " hung");
    return new Outcome(p.exitValue(), out);
  }

  @Test
  void jar_runsWithNoJvmFlags() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "run after package: " + JAR.toAbsolutePath());
    Path store = tmp.resolve("store");
    Outcome demo = run("demo", "--store", store.toString(), "--seeds", "1", "--lambdas", "0.1,1");
    assertEquals(0, demo.code(), demo.out());
    assertFalse(demo.out().contains("JVM options"), demo.out());
    assertFalse(demo.out().contains("No SLF4J providers"), demo.out());
    Outcome show = run("show", "--store", store.toString());
    assertEquals(0, show.code(), show.out());
    assertTrue(show.out().contains("ridge_fit"), show.out());
  }

  @Test
  void openAfterKill_logsOneRecoveryLine() throws Exception {
    Path store = tmp.resolve("store");
    Process demo = program("demo", "--store", store.toString(), "--seeds", "50").start();
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
      // The demo opens the store before it prints its first result line: kill it then.
      String line;
      do {
        line = r.readLine();
      } while (line != null && !line.contains("seed"));
      assertTrue(line != null, "the demo ended before printing a result");
    } finally {
      demo.destroyForcibly();
      demo.waitFor(30, TimeUnit.SECONDS);
    }
    Outcome show = run("show", "--store", store.toString());
    assertEquals(0, show.code(), show.out());
    long recoveryLines = show.out().lines().filter(l -> l.contains("was not closed cleanly")).count();
    assertEquals(1, recoveryLines, show.out());
    assertTrue(show.out().contains("recovered"), show.out());
    assertFalse(show.out().contains("net.openhft"), "Chronicle's own warnings are not shown:\n"
        + show.out());
  }

  @Test
  void ctrlC_saysHowManyPointsAreStored_andClosesTheStoreCleanly() throws Exception {
    Path store = tmp.resolve("store");
    Process demo = program("demo", "--store", store.toString(), "--seeds", "60", "--rows", "300",
        "--features", "200").start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = r.readLine();
        out.append(line).append('\n');
      } while (line != null && !line.contains("seed=2 "));
      assertTrue(line != null, "the demo ended before its second seed:\n" + out);
      // Ctrl-C in a terminal sends SIGINT to the program.
      assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor());
      while ((line = r.readLine()) != null) {
        out.append(line).append('\n');
      }
    } finally {
      if (!demo.waitFor(60, TimeUnit.SECONDS)) {
        demo.destroyForcibly();
      }
    }
    assertEquals(130, demo.exitValue(), out.toString());
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("interrupted: (\\d+) of 300 points stored; run again to resume.\n").matcher(out);
    assertTrue(m.find(), out.toString());
    int stored = Integer.parseInt(m.group(1));
    assertTrue(stored > 0 && stored < 300, out.toString());
    Outcome show = run("show", "--store", store.toString());
    assertEquals(0, show.code(), show.out());
    assertFalse(show.out().contains("not closed cleanly"), show.out());
    assertTrue(show.out().matches("(?s).*\n    score +" + stored + "\n.*"),
        out + "\n" + show.out());
  }
}
