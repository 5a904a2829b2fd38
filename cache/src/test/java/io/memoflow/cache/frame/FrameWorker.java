package io.memoflow.cache.frame;

import io.memoflow.cache.Storage;
import io.memoflow.cache.spi.StorageException;
import java.nio.file.Path;

/**
 * The second process of {@link FrameCrossProcessTest}: opens a store written by another JVM,
 * builds the frame of {@code inc} grown to the full graph, and prints its table as CSV sorted
 * by {@code x0}, then its listing. Not a test.
 */
public final class FrameWorker {
  private FrameWorker() {}

  /** Usage: {@code <dir>}. */
  public static void main(String[] args) {
    try (Storage storage = Storage.open(Path.of(args[0]))) {
      ComputationFrame cf = ComputationFrame.ofOp(storage, "inc").grow();
      System.out.print(cf.toTable().sortedBy("x0").toCsv().replace("\r\n", "\n"));
      System.out.print(cf.listing());
    } catch (StorageException e) {
      System.out.println("error: " + e.getMessage());
    }
    System.out.flush();
  }
}
