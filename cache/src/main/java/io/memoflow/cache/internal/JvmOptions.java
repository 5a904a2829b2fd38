package io.memoflow.cache.internal;

import io.memoflow.cache.spi.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks that the JVM was started with the options Chronicle Map needs on Java 17+, so a
 * persistent store fails fast with a message listing them instead of deep inside Chronicle.
 * Not API; may change without notice.
 */
public final class JvmOptions {
  /** The options, as a user would put them on the command line. */
  public static final String ALL =
      "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED"
          + " --add-exports=java.base/sun.nio.ch=ALL-UNNAMED"
          + " --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED"
          + " --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED"
          + " --add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED"
          + " --add-opens=java.base/java.lang=ALL-UNNAMED"
          + " --add-opens=java.base/java.lang.reflect=ALL-UNNAMED"
          + " --add-opens=java.base/java.io=ALL-UNNAMED"
          + " --add-opens=java.base/java.util=ALL-UNNAMED"
          + " -Dchronicle.analytics.disable=true";

  private JvmOptions() {}

  /**
   * Throws if an option is missing; sets {@code chronicle.analytics.disable} if unset.
   *
   * @throws StorageException listing every missing option and the full set
   */
  public static void check() {
    List<String> missing = new ArrayList<>();
    Module unnamed = JvmOptions.class.getClassLoader().getUnnamedModule();
    Module me = JvmOptions.class.getModule();
    Module target = me.isNamed() ? me : unnamed;
    exported("java.base", "jdk.internal.ref", target, missing);
    exported("java.base", "sun.nio.ch", target, missing);
    exported("jdk.unsupported", "sun.misc", target, missing);
    exported("jdk.compiler", "com.sun.tools.javac.file", target, missing);
    opened("jdk.compiler", "com.sun.tools.javac", target, missing);
    opened("java.base", "java.lang", target, missing);
    opened("java.base", "java.lang.reflect", target, missing);
    opened("java.base", "java.io", target, missing);
    opened("java.base", "java.util", target, missing);
    if (!missing.isEmpty()) {
      throw new StorageException(Messages.missingJvmOptions(missing, ALL));
    }
    if (System.getProperty("chronicle.analytics.disable") == null) {
      System.setProperty("chronicle.analytics.disable", "true");
    }
  }

  private static void exported(String module, String pkg, Module to, List<String> missing) {
    Optional<Module> m = ModuleLayer.boot().findModule(module);
    if (m.isPresent() && !m.get().isExported(pkg, to)) {
      missing.add("--add-exports=" + module + "/" + pkg + "=ALL-UNNAMED");
    }
  }

  private static void opened(String module, String pkg, Module to, List<String> missing) {
    Optional<Module> m = ModuleLayer.boot().findModule(module);
    if (m.isPresent() && !m.get().isOpen(pkg, to)) {
      missing.add("--add-opens=" + module + "/" + pkg + "=ALL-UNNAMED");
    }
  }
}
