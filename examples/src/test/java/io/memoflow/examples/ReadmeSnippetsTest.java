package io.memoflow.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every line of every Java snippet in a module's documentation is a line of the test that runs
 * it (as {@link RootReadmeTest} holds the root README to itself): a snippet cannot drift from
 * code that compiles and passes. Each document is listed with the tests that run its snippets.
 */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of("..");

  static Stream<Arguments> documents() {
    return Stream.of(
        Arguments.of("dag/README.md", List.of("dag/src/test/java/io/memoflow/dag/ReadmeExamplesTest.java")),
        Arguments.of("matrix/README.md", List.of("matrix/src/test/java/io/memoflow/matrix/MatrixDocExamplesTest.java")),
        Arguments.of("cache/README.md", List.of("cache/src/test/java/io/memoflow/cache/ReadmeExamplesTest.java")),
        Arguments.of("cache/FRAMES.md", List.of("cache/src/test/java/io/memoflow/cache/frame/FramesDocExamplesTest.java")),
        Arguments.of("cache/VERSIONING.md", List.of("cache/src/test/java/io/memoflow/cache/version/ReadmeVersioningTest.java")),
        Arguments.of("reactive/README.md", List.of("reactive/src/test/java/io/memoflow/reactive/ReadmeExamplesTest.java")),
        Arguments.of("inplace/README.md", List.of("inplace/src/test/java/io/memoflow/inplace/ReadmeExamplesTest.java")),
        Arguments.of("testkit/README.md", List.of("testkit/src/test/java/io/memoflow/testkit/ReadmeExamplesTest.java",
            "testkit/src/test/java/io/memoflow/cache/internal/ChronicleBackendContractTest.java")),
        Arguments.of("cluster/README.md", List.of("cluster/src/test/java/io/memoflow/cluster/ReadmeExamplesTest.java",
            "cluster/src/test/java/io/memoflow/cluster/DistributedSweepTest.java")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  void everySnippetLine_isALineOfItsTest(String document, List<String> tests) throws IOException {
    Set<String> run = new HashSet<>();
    for (String t : tests) {
      Files.readAllLines(ROOT.resolve(t)).forEach(l -> run.add(l.strip()));
    }
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(ROOT.resolve(document)));
    List<String> missing = new ArrayList<>();
    int blocks = 0;
    while (block.find()) {
      blocks++;
      for (String line : block.group(1).split("\n")) {
        if (!line.isBlank() && !run.contains(line.strip())) {
          missing.add(line);
        }
      }
    }
    assertTrue(blocks > 0, document + " has no Java snippet: drop it from this list");
    assertTrue(missing.isEmpty(), document + "'s snippet lines that " + String.join(", ", tests)
        + " does not run, as written there:\n" + String.join("\n", missing));
  }
}
