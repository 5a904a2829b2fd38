package io.memoflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memoflow program end to end: the demo twice on a temporary store (the second run all hits),
 * then every inspection command, then the errors and their exit codes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MemoflowCliTest {
  private static final String[] GRID = {"--lambdas", "0.1,1,10", "--seeds", "2", "--rows", "20", "--features", "5"};

  @TempDir
  static Path tmp;
  private Path store;
  private String firstDemo;
  private String secondDemo;

  /** Output, error text and exit code of one run. */
  record Outcome(int code, String out, String err) {}

  static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = MemoflowCli.commandLine(false);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  private String[] demoArgs() {
    return demoArgs(store);
  }

  private static String[] demoArgs(Path dir) {
    List<String> a = new ArrayList<>(List.of("demo", "--store", dir.toString()));
    a.addAll(List.of(GRID));
    return a.toArray(new String[0]);
  }

  @BeforeAll
  void demoTwice() {
    store = tmp.resolve("store");
    Outcome first = run(demoArgs());
    assertEquals(0, first.code(), first.err());
    firstDemo = first.out();
    Outcome second = run(demoArgs());
    assertEquals(0, second.code(), second.err());
    secondDemo = second.out();
  }

  @Test
  @Order(1)
  void demo_firstRunComputesAndStreamsEveryPoint() {
    assertTrue(firstDemo.contains("SYRK -> GEMM -> POSV"), firstDemo);
    assertTrue(firstDemo.contains("planned 3 steps"), firstDemo);
    for (String label : List.of("seed=1 lambda=0.1", "seed=2 lambda=10")) {
      assertTrue(firstDemo.contains(label), firstDemo);
    }
    assertTrue(firstDemo.matches("(?s).*6/6 points   nodes: 14 computed \\(#\\), 4 hits \\(=\\)   \\d+:\\d\\d elapsed\n.*"), firstDemo);
    assertFalse(firstDemo.contains("\033") || firstDemo.contains("\r"), "a non-terminal gets plain lines");
    assertTrue(firstDemo.contains("computed generate, ridge_fit, score"), firstDemo);
    assertFalse(firstDemo.contains("All 6 points were hits"), firstDemo);
    assertTrue(firstDemo.contains("Stored results (computation frame grown backward from 'score')"), firstDemo);
    assertEquals(6, tableRows(firstDemo));
  }

  @Test
  @Order(2)
  void demo_secondRunIsAllHitsAndSaysSo() {
    assertTrue(secondDemo.contains("All 6 points were hits: nothing was computed"), secondDemo);
    assertTrue(secondDemo.contains("nodes: 0 computed (#), 18 hits (=)"), secondDemo);
    assertFalse(secondDemo.contains("computed ridge_fit"), secondDemo);
    assertEquals(tableOf(firstDemo), tableOf(secondDemo));
  }

  @Test
  @Order(3)
  void show_printsCountsPerOp() {
    Outcome o = run("show", "--store", store.toString(), "--op", "other");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("calls    14"), o.out());
    assertTrue(o.out().matches("(?s).*generate\\s+2\n.*ridge_fit\\s+6\n.*score\\s+6\n.*other\\s+0\n.*"), o.out());
    assertTrue(o.out().matches("(?s).*files    \\d+: [0-9.]+ [KM]iB on disk, [0-9.]+ MiB apparent size.*"), o.out());
    Outcome json = run("show", "--store", store.toString(), "--format", "json");
    assertEquals(0, json.code(), json.err());
    assertTrue(json.out().matches("\\{\"store\":\".*\",\"calls\":14,\"values\":\\d+,\"files\":\\d+,"
        + "\"apparentBytes\":\\d+,\"diskBytes\":\\d+,\"callsByOp\":\\{\"generate\":2,\"ridge_fit\":6,\"score\":6\\}\\}\n"),
        json.out());
    Outcome csv = run("show", "--store", store.toString(), "--format", "csv");
    assertTrue(csv.out().startsWith("name,value\r\nstore,") && csv.out().contains("\r\ncalls,14\r\n")
        && csv.out().contains("\r\ncalls:ridge_fit,6\r\n"), csv.out());
  }

  @Test
  @Order(4)
  void frame_growsToFullGraph() {
    Outcome o = run("frame", "ridge_fit", "--store", store.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("3 operation nodes"), o.out());
    assertTrue(o.out().contains("generate@1"), o.out());
    assertTrue(o.out().contains("score@1"), o.out());
    assertTrue(o.out().contains("double[100]"), o.out());       // X of 20x5, abbreviated
    Outcome back = run("frame", "generate", "--backward", "--store", store.toString());
    assertEquals(0, back.code(), back.err());
    assertTrue(back.out().contains(": 1 operation node, 7 variables, 2 calls, "), back.out());
  }

  @Test
  @Order(4)
  void frame_sortsRowsByInputs_andPrintsCsvAndJson() {
    Outcome o = run("frame", "score", "--backward", "--store", store.toString());
    assertEquals(0, o.code(), o.err());
    String[] lines = o.out().split("\n");
    List<String> keys = new ArrayList<>();
    for (int i = 3; i < lines.length; i++) {      // title, header, rule
      String[] cells = lines[i].trim().split("\\s+");
      keys.add(cells[0] + " " + cells[1]);        // lambda, seed: the first inputs in column order
    }
    assertEquals(List.of("0.1 1", "0.1 2", "1 1", "1 2", "10 1", "10 2"), keys, o.out());
    Outcome csv = run("frame", "score", "--backward", "--format", "csv", "--store", store.toString());
    assertEquals(0, csv.code(), csv.err());
    assertTrue(csv.out().startsWith("lambda,seed,"), csv.out());
    assertEquals(7, csv.out().split("\r\n").length, csv.out());
    Outcome json = run("frame", "score", "--backward", "--format", "JSON", "--store", store.toString());
    assertEquals(0, json.code(), json.err());
    assertEquals(6, json.out().lines().filter(l -> l.startsWith("{\"lambda\":")).count(), json.out());
    Outcome bad = run("frame", "score", "--format", "xml", "--store", store.toString());
    assertEquals(MemoflowCli.USAGE, bad.code());
    assertTrue(bad.err().contains("expected one of [TEXT, CSV, JSON]"), bad.err());
  }

  @Test
  @Order(5)
  void dot_printsGraphviz() {
    Outcome o = run("dot", "--store", store.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().startsWith("digraph"), o.out());
    assertTrue(o.out().contains("label=\"ridge_fit\\n6 calls\""), o.out());
    Outcome m = run("dot", "generate", "--mermaid", "--store", store.toString());
    assertEquals(0, m.code(), m.err());
    assertTrue(m.out().startsWith("flowchart"), m.out());
  }

  @Test
  void verifyAndRepair_findTheDamagedBlobAndRebuildTheStore() throws IOException {
    Path own = tmp.resolve("damaged");
    assertEquals(0, run(demoArgs(own)).code());
    Outcome whole = run("verify", "--store", own.toString());
    assertEquals(0, whole.code(), whole.err());
    assertTrue(whole.out().contains("the store is whole"), whole.out());
    Path blob;
    try (var files = Files.walk(own.resolve("blobs"))) {
      blob = files.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    byte[] b = Files.readAllBytes(blob);
    b[b.length / 2] ^= 1;
    Files.write(blob, b);

    Outcome found = run("verify", "--store", own.toString());
    assertEquals(MemoflowCli.STORE, found.code());
    assertTrue(found.out().contains(own.relativize(blob) + ": the bytes of value"), found.out());
    assertTrue(found.out().contains("Run 'memoflow repair --store " + own + "'"), found.out());

    Outcome repaired = run("repair", "--store", own.toString());
    assertEquals(0, repaired.code(), repaired.err());
    assertTrue(repaired.out().contains("Repaired " + own), repaired.out());
    assertTrue(repaired.out().contains("The damaged original is in " + own + ".damaged-"), repaired.out());
    assertEquals(0, run("verify", "--store", own.toString()).code());
    assertTrue(run("repair", "--store", own.toString()).out().startsWith("Nothing to repair"));
    // Every frame reads again, and the demo recomputes what was lost and prints the same table.
    assertEquals(0, run("frame", "--store", own.toString(), "generate").code());
    Outcome again = run(demoArgs(own));
    assertEquals(0, again.code(), again.err());
    assertEquals(tableOf(firstDemo), tableOf(again.out()));
  }

  @Test
  @Order(6)
  void gc_forgetsScoresAndDemoRecomputesOnlyThem() {
    Outcome g = run("gc", "--store", store.toString());
    assertEquals(0, g.code(), g.err());
    assertTrue(g.out().contains("Removed 0 unreferenced values"), g.out());
    Outcome f = run("gc", "--forget", "score", "--store", store.toString());
    assertEquals(0, f.code(), f.err());
    assertTrue(f.out().contains("Forgot 6 calls"), f.out());
    assertTrue(f.out().contains("8 calls"), f.out());
    Outcome again = run(demoArgs());
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("nodes: 6 computed (#), 12 hits (=)"), again.out());
  }

  @Test
  void errors_fileIsNotAStoreDirectory() throws IOException {
    Path file = Files.writeString(tmp.resolve("file.txt"), "x");
    Outcome o = run("demo", "--store", file.toString());
    assertEquals(MemoflowCli.STORE, o.code());
    assertTrue(o.err().contains("is a file, not a directory"), o.err());
  }

  @Test
  void errors_directoryThatIsNotAStore() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("notastore"));
    Files.writeString(dir.resolve("notes.txt"), "mine");
    Outcome show = run("show", "--store", dir.toString());
    assertEquals(MemoflowCli.STORE, show.code());
    assertTrue(show.err().contains("is not a memoflow store"), show.err());
    Outcome demo = run(demoArgs(dir));
    assertEquals(MemoflowCli.STORE, demo.code());
    assertTrue(demo.err().contains("is not a memoflow store"), demo.err());
  }

  @Test
  void errors_missingStoreForInspection() {
    for (String cmd : List.of("show", "dot", "gc")) {
      Outcome o = run(cmd, "--store", tmp.resolve("absent").toString());
      assertEquals(MemoflowCli.STORE, o.code(), cmd);
      assertTrue(o.err().contains("No store at"), o.err());
      assertFalse(Files.exists(tmp.resolve("absent")), "inspection must not create a store");
    }
  }

  @Test
  void storeInUse_isShared() {
    Path dir = tmp.resolve("busy");
    try (Storage held = Storage.open(dir)) {
      Outcome o = run(demoArgs(dir));
      assertEquals(MemoflowCli.OK, o.code(), o.err());
      assertTrue(held.stats().calls() > 0, "the holder sees the demo's calls");
    }
  }

  @Test
  void storeInUseByAnotherProcess_canBeInspected() throws Exception {
    Path dir = tmp.resolve("held");
    assertEquals(MemoflowCli.OK, run(demoArgs(dir)).code());
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-") || a.startsWith("-Dchronicle")).toList());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), StoreHolder.class.getName(), dir.toString()));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      var ready = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
      assertEquals("ready", ready.readLine());
      Outcome o = run("show", "--store", dir.toString());
      assertEquals(MemoflowCli.OK, o.code(), o.err());
      assertFalse(o.out().isBlank(), "show lists the stored calls while another process holds the store");
    } finally {
      p.getOutputStream().close();
      p.waitFor();
    }
  }

  @Test
  void errors_badOptions() {
    Outcome negative = run("demo", "--store", tmp.resolve("x").toString(), "--lambdas", "-1");
    assertEquals(MemoflowCli.USAGE, negative.code());
    assertTrue(negative.err().contains("--lambdas: -1.0 is not a positive number"), negative.err());
    Outcome notInt = run("demo", "--rows", "many");
    assertEquals(MemoflowCli.USAGE, notInt.code());
    assertTrue(notInt.err().contains("'many' is not an int"), notInt.err());
    Outcome shape = run("demo", "--store", tmp.resolve("x").toString(), "--rows", "3", "--features", "5");
    assertEquals(MemoflowCli.USAGE, shape.code());
    assertTrue(shape.err().contains("--rows 3 is below --features 5"), shape.err());
    Outcome unknown = run("demo", "--frobnicate");
    assertEquals(MemoflowCli.USAGE, unknown.code());
    assertTrue(unknown.err().contains("Unknown option: '--frobnicate'"), unknown.err());
    // The message and a one-line hint, not the whole usage text.
    assertEquals(List.of("memoflow: Unknown option: '--frobnicate'",
        "Run 'memoflow demo --help' for the options."), unknown.err().lines().toList());
    Outcome none = run();
    assertEquals(MemoflowCli.USAGE, none.code());
    assertTrue(none.err().contains("Missing command"), none.err());
    assertFalse(Files.exists(tmp.resolve("x")), "a rejected demo must not create a store");
  }

  @Test
  void errors_opWithoutCalls() {
    Outcome o = run("frame", "nope", "--store", store.toString());
    assertEquals(MemoflowCli.FAILED, o.code());
    assertTrue(o.err().contains("No stored calls of op 'nope'"), o.err());
  }

  @Test
  void version_isPrintedByEveryCommand() {
    for (String cmd : List.of("demo", "frame", "show", "dot", "report", "gc", "bench")) {
      Outcome o = run(cmd, "-V");
      assertEquals(0, o.code(), cmd);
      assertEquals("memoflow 0.1.0-SNAPSHOT\n", o.out(), cmd);
    }
    assertEquals("memoflow 0.1.0-SNAPSHOT\n", run("--version").out());
  }

  @Test
  void help_listsCommands() {
    Outcome o = run("--help");
    assertEquals(0, o.code());
    for (String cmd : List.of("demo", "frame", "show", "dot", "report", "gc", "bench")) {
      assertTrue(o.out().contains("  " + cmd + " "), o.out());
    }
    assertTrue(o.out().matches("(?s).*Exit codes:\n  0 +success\n  1 .*\n  2 .*\n  3 .*\n  130 .*"), o.out());
  }

  @Test
  void report_writesThePageAndSaysWhereToOpenIt() throws IOException {
    Path out = tmp.resolve("report");
    Outcome o = run("report", "--store", store.toString(), "--out", out.toString());
    assertEquals(0, o.code(), o.err());
    Path page = out.resolve("index.html").toAbsolutePath();
    assertEquals("Wrote " + page + ": 3 ops, 14 calls, 2 sweep plots.\nOpen it in a browser: "
        + page.toUri() + "\n", o.out());
    assertTrue(Files.readString(page).contains("mse against lambda, one line per seed"));
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    Outcome bad = run("report", "--store", store.toString(), "--out", file.toString());
    assertEquals(MemoflowCli.USAGE, bad.code());
    assertTrue(bad.err().contains("--out " + file + " is a file. Give --out a directory"), bad.err());
    Outcome none = run("report", "--store", tmp.resolve("nothing").toString());
    assertEquals(MemoflowCli.STORE, none.code());
  }

  @Test
  void bench_isASubcommandWithItsHelp() {
    Outcome help = run("help", "bench");
    assertEquals(0, help.code(), help.err());
    assertTrue(help.out().startsWith("Usage: memoflow bench "), help.out());
    assertTrue(help.out().contains("--only=PREFIX"), help.out());
    // A prefix no figure has: the report runs no group and says so.
    Outcome none = run("bench", "--only", "no.such.figure");
    assertEquals(0, none.code(), none.err());
    assertEquals("", none.out());
    assertTrue(none.err().contains("memoflow bench (quick): 0 figures met their target"), none.err());
    Outcome bad = run("bench", "--quick", "--full");
    assertEquals(MemoflowCli.USAGE, bad.code());
    assertTrue(bad.err().contains("Run 'memoflow bench --help' for the options."), bad.err());
  }

  private static String tableOf(String demo) {
    return demo.substring(demo.indexOf("Stored results"));
  }

  private static int tableRows(String demo) {
    String[] lines = tableOf(demo).split("\n");
    return lines.length - 3;      // title, header, rule
  }
}
