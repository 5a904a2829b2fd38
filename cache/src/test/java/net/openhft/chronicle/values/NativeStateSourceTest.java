package net.openhft.chronicle.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.memoflow.cache.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.hash.VanillaGlobalMutableState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checked-in VanillaGlobalMutableState$$Native (which spares every cold open a javac run) is
 * exactly what the Chronicle Values on the classpath generates: after a Chronicle upgrade that
 * changes the header layout, this fails instead of a store being read with a stale layout. In
 * Chronicle's package to reach its generator.
 */
class NativeStateSourceTest {
  private static final Path SOURCE =
      Path.of("src/main/java/net/openhft/chronicle/hash/VanillaGlobalMutableState$$Native.java");

  @Test
  void checkedInSource_isWhatChronicleGenerates() throws Exception {
    String generated = Generators.generateNativeClass(
        ValueModel.acquire(VanillaGlobalMutableState.class), "VanillaGlobalMutableState$$Native");
    String checkedIn = Files.readString(SOURCE);
    // The file starts with a comment saying why it is there; the generated code follows.
    checkedIn = checkedIn.substring(checkedIn.indexOf("package "));
    assertEquals(generated.strip(), checkedIn.strip(),
        "Regenerate " + SOURCE + " with: java @cache/src/main/resources/META-INF/memoflow/jvm.options "
            + "-cp <cache's runtime classpath> net.openhft.chronicle.hash.VanillaGlobalMutableState");
  }

  @Test
  void openingAStore_usesTheCheckedInClass(@TempDir Path dir) throws Exception {
    try (Storage s = Storage.open(dir.resolve("store"))) {
      Class<?> c = Class.forName("net.openhft.chronicle.hash.VanillaGlobalMutableState$$Native");
      // A class compiled at run time has no code source on the classpath.
      assertNotNull(c.getProtectionDomain().getCodeSource(), "loaded from the classpath");
      String where = c.getProtectionDomain().getCodeSource().getLocation().toString();
      assertEquals(true, where.contains("classes") || where.contains("memoflow-cache"), where);
    }
  }
}
