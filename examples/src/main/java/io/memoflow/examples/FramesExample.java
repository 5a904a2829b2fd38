package io.memoflow.examples;

import io.memoflow.cache.Op;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import io.memoflow.cache.frame.ComputationFrame;
import io.memoflow.cache.frame.FrameTable;
import java.io.PrintWriter;

/**
 * Computation frames: query everything that was computed as a table. A frame of {@code inc}'s
 * calls is grown to the full graph ({@code add} reads them), turned into a table (one row per
 * computation, {@code null} where a branch was not taken), restricted by value, and used to
 * delete calls together with everything that depends on them.
 */
public final class FramesExample {
  private FramesExample() {}

  /**
   * The outcome.
   *
   * @param table the table of the grown frame
   * @param deletedCalls calls deleted with the restricted frame
   * @param incCallsLeft calls of {@code inc} left after the deletion
   */
  public record Result(FrameTable table, int deletedCalls, int incCallsLeft) {}

  /** Runs the example, printing to {@code out}. */
  public static Result run(PrintWriter out) {
    Op inc = Op.builder("inc").version("1").inputs("x").function(a -> (Integer) a[0] + 1).build();
    Op add = Op.builder("add").version("1").inputs("x", "y").function(a -> (Integer) a[0] + (Integer) a[1]).build();
    try (Storage storage = Storage.inMemory()) {
      try (Session s = storage.session()) {
        for (int i = 0; i < 4; i++) {
          Ref<Integer> j = inc.call(i);
          if (i % 2 == 0) {
            add.call(j, i);                    // only even i go on to add
          }
        }
      }
      ComputationFrame cf = ComputationFrame.of(storage, inc).grow();
      out.println(cf);
      FrameTable table = cf.toTable().sortedBy("x");
      out.println(table.toText());
      ComputationFrame big = cf.whereValue("x", v -> (Integer) v >= 2);
      out.println("restricted to x >= 2:");
      out.println(big.toTable().sortedBy("x").toText());
      ComputationFrame.Deletion d = big.delete();
      int left = storage.calls("inc").size();
      out.println("deleted " + d.calls() + " calls (inc and the add that read it); inc calls left: " + left);
      out.flush();
      return new Result(table, d.calls(), left);
    }
  }

  /** Runs the example on standard output. */
  public static void main(String[] args) {
    run(new PrintWriter(System.out, true));
  }
}
