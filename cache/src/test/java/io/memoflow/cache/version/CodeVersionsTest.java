package io.memoflow.cache.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class CodeVersionsTest {

  /** The class users "edit": each ${slot} is replaced by a variant. */
  static final String OPS = """
      package edits;
      import java.io.Serializable;
      import java.util.function.IntUnaryOperator;
      public class Ops {
        public interface Fn extends IntUnaryOperator, Serializable {}
        static final int[] WEIGHTS = {${weights}};
        ${first}
        public static Fn square() { return x -> helper(x) * ${square}; }
        public static Fn cube() { return x -> x * x * x; }
        public static Fn weighted() { return x -> x * WEIGHTS[1]; }
        public static Fn viaRef() { return Ops::helper; }
        public static Fn plus(int k) { return x -> x + k; }
        public static Fn nested() { return x -> twice(y -> y + ${nested}).applyAsInt(x); }
        static Fn twice(Fn f) { return x -> f.applyAsInt(f.applyAsInt(x)); }
        public static Fn library() { return x -> Math.abs(x) + String.valueOf(x).length(); }
        public static Fn doubler() { return new Doubler(); }
        public static IntUnaryOperator notSerializable() { return x -> x; }
        static final Fn ADD = x -> x + ${add};
        static final IntUnaryOperator PLAIN = x -> x + ${plain};
        public static Fn viaConstant() { return x -> ADD.applyAsInt(x) * 2; }
        public static Fn viaPlainConstant() { return x -> PLAIN.applyAsInt(x) * 2; }
        static int helper(int x) {
          ${helper}
        }
        static int unrelated(int x) { return x - ${unrelated}; }
        public static final class Doubler implements Fn {
          public int applyAsInt(int x) { return ${doubler} * x; }
        }
      }
      """;

  static final Map<String, String> BASE = Map.of(
      "weights", "1, 2, 3", "first", "", "square", "x", "nested", "1",
      "helper", "return x + 1;", "unrelated", "1", "doubler", "2", "add", "1", "plain", "1");

  static String ops(String... overrides) {
    java.util.HashMap<String, String> slots = new java.util.HashMap<>(BASE);
    for (int i = 0; i < overrides.length; i += 2) {
      slots.put(overrides[i], overrides[i + 1]);
    }
    String s = OPS;
    for (var e : slots.entrySet()) {
      s = s.replace("${" + e.getKey() + "}", e.getValue());
    }
    return s;
  }

  /** The code version of {@code Ops.factory()} compiled from the given edits, in a fresh loader. */
  static CodeVersion version(String factory, String... edits) {
    return CodeVersions.of(EditableCode.call(EditableCode.compile(ops(edits)), "edits.Ops",
        factory));
  }

  @Test
  void of_sameCodeInFreshLoaders_sameVersion() {
    CodeVersion a = version("square");
    CodeVersion b = version("square");
    assertEquals(a.digest(), b.digest());
    assertEquals(a.digest(), CodeVersions.of(EditableCode.call(
        EditableCode.compileFresh(ops()), "edits.Ops", "square")).digest());
  }

  @Test
  void of_bodyChanged_changesOnlyThatOp() {
    assertNotEquals(version("square"), version("square", "square", "x * 2"));
    for (String other : new String[] {"cube", "weighted", "viaRef", "nested"}) {
      assertEquals(version(other), version(other, "square", "x * 2"), other);
    }
  }

  @Test
  void of_helperChanged_changesOnlyOpsThatCallIt() {
    String[] edit = {"helper", "return x + 2;"};
    assertNotEquals(version("square"), version("square", edit));
    assertNotEquals(version("viaRef"), version("viaRef", edit));
    assertEquals(version("cube"), version("cube", edit));
    assertEquals(version("weighted"), version("weighted", edit));
  }

  @Test
  void of_unrelatedMethodChanged_changesNothing() {
    for (String op : new String[] {"square", "cube", "weighted", "viaRef", "nested"}) {
      assertEquals(version(op), version(op, "unrelated", "42"), op);
    }
  }

  @Test
  void of_revertedCode_givesEarlierVersion() {
    CodeVersion v1 = version("square");
    CodeVersion v2 = version("square", "helper", "return x * 3;");
    CodeVersion back = version("square");
    assertNotEquals(v1, v2);
    assertEquals(v1.digest(), back.digest());
  }

  @Test
  void of_layoutCommentsAndLocalNames_ignored() {
    CodeVersion a = version("square", "helper", "int y = x + 1; return y;");
    CodeVersion b = version("square", "helper",
        "\n\n   // a comment moves every line below\n   int renamed = x + 1;\n\n return renamed;");
    assertEquals(a.digest(), b.digest());
  }

  @Test
  void of_lambdaAddedAboveShiftsJavacCounter_versionUnchanged() {
    String[] edit = {"first", "public static Fn first() { return x -> x - 7; }"};
    assertEquals(version("square"), version("square", edit));
    assertEquals(version("nested"), version("nested", edit));
    assertTrue(version("square", edit).entry().endsWith("$1(int)"),
        "javac renumbered the lambda: " + version("square", edit).entry());
  }

  @Test
  void of_nestedLambdaChanged_changesVersion() {
    assertNotEquals(version("nested"), version("nested", "nested", "2"));
  }

  @Test
  void of_constantCountsByValue() {
    String[] edit = {"weights", "1, 5, 3"};
    assertNotEquals(version("weighted"), version("weighted", edit));
    assertEquals(version("square"), version("square", edit));
    assertTrue(version("weighted").listing().contains("int[3] {1, 2, 3}"),
        version("weighted").listing());
  }

  @Test
  void of_functionConstant_countsByItsCodeAndIsDeterministic() {
    assertEquals(version("viaConstant"), version("viaConstant"));
    assertEquals(version("viaConstant").digest(), CodeVersions.of(EditableCode.call(
        EditableCode.compileFresh(ops()), "edits.Ops", "viaConstant")).digest());
    assertNotEquals(version("viaConstant"), version("viaConstant", "add", "2"));
    assertEquals(version("viaConstant"), version("viaConstant", "plain", "2"));
  }

  @Test
  void of_nonSerializableFunctionConstant_deterministicAndFlaggedInListing() {
    assertEquals(version("viaPlainConstant"), version("viaPlainConstant"));
    String listing = version("viaPlainConstant").listing();
    assertTrue(listing.contains("its code is not versioned"), listing);
    assertTrue(!listing.contains("0x"), listing);
  }

  @Test
  void of_capturedArgumentsCountByValue() {
    Path dir = EditableCode.compile(ops());
    CodeVersion one = CodeVersions.of(EditableCode.call(dir, "edits.Ops", "plus", 1));
    CodeVersion oneAgain = CodeVersions.of(EditableCode.call(dir, "edits.Ops", "plus", 1));
    CodeVersion two = CodeVersions.of(EditableCode.call(dir, "edits.Ops", "plus", 2));
    assertEquals(one, oneAgain);
    assertNotEquals(one, two);
    assertTrue(two.diff(one).contains("captured[0]"), two.diff(one));
  }

  @Test
  void of_functionObject_versionedByItsClass() {
    assertEquals(version("doubler"), version("doubler"));
    assertNotEquals(version("doubler"), version("doubler", "doubler", "3"));
    assertEquals(version("doubler"), version("doubler", "helper", "return 0;"));
  }

  @Test
  void of_method_versionsBodyAndCallees() throws Exception {
    Path dir = EditableCode.compile(ops());
    Path edited = EditableCode.compile(ops("helper", "return x + 2;"));
    var m1 = EditableCode.loader(dir).loadClass("edits.Ops").getDeclaredMethod("square");
    var m2 = EditableCode.loader(edited).loadClass("edits.Ops").getDeclaredMethod("square");
    // square() creates the lambda that calls helper: the helper is reached through the handle.
    assertNotEquals(CodeVersions.of(m1), CodeVersions.of(m2));
    var u1 = EditableCode.loader(dir).loadClass("edits.Ops").getDeclaredMethod("unrelated",
        int.class);
    var u2 = EditableCode.loader(edited).loadClass("edits.Ops").getDeclaredMethod("unrelated",
        int.class);
    assertEquals(CodeVersions.of(u1), CodeVersions.of(u2));
  }

  @Test
  void of_jdkCalls_notFollowed() {
    CodeVersion v = version("library");
    for (CodeVersion.Unit u : v.units()) {
      assertTrue(u.name().startsWith("edits/"), u.name());
    }
    assertEquals(1, v.units().size(), v.listing());
  }

  static final String LIB = """
      package lib;
      public class Lib {
        public static int f(int x) { return x + ${lib}; }
      }
      """;

  static final String USES_LIB = """
      package app;
      public class UsesLib {
        public interface Fn extends java.util.function.IntUnaryOperator, java.io.Serializable {}
        public static Fn op() { return x -> lib.Lib.f(x) * 2; }
      }
      """;

  @Test
  void of_otherCodeSource_notFollowedUnlessRegistered() {
    Path lib1 = EditableCode.compile(LIB.replace("${lib}", "1"));
    Path lib2 = EditableCode.compile(LIB.replace("${lib}", "2"));
    Path app1 = EditableCode.compile(USES_LIB, LIB.replace("${lib}", "1"));
    // The app directory is compiled against lib; load lib from its own directory (a "jar").
    Path appOnly = appWithoutLib(app1);
    CodeVersion with1 = CodeVersions.of(
        EditableCode.call(new Path[] {appOnly, lib1}, "app.UsesLib", "op"));
    CodeVersion with2 = CodeVersions.of(
        EditableCode.call(new Path[] {appOnly, lib2}, "app.UsesLib", "op"));
    assertEquals(with1, with2, "third-party code is not followed");
    CodeVersions.addApplicationPackages("lib");
    assertTrue(CodeVersions.applicationPackages().contains("lib"));
    CodeVersion reg1 = CodeVersions.of(
        EditableCode.call(new Path[] {appOnly, lib1}, "app.UsesLib", "op"));
    CodeVersion reg2 = CodeVersions.of(
        EditableCode.call(new Path[] {appOnly, lib2}, "app.UsesLib", "op"));
    assertNotEquals(reg1, reg2, "a registered package is application code");
  }

  private static Path appWithoutLib(Path compiled) {
    try {
      Path dir = java.nio.file.Files.createTempDirectory("memoflow-app");
      java.nio.file.Files.createDirectories(dir.resolve("app"));
      try (var files = java.nio.file.Files.list(compiled.resolve("app"))) {
        for (Path p : (Iterable<Path>) files::iterator) {
          java.nio.file.Files.copy(p, dir.resolve("app").resolve(p.getFileName()));
        }
      }
      return dir;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void of_nonSerializableLambda_saysHowToFix() {
    IntUnaryOperator local = x -> x + 1;
    Object compiled = EditableCode.call(EditableCode.compile(ops()), "edits.Ops",
        "notSerializable");
    for (Object f : new Object[] {local, compiled}) {
      CodeVersionException e = assertThrows(CodeVersionException.class,
          () -> CodeVersions.of(f, "op 'inc'"));
      assertTrue(e.getMessage().contains("op 'inc'"), e.getMessage());
      assertTrue(e.getMessage().contains(CodeVersionMessages.FIX_SERIALIZABLE), e.getMessage());
    }
  }

  interface SerFn extends IntUnaryOperator, Serializable {}

  @Test
  void of_lambdaInThisTest_isVersioned() {
    SerFn f = x -> x * 3;
    CodeVersion v = CodeVersions.of(f);
    assertTrue(v.entry().startsWith("io.memoflow.cache.version.CodeVersionsTest.lambda$"), v.entry());
    assertSame(v, CodeVersions.of(f), "cached per lambda class");
  }

  @Test
  void of_classWithoutClassFile_saysCodeCannotBeRead() {
    Path dir = EditableCode.compile(ops());
    ClassLoader noResources = new BytesLoader(dir, null);
    CodeVersionException e = assertThrows(CodeVersionException.class,
        () -> CodeVersions.of(invoke(noResources, "square"), "op 'square'"));
    assertTrue(e.getMessage().startsWith("Cannot read the code of op 'square'"), e.getMessage());
    assertTrue(e.getMessage().contains("explicit version label"), e.getMessage());
  }

  @Test
  void of_damagedClassFile_saysCodeCannotBeRead() {
    Path dir = EditableCode.compile(ops());
    ClassLoader damaged = new BytesLoader(dir, new byte[] {(byte) 0xCA, (byte) 0xFE, 1, 2});
    CodeVersionException e = assertThrows(CodeVersionException.class,
        () -> CodeVersions.of(invoke(damaged, "square"), "op 'square'"));
    assertTrue(e.getMessage().contains("could not be parsed"), e.getMessage());
  }

  @Test
  void diff_showsChangedInstructions() {
    CodeVersion v1 = version("square");
    CodeVersion v2 = version("square", "helper", "return x * 3;");
    String diff = v1.diff(v2);
    assertTrue(diff.contains("~ method edits/Ops.helper(I)I"), diff);
    assertTrue(diff.contains("-     IADD") || diff.contains("- ICONST_1")
        || diff.contains("IADD"), diff);
    assertTrue(diff.contains("+     IMUL"), diff);
    assertTrue(v1.diff(version("square")).contains("(same code version)"));
    String lambdaDiff = v1.diff(version("square", "square", "x * 2"));
    assertTrue(lambdaDiff.contains("~ method edits/Ops.lambda$square$"), lambdaDiff);
  }

  private static Object invoke(ClassLoader loader, String factory) {
    try {
      return loader.loadClass("edits.Ops").getMethod(factory).invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Defines edits.* classes from a directory but serves {@code resource} as their class files. */
  private static final class BytesLoader extends ClassLoader {
    private final Path dir;
    private final byte[] resource;

    BytesLoader(Path dir, byte[] resource) {
      super(CodeVersionsTest.class.getClassLoader());
      this.dir = dir;
      this.resource = resource;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (name.startsWith("edits.")) {
          Class<?> c = findLoadedClass(name);
          if (c == null) {
            byte[] b = EditableCode.classBytes(dir, name);
            c = defineClass(name, b, 0, b.length);
          }
          return c;
        }
        return super.loadClass(name, resolve);
      }
    }

    @Override
    public URL getResource(String name) {
      if (name.startsWith("edits/")) {
        if (resource == null) {
          return null;
        }
        try {
          return dir.resolve(name).toUri().toURL();
        } catch (java.net.MalformedURLException e) {
          throw new IllegalStateException(e);
        }
      }
      return super.getResource(name);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      if (name.startsWith("edits/")) {
        return resource == null ? null : new ByteArrayInputStream(resource);
      }
      return super.getResourceAsStream(name);
    }
  }
}
