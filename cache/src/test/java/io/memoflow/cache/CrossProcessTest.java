package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Other JVMs on the same store, one after another and at once: sharing, deletion, crashes, JVM options. */
class CrossProcessTest {
  @TempDir
  Path tmp;

  private final AtomicInteger runs = new AtomicInteger();
  // Same op as StoreWorker.INC though the code differs (it counts): the explicit label says
  // so; code versioning would tell the two apart ([versioning]).
  private final Op inc = Op.builder("inc").version("1").inputs("x0").function(a -> {
    runs.incrementAndGet();
    return (Integer) a[0] + 1;
  }).build();

  private static Process start(boolean withJvmOptions, String... args) throws IOException {
    return StoreWorker.start(withJvmOptions, List.of(), args);
  }

  private static String run(String... args) throws Exception {
    Process p = start(true, args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return out;
  }

  /** A live {@code StoreWorker serve} process: send it a command, read its answer. */
  private static final class Peer implements AutoCloseable {
    final Process process;
    private final BufferedReader out;
    private final java.io.PrintWriter in;

    Peer(Path dir) throws IOException {
      process = start(true, "serve", dir.toString());
      out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      in = new java.io.PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
      assertEquals("open", answer());
    }

    /** Skips the child's log lines; returns its next answer line. */
    String answer() throws IOException {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.matches("(open|written|executed|deleted|calls|error|unknown).*")) {
          return line;
        }
      }
      throw new AssertionError("peer exited: " + process.exitValue());
    }

    String ask(String command) throws IOException {
      in.println(command);
      return answer();
    }

