package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claims on new calls across processes: processes sweeping one grid on one store execute each
 * point once; a call whose holder was killed, or stopped past its lease, is taken over.
 */
class ClaimsAcrossProcessesTest {
  @TempDir
  Path tmp;

  private static Process worker(long leaseMillis, String... args) throws IOException {
    return StoreWorker.start(true, List.of("-Dmemoflow.test.leaseMillis=" + leaseMillis), args);
  }

  /** The worker's "executed N" line (other lines are its log), after it exits. */
  private static int executed(Process p) throws Exception {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
    for (String line : out.split("\n")) {
      if (line.startsWith("executed ")) {
        return Integer.parseInt(line.substring(9).trim());
      }
    }
    throw new AssertionError("no result from worker: " + out);
  }

  private void sweepWith(int processes, int points) throws Exception {
    Path dir = tmp.resolve("store");
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      ps.add(worker(10_000, "sweep", dir.toString(), Integer.toString(points), Integer.toString(i)));
    }
    int total = 0;
    for (Process p : ps) {
      total += executed(p);
    }
    assertEquals(points, total, processes + " processes executed each point once in all");
    try (Storage s = Storage.open(dir); Session session = s.session(SessionMode.NO_NEW_CALLS)) {
      assertEquals(points, s.calls("slow").size());
      for (int x = 0; x < points; x += 37) {
        assertEquals(2 * x, StoreWorker.SLOW.<Integer>call(x).value());
      }
    }
  }

  @Test
  void twoProcessesSweepingOneGrid_executeEachPointOnce() throws Exception {
    sweepWith(2, 400);
  }

  @Test
  void fourProcessesSweepingOneGrid_executeEachPointOnce() throws Exception {
    sweepWith(4, 400);
  }

  /** A worker that claimed slow(-1) and hangs in it, with the given lease. */
  private Process hanging(Path dir, long leaseMillis) throws Exception {
    Process p = worker(leaseMillis, "serve", dir.toString());
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    var in = new java.io.PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
    for (String line; (line = out.readLine()) != null && !line.equals("open"); ) {
      // log lines
    }
    in.println("hang -1");
    for (String line; (line = out.readLine()) != null && !line.equals("executed hanging"); ) {
      // log lines
    }
    return p;
  }

  /** slow(-1) made in this process: it waits for the hanging holder, then runs here. */
  private static CompletableFuture<Integer> callHere(Storage s) {
    return CompletableFuture.supplyAsync(() -> {
      try (Session session = s.session()) {
        CallResult r = session.callPositional(StoreWorker.SLOW_TAKEOVER, -1);
        assertEquals(CallResult.Source.EXECUTED, r.source());
        return r.call().<Integer>output("output_0").value();
      }
    });
  }

  @Test
  void aHolderKilledWhileRunning_hasItsClaimTakenOver() throws Exception {
    Path dir = tmp.resolve("store");
    try (Storage s = Storage.open(dir, StorageOptions.defaults())) {
      Process holder = hanging(dir, 60_000);
      CompletableFuture<Integer> here = callHere(s);
      Thread.sleep(1000);
      assertFalse(here.isDone(), "waits while the holder lives");
      holder.destroyForcibly().waitFor();
      assertEquals(-2, here.get(10, TimeUnit.SECONDS), "taken over once the holder is gone");
    }
  }

  @Test
  void aHolderStoppedPastItsLease_hasItsClaimTakenOver() throws Exception {
    Path dir = tmp.resolve("store");
    try (Storage s = Storage.open(dir, StorageOptions.defaults())) {
      Process holder = hanging(dir, 1_000);
      try {
        new ProcessBuilder("kill", "-STOP", Long.toString(holder.pid())).start().waitFor();
        CompletableFuture<Integer> here = callHere(s);
        assertEquals(-2, here.get(15, TimeUnit.SECONDS), "taken over when the lease expired");
      } finally {
        holder.destroyForcibly().waitFor();
      }
    }
  }
}
