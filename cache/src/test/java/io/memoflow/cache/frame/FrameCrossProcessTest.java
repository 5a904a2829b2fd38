package io.memoflow.cache.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Op;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames over a persistent store written by one JVM and read by another. */
class FrameCrossProcessTest {
  @TempDir
  Path tmp;

  private final Op inc = Op.of("inc", (Integer x) -> x + 1);
  private final Op add = Op.of("add", (Integer x, Integer y) -> x + y);

  private void write(Storage storage) {
    try (Session s = storage.session()) {
      for (int x = 0; x < 5; x++) {
        Ref<Integer> y = inc.call(x);
        if (x % 2 == 0) {
          add.call(x, y);
        }
      }
    }
  }

  private static String runWorker(Path dir) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-D") || a.startsWith("-Xmx")) {
        cmd.add(a);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(FrameWorker.class.getName());
    cmd.add(dir.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return out;
  }

  /**
   * The header and data lines of the worker's CSV, each call written {@code inc@V} or
   * {@code add@V} when it carries exactly the version this process stored it under (the ops
   * have no label, so that is their code version) and a full history id.
   */
  private List<String> dataLines(String out) {
    String incAt = Pattern.quote("inc@" + inc.version() + ":") + "[0-9a-f]{32}";
    String addAt = Pattern.quote("add@" + add.version() + ":") + "[0-9a-f]{32}";
    List<String> lines = new ArrayList<>();
    for (String l : out.split("\n")) {
      if (l.startsWith("x0,") || l.matches("\\d,inc@.*")) {
        lines.add(l.replaceAll(incAt, "inc@V").replaceAll(addAt, "add@V"));
      }
    }
    return lines;
  }

  @Test
  void frame_inAnotherProcess_seesTheCallsThisOneCommitted() throws Exception {
    Path dir = tmp.resolve("store");
    try (Storage storage = Storage.open(dir)) {
      write(storage);
    }
    String out = runWorker(dir);
    assertEquals(List.of(
        "x0,inc,output_0,add,output_0_1",
        "0,inc@V,1,add@V,1",
        "1,inc@V,2,,",
        "2,inc@V,3,add@V,5",
        "3,inc@V,4,,",
        "4,inc@V,5,add@V,9"), dataLines(out), out);
    assertTrue(out.contains("output_0 = inc(x0)\noutput_0_1 = add(x0, output_0)\n"), out);
  }

  @Test
  void frame_overReopenedStore_deletesAndTheOtherProcessSeesTheDeletion() throws Exception {
    Path dir = tmp.resolve("store");
    try (Storage storage = Storage.open(dir)) {
      write(storage);
    }
    try (Storage storage = Storage.open(dir)) {
      ComputationFrame cf = ComputationFrame.of(storage, inc).grow();
      assertEquals(5, cf.toTable().size());
      ComputationFrame.Deletion d = cf.whereValue("x0", x -> (Integer) x == 4).delete();
      assertEquals(2, d.calls());
      assertEquals(4, ComputationFrame.of(storage, inc).grow().toTable().size());
    }
    String out = runWorker(dir);
    assertEquals(5, dataLines(out).size(), out);
    assertTrue(dataLines(out).stream().noneMatch(l -> l.startsWith("4,")), out);
  }
}
