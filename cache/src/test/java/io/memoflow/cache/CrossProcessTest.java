package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second JVM on the same store: sharing committed calls, locking, crashes, JVM options. */
class CrossProcessTest {
  @TempDir
  Path tmp;

  private final AtomicInteger runs = new AtomicInteger();
  private final Op inc = Op.of("inc", (Integer x) -> {
    runs.incrementAndGet();
    return x + 1;
  });

  private static Process start(boolean withJvmOptions, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (withJvmOptions) {
      for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (a.startsWith("--add-") || a.startsWith("-D") || a.startsWith("-Xmx")) {
          cmd.add(a);
        }
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(StoreWorker.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private static String run(String... args) throws Exception {
    Process p = start(true, args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return out;
  }

  @Test
  void twoProcesses_seeEachOthersCommittedCalls() throws Exception {
    Path dir = tmp.resolve("store");
    assertTrue(run("write", dir.toString(), "0", "100").contains("written 100"));
    try (Storage s = Storage.open(dir); Session session = s.session()) {
      for (int i = 0; i < 100; i++) {
        assertEquals(CallResult.Source.RETRACED, session.callPositional(inc, i).source());
      }
      for (int i = 100; i < 150; i++) {
        inc.call(i);
      }
    }
    assertEquals(50, runs.get());
    assertTrue(run("retrace", dir.toString(), "0", "150").contains("executed 0"));
  }

  @Test
  void reuseByContent_worksAcrossProcesses() throws Exception {
    Path dir = tmp.resolve("store");
    assertTrue(run("write", dir.toString(), "2", "1").contains("written 1"));
    try (Storage s = Storage.open(dir); Session session = s.session()) {
      Ref<Integer> two = inc.call(1);
      assertEquals(CallResult.Source.REUSED, session.callPositional(inc, two).source());
    }
    assertEquals(1, runs.get());
  }

  @Test
  void open_storeLockedByAnotherProcessNamesIt() throws Exception {
    Path dir = tmp.resolve("store");
    Process holder = start(true, "hold", dir.toString());
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null && !line.equals("open")) {
        // skip the child's log lines
      }
      assertEquals("open", line);
      StorageException e = org.junit.jupiter.api.Assertions.assertThrows(StorageException.class, () -> Storage.open(dir));
      assertTrue(e.getMessage().contains("is locked by process " + holder.pid()), e.getMessage());
    } finally {
      holder.getOutputStream().close();
      holder.waitFor(30, TimeUnit.SECONDS);
    }
    try (Storage s = Storage.open(dir)) {
      assertEquals(0, s.stats().calls());
    }
  }

  @Test
  void open_afterKillDuringWritesRecoversEveryCommittedCall() throws Exception {
    Path dir = tmp.resolve("store");
    Process writer = start(true, "loop", dir.toString());
    int committed = -1;
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("committed ")) {
          committed = Integer.parseInt(line.substring(10));
          if (committed >= 5) {
            break;
          }
        }
      }
    } finally {
      writer.destroyForcibly();
      writer.waitFor(30, TimeUnit.SECONDS);
    }
    assertTrue(committed >= 5, "writer reported " + committed);
    try (Storage s = Storage.open(dir); Session session = s.session(SessionMode.NO_NEW_CALLS)) {
      for (int i = 0; i < (committed + 1) * 50; i++) {
        assertEquals(i + 1, inc.<Integer>call(i).value());
      }
    }
    assertEquals(0, runs.get());
  }

  @Test
  void open_withoutJvmOptionsFailsFastListingThem() throws Exception {
    Process p = start(false, "write", tmp.resolve("store").toString(), "0", "1");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    assertTrue(out.contains("error: Persistent storage needs Chronicle Map's JVM options"), out);
    assertTrue(out.contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), out);
  }
}
