package io.memoflow.cache.version;

import java.nio.file.Path;

/** Prints the code version of {@code edits.Ops.<factory>()} compiled in a directory (run in another JVM). */
public final class PrintCodeVersion {
  private PrintCodeVersion() {}

  /** Arguments: classes directory, factory method name. */
  public static void main(String[] args) {
    Object fn = EditableCode.call(Path.of(args[0]), "edits.Ops", args[1]);
    System.out.println(CodeVersions.of(fn).hex());
  }
}
