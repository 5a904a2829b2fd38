package io.memoflow.cache.internal;

import io.memoflow.cache.spi.StorageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks that the JVM was started with the options Chronicle Map needs on Java 17+, so a
 * persistent store fails fast with a message listing them instead of deep inside Chronicle.
 * The options are read from {@link #RESOURCE}, a Java argument file that the launcher, the
 * build's Surefire argLine and {@code memoflow.jar}'s manifest read too. Not API; may change
 * without notice.
 */
public final class JvmOptions {
  /** The class-path resource that lists the options, one per line ({@code #} starts a comment). */
  public static final String RESOURCE = "/META-INF/memoflow/jvm.options";

  private static final List<String> REQUIRED = load();

  private JvmOptions() {}

  /** Returns the options, in the order the resource lists them. */
  public static List<String> required() {
    return REQUIRED;
  }

  /**
   * Throws if a module option is missing; sets each listed system property that is unset.
   *
   * @throws StorageException listing every missing option and the full set
   */
  public static void check() {
    Module unnamed = JvmOptions.class.getClassLoader().getUnnamedModule();
    Module me = JvmOptions.class.getModule();
    Module target = me.isNamed() ? me : unnamed;
    List<String> missing = new ArrayList<>();
    for (String option : REQUIRED) {
      if (!holds(option, target)) {
        missing.add(option);
      }
    }
    if (!missing.isEmpty()) {
      throw new StorageException(Messages.missingJvmOptions(missing, String.join(" ", REQUIRED)));
    }
    for (String option : REQUIRED) {
      if (option.startsWith("-D")) {
        int eq = option.indexOf('=');
        String key = option.substring(2, eq < 0 ? option.length() : eq);
        if (System.getProperty(key) == null) {
          System.setProperty(key, eq < 0 ? "" : option.substring(eq + 1));
        }
      }
    }
  }

  /** Whether a module option is in force; system properties always "hold" (check sets them). */
  private static boolean holds(String option, Module to) {
    boolean exports = option.startsWith("--add-exports=");
    if (!exports && !option.startsWith("--add-opens=")) {
      return true;
    }
    // --add-exports=MODULE/PACKAGE=ALL-UNNAMED
    String spec = option.substring(option.indexOf('=') + 1);
    int slash = spec.indexOf('/');
    int eq = spec.indexOf('=');
    String module = spec.substring(0, slash);
    String pkg = spec.substring(slash + 1, eq);
    Optional<Module> m = ModuleLayer.boot().findModule(module);
    if (m.isEmpty()) {
      return true; // a JDK without that module (jdk.compiler in a jlink image) has nothing to open
    }
    return exports ? m.get().isExported(pkg, to) : m.get().isOpen(pkg, to);
  }

  private static List<String> load() {
    try (InputStream in = JvmOptions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("memoflow-cache is missing its resource " + RESOURCE
            + "; the jar is damaged. Rebuild or download it again.");
      }
      List<String> options = new ArrayList<>();
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        int hash = line.indexOf('#');
        String option = (hash < 0 ? line : line.substring(0, hash)).strip();
        if (!option.isEmpty()) {
          options.add(option);
        }
      }
      return List.copyOf(options);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
  }
}
