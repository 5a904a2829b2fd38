package io.memoflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.CallResult;
import io.memoflow.cache.Op;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import io.memoflow.cache.frame.ComputationFrame;
import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import io.memoflow.matrix.MatrixExamples;
import io.memoflow.inplace.BufferPlan;
import io.memoflow.inplace.BufferPlanner;
import io.memoflow.reactive.Engine;
import io.memoflow.reactive.EngineEvent;
import io.memoflow.reactive.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the root README's "Concepts" snippets exactly as printed there (a second test checks that
 * every line of every snippet is a line of this file), then checks what their comments say.
 */
class RootReadmeTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Path SOURCE =
      Path.of("src", "test", "java", "io", "memoflow", "examples", "RootReadmeTest.java");

  @Test
  void conceptSnippets_runAsDocumented(@TempDir Path dir) throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      snippets(dir);
    } finally {
      System.setOut(stdout);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("Started[") && text.contains("Computed["), text);
    assertTrue(text.matches("(?s).*\\b25\\b.*") && text.matches("(?s).*\\b9\\b.*"), text);
    assertTrue(text.contains(":= GEMM("), text);
  }

  /** The README's snippets, line for line, each followed by the check of its comment. */
  private static void snippets(Path dir) throws Exception {
    Operation square = Operation.of("Square", List.of("v"), List.of("sq"));
    CompositeComputation g = Dag.builder()
        .input("x", "y")
        .step(Operation.MIN_MAX, "x", "y").as("lo", "hi")
        .step(square, "hi").as("sq")
        .build();
    g.inputs();    // [x, y]
    assertEquals(List.of(Expr.symbol("x"), Expr.symbol("y")), g.inputs());
    g.outputs();   // [lo, sq]
    assertEquals(List.of(Expr.symbol("lo"), Expr.symbol("sq")), g.outputs());
    g.toDot();     // Graphviz text; toMermaid() too
    assertTrue(g.toDot().startsWith("digraph"));

    MatrixExamples.Example regression = MatrixExamples.linearRegression(2000, 200);
    regression.cover().routines();   // [SYRK, GEMM, POSV]
    assertEquals(List.of("SYRK", "GEMM", "POSV"), regression.cover().routines());

    Op minMax = Op.builder("MinMax").version("1").inputs("x", "y").outputs("min", "max")
        .function(a -> List.of(Math.min((Long) a[0], (Long) a[1]), Math.max((Long) a[0], (Long) a[1])))
        .build();
    Op squareOp = Op.builder("Square").version("1").inputs("v")
        .function(a -> (Long) a[0] * (Long) a[0])
        .build();
    try (Storage storage = Storage.open(dir)) {
      try (Session session = storage.session()) {
        Ref<Long> nine = squareOp.call(3L);   // executes and stores
        assertEquals(9L, nine.value());
        squareOp.call(3L);                     // retraced: the body does not run
        assertEquals(CallResult.Source.RETRACED, session.callPositional(squareOp, 3L).source());
      }

      try (Engine engine = Engine.builder().storage(storage)
               .bind(Operation.MIN_MAX, minMax).bind(square, squareOp).build()) {
        Run run = engine.run(g, Map.of(Expr.symbol("x"), 3L, Expr.symbol("y"), 5L));
        run.events().subscribe(System.out::println);   // Started, Computed, Hit, Progress ...
        Map<Expr, Object> out = run.outputs().block();   // {lo=3, sq=25}
        assertEquals(Map.of(Expr.symbol("lo"), 3L, Expr.symbol("sq"), 25L), out);
        Run rerun = engine.run(g, Map.of(Expr.symbol("x"), 3L, Expr.symbol("y"), 5L));
        var events = rerun.events().collectList().toFuture();
        rerun.start();
        List<EngineEvent> second = events.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(second.stream().noneMatch(e -> e instanceof EngineEvent.Computed), "re-run is all hits");
      }

      ComputationFrame frame = ComputationFrame.of(storage, squareOp).growBackward();
      System.out.println(frame.toTable().toText());   // one row per partial computation
    }

    BufferPlan plan = BufferPlanner.of()
        .plan(MatrixExamples.kalman(100, 20).composite());
    plan.peakBytes();   // beside plan.maxLiveBytes() and plan.oneBufferPerValueBytes()
    assertTrue(plan.peakBytes() >= plan.maxLiveBytes());
    assertTrue(plan.peakBytes() <= plan.oneBufferPerValueBytes());
    System.out.println(plan);   // one line per step, such as "C := GEMM(A, B, C)"
  }

  @Test
  void everyLineOfEverySnippet_isALineOfThisTest() throws IOException {
    Set<String> here = new HashSet<>();
    Files.readAllLines(SOURCE).forEach(l -> here.add(l.strip()));
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(README));
    int blocks = 0;
    while (block.find()) {
      blocks++;
      for (String line : block.group(1).split("\n")) {
        assertTrue(line.isBlank() || here.contains(line.strip()),
            "README.md's snippet line is not run by this test, as written there:\n" + line);
      }
    }
    assertEquals(6, blocks, "README.md's Java snippets");
  }
}
