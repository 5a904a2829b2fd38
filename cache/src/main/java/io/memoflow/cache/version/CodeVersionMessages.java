package io.memoflow.cache.version;

/** The templates of code versioning's user-facing messages, kept together so tests can match. */
final class CodeVersionMessages {
  static final String FIX_SERIALIZABLE =
      "make the functional interface Serializable or give the op an explicit version label";
  static final String FIX_LABEL = "give the op an explicit version label (Op.builder(name).version(\"1\"))";

  private CodeVersionMessages() {}

  static String notSerializable(String subject, Class<?> type) {
    return "Cannot compute the code version of " + subject + ": " + type.getName()
        + " is a lambda or method reference whose functional interface is not Serializable, so"
        + " its implementation method cannot be found. To fix it, " + FIX_SERIALIZABLE
        + " (e.g. interface MyFn extends Function<A, R>, Serializable {},"
        + " or Op.builder(name).version(\"1\")).";
  }

  static String noClassFile(String subject, String owner, ClassLoader loader) {
    return "Cannot read the code of " + subject + ": no class file '" + owner + ".class' in class"
        + " loader " + loader + ". Classes generated at runtime (proxies, hidden classes,"
        + " defineClass without a resource) have none; " + FIX_LABEL + ".";
  }

  static String unreadable(String subject, String owner, Exception cause) {
    return "Cannot read the code of " + subject + ": the class file of " + owner.replace('/', '.')
        + " could not be parsed (" + cause + "). A class file newer than ASM 9.8 supports, or a"
        + " damaged one? Recompile it, or " + FIX_LABEL + ".";
  }

  static String noMethod(String subject, String method) {
    return "Cannot read the code of " + subject + ": method " + method + " is not in the class"
        + " file the class loader provides (was the class changed on disk after it was loaded?)."
        + " Restart with consistent classes, or " + FIX_LABEL + ".";
  }

  static String unreadableConstant(String subject, String field, Throwable cause) {
    return "Cannot read constant " + field.replace('/', '.') + ", which the code of " + subject
        + " reads (" + cause + "). Constants count by value in code versions; make the field"
        + " readable (its class must initialise), or " + FIX_LABEL + ".";
  }

  static String noCode(String subject, Class<?> type) {
    return "Cannot compute the code version of " + subject + ": " + type.getName()
        + " is a JDK or generated class, not application code; " + FIX_LABEL + ".";
  }
}
