package io.memoflow.cache.version;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Laws of code versions: deterministic across class loaders, builds, runs and source layout. */
class CodeVersionsPropertiesTest {

  /** Random integer expressions over {@code x}, possibly calling the helper. */
  @Provide
  Arbitrary<String> bodies() {
    return Arbitraries.recursive(
        () -> Arbitraries.oneOf(Arbitraries.just("x"), Arbitraries.integers().between(-9, 99)
            .map(String::valueOf)),
        inner -> Arbitraries.oneOf(
            inner.tuple2().flatMap(t -> Arbitraries.of("+", "-", "*", "^", "&")
                .map(op -> "(" + t.get1() + " " + op + " " + t.get2() + ")")),
            inner.map(e -> "helper(" + e + ")"),
            inner.map(e -> "Math.abs(" + e + ")")),
        0, 3);
  }

  static String source(String body, String unrelated) {
    return CodeVersionsTest.ops("square", "(" + body + ")", "unrelated", "(" + unrelated + ")");
  }

  @Property(tries = 12)
  void version_deterministicAcrossClassLoadersAndBuilds(@ForAll("bodies") String body) {
    String src = source(body, "1");
    Path dir = EditableCode.compile(src);
    CodeVersion a = CodeVersions.of(EditableCode.call(dir, "edits.Ops", "square"));
    CodeVersion b = CodeVersions.of(EditableCode.call(dir, "edits.Ops", "square"));
    CodeVersion c = CodeVersions.of(
        EditableCode.call(EditableCode.compileFresh(src), "edits.Ops", "square"));
    assertEquals(a.digest(), b.digest());
    assertEquals(a.digest(), c.digest());
    assertEquals(a.listing().replaceAll("lambda\\$\\w+", "L"),
        c.listing().replaceAll("lambda\\$\\w+", "L"));
  }

  @Property(tries = 12)
  void version_independentOfLayoutAndUnrelatedCode(
      @ForAll("bodies") String body, @ForAll("bodies") String unrelated) {
    CodeVersion plain = CodeVersions.of(EditableCode.call(
        EditableCode.compile(source(body, "1")), "edits.Ops", "square"));
    String spaced = source(body.replace(" ", "\n  \n "), unrelated)
        .replace("public class Ops {", "public class Ops {\n\n// moved down\n\n");
    CodeVersion edited = CodeVersions.of(EditableCode.call(
        EditableCode.compile(spaced), "edits.Ops", "square"));
    assertEquals(plain.digest(), edited.digest());
  }

  @Test
  void version_sameInAnotherJvm() throws Exception {
    Path dir = EditableCode.compile(CodeVersionsTest.ops());
    String here = CodeVersions.of(EditableCode.call(dir, "edits.Ops", "nested")).hex();
    Process p = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        PrintCodeVersion.class.getName(), dir.toString(), "nested"))
        .redirectErrorStream(true).start();
    String out;
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      out = String.join("\n", r.lines().toList()).trim();
    }
    assertEquals(0, p.waitFor(), out);
    assertEquals(here, out);
  }
}