    @Override
    public void close() throws Exception {
      in.println("quit");
      in.close();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS));
      process.destroyForcibly();
    }
  }

  @Test
  void twoLiveProcesses_interleaveCommitsAndRetraces() throws Exception {
    Path dir = tmp.resolve("store");
    try (Storage s = Storage.open(dir); Peer peer = new Peer(dir)) {
      assertEquals("written 100", peer.ask("write 0 100"));
      try (Session session = s.session()) {
        for (int i = 0; i < 100; i++) {
          assertEquals(CallResult.Source.RETRACED, session.callPositional(inc, i).source());
        }
      }
      assertEquals(100, s.calls("inc").size(), "provenance built after the peer's commit");
      try (Session session = s.session()) {
        for (int i = 100; i < 150; i++) {
          inc.call(i);
        }
      }
      assertEquals("executed 0", peer.ask("retrace 0 150"));
      assertEquals("calls 150", peer.ask("calls"));
      assertEquals("written 50", peer.ask("write 150 50"));
      assertEquals(200, s.calls("inc").size(), "provenance built before the peer's commit sees it");
      assertEquals(200, s.stats().calls());
      try (Session session = s.session(SessionMode.NO_NEW_CALLS)) {
        assertEquals(200, inc.<Integer>call(199).value());
      }
      // Reuse by content of a call the peer committed while this process was open.
      try (Session session = s.session()) {
        assertEquals(CallResult.Source.REUSED, session.callPositional(inc, inc.call(150)).source());
      }
    }
    assertEquals(50, runs.get());
    try (Storage s = Storage.open(dir)) {
      assertEquals(201, s.stats().calls());
    }
  }

  @Test
  void twoLiveProcesses_makingTheSameNewCallsStoreEachOnce() throws Exception {
    Path dir = tmp.resolve("store");
    try (Storage s = Storage.open(dir); Peer peer = new Peer(dir)) {
      Thread other = new Thread(() -> {
        try {
          assertTrue(peer.ask("write 0 300").startsWith("written "));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      other.start();
      for (int batch = 0; batch < 6; batch++) {
        try (Session session = s.session()) {
          for (int i = batch * 50; i < batch * 50 + 50; i++) {
            inc.call(i);
          }
        }
      }
      other.join(60_000);
      assertEquals(300, s.stats().calls(), "one call record per call, whoever executed it");
      assertEquals(300, s.calls("inc").size());
      assertEquals("calls 300", peer.ask("calls"));
      assertEquals("executed 0", peer.ask("retrace 0 300"));
    }
    try (Storage s = Storage.open(dir); Session session = s.session(SessionMode.NO_NEW_CALLS)) {
      assertEquals(300, s.stats().calls());
      assertEquals(300, s.stats().values() - 1, "values 0..300, each stored once");
      for (int i = 0; i < 300; i++) {
        assertEquals(i + 1, inc.<Integer>call(i).value());
      }
    }
  }

  @Test
  void deletionByOneProcess_isNotResurrectedByTheOthersCaches() throws Exception {
    Path dir = tmp.resolve("store");
    try (Storage s = Storage.open(dir); Peer peer = new Peer(dir)) {
      // inc(x) for even x, and inc(inc(x)) (its input is odd, so no call shares content).
      try (Session session = s.session()) {
        for (int i = 0; i < 20; i += 2) {
          inc.call(inc.call(i));
        }
      }
      // The peer caches the calls and builds provenance; then this process deletes some.
      assertEquals("executed 0", peer.ask("retrace 0 1"));
      assertEquals("executed 0", peer.ask("retrace 4 1"));
      assertEquals("calls 20", peer.ask("calls"));
      Call four;
      try (Session session = s.session(SessionMode.NO_NEW_CALLS)) {
        four = inc.invoke(4);
      }
      assertEquals(2, s.delete(four, true), "inc(4) and inc(inc(4))");
      assertEquals("calls 18", peer.ask("calls"));
      assertEquals("executed 1", peer.ask("retrace 4 1"), "the peer's cache must not retrace inc(4)");
      // And the other way round: the peer deletes, this process's cache forgets.
      try (Session session = s.session()) {
        assertEquals(CallResult.Source.RETRACED, session.callPositional(inc, 8).source());
      }
      assertEquals(19, s.calls("inc").size(), "the peer's re-executed inc(4) is listed");
      assertEquals("deleted 2", peer.ask("delete 8"));
      try (Session session = s.session()) {
        assertEquals(CallResult.Source.EXECUTED, session.callPositional(inc, 8).source());
      }
      assertEquals(18, s.calls("inc").size());
    }
  }

  @Test
  void killOfOneProcess_letsTheOtherContinueAndTheNextOpenRecovers() throws Exception {
    Path dir = tmp.resolve("store");
    int committed = -1;
    try (Storage s = Storage.open(dir)) {
      Process writer = start(true, "loop", dir.toString(), "20");
      try {
        BufferedReader r = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith("committed ")) {
            committed = Integer.parseInt(line.substring(10));
            if (committed == 1) {
              try (Session session = s.session()) {
                for (int i = 10_000; i < 10_050; i++) {
                  inc.call(i);
                }
              }
            }
            if (committed >= 4) {
              break;
            }
          }
        }
      } finally {
        writer.destroyForcibly();
        writer.waitFor(30, TimeUnit.SECONDS);
      }
      assertTrue(committed >= 4, "writer reported " + committed);
      // The killed process holds nothing any more: this one keeps committing and retracing.
      try (Session session = s.session()) {
        for (int i = 20_000; i < 20_050; i++) {
          inc.call(i);
        }
      }
      try (Session session = s.session(SessionMode.NO_NEW_CALLS)) {
        for (int i = 0; i < (committed + 1) * 50; i++) {
          assertEquals(i + 1, inc.<Integer>call(i).value());
        }
      }
      // A third process opens while this one is live: it must not recover under this one.
      assertTrue(run("retrace", dir.toString(), "20000", "50").contains("executed 0"));
    }
    assertEquals(100, runs.get());
    io.memoflow.cache.internal.ChronicleBackend b = io.memoflow.cache.internal.ChronicleBackend.open(dir, 1024);
    assertTrue(b.recovered(), "the killed process's marker makes the next lone open recover");
    try (Storage s = Storage.of(b, StorageOptions.defaults());
         Session session = s.session(SessionMode.NO_NEW_CALLS)) {
      for (int i = 0; i < (committed + 1) * 50; i++) {
        assertEquals(i + 1, inc.<Integer>call(i).value());
      }
      assertEquals(20_050, inc.<Integer>call(20_049).value());
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
