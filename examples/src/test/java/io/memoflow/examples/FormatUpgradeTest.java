package io.memoflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Storage;
import io.memoflow.cache.frame.ComputationFrame;
import io.memoflow.cache.spi.StorageException;
import io.memoflow.cache.spi.StoreCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store the previous memoflow wrote (format 2, no checksums: store-format2.zip, the demo with
 * one seed and two lambdas): opening it says what to do, and repair converts it keeping every
 * call and value, each record checked by its history id.
 */
class FormatUpgradeTest {
  @TempDir
  Path tmp;

  private Path unzip() throws IOException {
    Path dir = tmp.resolve("store");
    try (InputStream in = FormatUpgradeTest.class.getResourceAsStream("store-format2.zip");
        ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
        Path p = dir.resolve(e.getName());
        if (e.isDirectory()) {
          Files.createDirectories(p);
        } else {
          Files.createDirectories(p.getParent());
          Files.copy(z, p);
        }
      }
    }
    return dir;
  }

  @Test
  void aFormat2Store_isRefusedWithWhatToDo_andRepairConvertsIt() throws IOException {
    Path dir = unzip();
    StorageException refused = assertThrows(StorageException.class, () -> Storage.open(dir));
    assertTrue(refused.getMessage().contains("Run `memoflow repair --store " + dir + "`"), refused.getMessage());
    assertTrue(Storage.verify(dir).isWhole(), "verify reads the earlier format too");

    MemoflowCliTest.Outcome o = MemoflowCliTest.run("repair", "--store", dir.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().startsWith("Converted " + dir + " to this memoflow's store format: 5 calls and"),
        o.out());
    StoreCheck after = Storage.verify(dir);
    assertTrue(after.isWhole(), after.toString());
    assertEquals(5, after.callsChecked(), "1 generate, 2 ridge_fit, 2 score");
    try (Storage s = Storage.open(dir)) {
      assertEquals(2, s.calls("score").size());
      // Every value of every call reads back: the frame's table loads them all.
      assertEquals(2, ComputationFrame.ofOp(s, "score").grow().toTable().size());
    }
  }
}
