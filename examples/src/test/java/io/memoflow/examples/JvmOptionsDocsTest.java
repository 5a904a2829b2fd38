package io.memoflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chronicle Map's JVM options are written once, in memoflow-cache's resource
 * {@code META-INF/memoflow/jvm.options}: the READMEs list exactly those options, and the
 * launcher and the bench README read that file instead of spelling them out.
 */
class JvmOptionsDocsTest {
  private static final Path ROOT = Path.of("..");
  private static final String FILE = "cache/src/main/resources/META-INF/memoflow/jvm.options";

  /** The options in the resource, comments and blank lines left out. */
  static List<String> options() throws IOException {
    try (InputStream in = JvmOptionsDocsTest.class.getResourceAsStream("/META-INF/memoflow/jvm.options")) {
      assertNotNull(in, "memoflow-cache's jvm.options resource is on the class path");
      List<String> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        int hash = line.indexOf('#');
        String option = (hash < 0 ? line : line.substring(0, hash)).strip();
        if (!option.isEmpty()) {
          out.add(option);
        }
      }
      return out;
    }
  }

  /** The lines of the first fenced block in {@code doc} that lists Chronicle's options. */
  private static List<String> optionBlock(String doc) throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve(doc));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("```") && i + 1 < lines.size()
          && lines.get(i + 1).startsWith("--add-exports=")) {
        List<String> block = new ArrayList<>();
        for (int j = i + 1; !lines.get(j).startsWith("```"); j++) {
          block.add(lines.get(j).strip());
        }
        return block;
      }
    }
    throw new AssertionError(doc + " has no fenced block listing the JVM options");
  }

  @Test
  void readmes_listExactlyTheOptionsFile() throws IOException {
    List<String> options = options();
    assertTrue(options.contains("-Dchronicle.analytics.disable=true"), options.toString());
    assertEquals(options, optionBlock("README.md"), "README.md");
    assertEquals(options, optionBlock("cache/README.md"), "cache/README.md");
  }

  @Test
  void launcherAndBenchReadme_readTheOptionsFile() throws IOException {
    String launcher = Files.readString(ROOT.resolve("memoflow"));
    assertTrue(launcher.contains("@$here/" + FILE), launcher);
    assertFalse(launcher.contains("--add-opens"), "the launcher spells no option out");
    String bench = Files.readString(ROOT.resolve("bench/README.md"));
    assertTrue(bench.contains("java @" + FILE), "bench/README.md runs java @" + FILE);
    assertFalse(bench.contains("--add-opens"), "bench/README.md spells no option out");
  }
}
