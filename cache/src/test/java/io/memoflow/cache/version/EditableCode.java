package io.memoflow.cache.version;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Simulates editing code: compiles Java sources at test time (javax.tools) into a fresh directory
 * and loads them in fresh class loaders, as a new run of an edited program would.
 */
public final class EditableCode {
  private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();
  private static final Map<List<String>, Path> COMPILED = new ConcurrentHashMap<>();

  private EditableCode() {}

  /** Compiles sources (cached per identical sources) and returns the classes directory. */
  public static Path compile(String... sources) {
    return COMPILED.computeIfAbsent(List.of(sources), s -> compileFresh(sources));
  }

  /** Compiles sources into a new directory every time (another "build" of the same code). */
  public static Path compileFresh(String... sources) {
    try {
      Path dir = Files.createTempDirectory("memoflow-edit");
      dir.toFile().deleteOnExit();
      List<JavaFileObject> units = new ArrayList<>();
      for (String src : sources) {
        units.add(new Source(src));
      }
      StringWriter errors = new StringWriter();
      try (StandardJavaFileManager fm = JAVAC.getStandardFileManager(null, null, null)) {
        List<String> options = List.of("-d", dir.toString(), "-g", "-parameters",
            "-classpath", dir + File.pathSeparator + System.getProperty("java.class.path"));
        boolean ok = JAVAC.getTask(errors, fm, null, options, null, units).call();
        if (!ok) {
          throw new IllegalStateException("test source does not compile:\n" + errors);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns a fresh class loader over the directories (child of the test's loader). */
  public static URLClassLoader loader(Path... dirs) {
    URL[] urls = new URL[dirs.length];
    for (int i = 0; i < dirs.length; i++) {
      try {
        urls[i] = dirs[i].toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }
    return new URLClassLoader(urls, EditableCode.class.getClassLoader());
  }

  /** Loads {@code className} in a fresh loader and returns {@code className.factory(args)}. */
  public static Object call(Path dir, String className, String factory, Object... args) {
    return call(new Path[] {dir}, className, factory, args);
  }

  /** Like {@link #call(Path, String, String, Object...)} over several directories. */
  public static Object call(Path[] dirs, String className, String factory, Object... args) {
    try {
      Class<?> c = loader(dirs).loadClass(className);
      for (var m : c.getMethods()) {
        if (m.getName().equals(factory) && m.getParameterCount() == args.length) {
          return m.invoke(null, args);
        }
      }
      throw new IllegalArgumentException("no method " + factory + " in " + className);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a compiled class file. */
  public static byte[] classBytes(Path dir, String className) {
    try {
      return Files.readAllBytes(dir.resolve(className.replace('.', '/') + ".class"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Source extends SimpleJavaFileObject {
    private final String code;

    Source(String code) {
      super(URI.create("string:///" + className(code).replace('.', '/') + Kind.SOURCE.extension),
          Kind.SOURCE);
      this.code = code;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }

    private static String className(String code) {
      var pkg = java.util.regex.Pattern.compile("package\\s+([\\w.]+);").matcher(code);
      var cls = java.util.regex.Pattern.compile("(?:class|interface|record)\\s+(\\w+)").matcher(code);
      if (!cls.find()) {
        throw new IllegalArgumentException("no class in source");
      }
      return (pkg.find() ? pkg.group(1) + "." : "") + cls.group(1);
    }
  }
}
