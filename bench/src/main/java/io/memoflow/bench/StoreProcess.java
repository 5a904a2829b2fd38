package io.memoflow.bench;

import io.memoflow.cache.CallResult;
import io.memoflow.cache.Op;
import io.memoflow.cache.Session;
import io.memoflow.cache.SessionMode;
import io.memoflow.cache.Storage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The other JVMs of {@link StoreFigures}: a cold open, a cold reopen, or one sweeper of a grid
 * shared with other processes. Prints one line {@code result <number>}. Not a benchmark itself.
 */
public final class StoreProcess {
  /** A step of a sweep that costs 2 ms, as a model fit would cost more. */
  static final Op STEP = Op.builder("step").version("1").inputs("x").function(a -> {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return (Integer) a[0] * 3;
  }).build();

  private StoreProcess() {}

  /** Usage: {@code open DIR | reopen DIR SIZE | sweep DIR POINTS SEED}. */
  public static void main(String[] args) {
    Path dir = Path.of(args[1]);
    long t0 = System.nanoTime();
    switch (args[0]) {
      case "open" -> {
        try (Storage s = Storage.open(dir)) {
          Measure.keep(s.stats());
        }
        System.out.println("result " + (System.nanoTime() - t0) / 1e6);
      }
      case "reopen" -> {
        Measure.keep(CacheBenchmark.reopenAndRetraceOne(dir, Integer.parseInt(args[2])));
        System.out.println("result " + (System.nanoTime() - t0) / 1e6);
      }
      case "sweep" -> {
        List<Integer> points = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
          points.add(i);
        }
        Collections.shuffle(points, new Random(Long.parseLong(args[3])));
        int executed = 0;
        try (Storage s = Storage.open(dir); Session session = s.session()) {
          for (int x : points) {
            if (session.callPositional(STEP, x).source() == CallResult.Source.EXECUTED) {
              executed++;
            }
          }
        }
        System.out.println("result " + executed);
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  /** Starts {@code StoreProcess args} in a new JVM with this JVM's module options and classpath. */
  static Process start(String... args) throws IOException {
    return start(List.of(), args);
  }

  /** Like {@link #start(String...)}, with more JVM options. */
  static Process start(List<String> jvmOptions, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-Dchronicle")) {
        cmd.add(a);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(StoreProcess.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  /** Waits for a process started by {@link #start} and returns its result. */
  static double result(Process p) throws IOException, InterruptedException {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("store process did not finish: " + out);
    }
    for (String line : out.split("\n")) {
      if (line.startsWith("result ")) {
        return Double.parseDouble(line.substring(7).trim());
      }
    }
    throw new IllegalStateException("store process gave no result: " + out);
  }

  /** Looks a stored call of the sweep up, so a caller can check what the sweepers stored. */
  static int stored(Storage s, int x) {
    try (Session session = s.session(SessionMode.NO_NEW_CALLS)) {
      return STEP.<Integer>call(x).value();
    }
  }
}
