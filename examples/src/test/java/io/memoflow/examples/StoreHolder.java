package io.memoflow.examples;

import io.memoflow.cache.Storage;
import java.nio.file.Path;

/** Test helper run in a second JVM: opens the store in args[0], says "ready", holds it until stdin closes. */
public final class StoreHolder {
  private StoreHolder() {}

  /** Holds the store at {@code args[0]} until standard input ends. */
  public static void main(String[] args) throws Exception {
    try (Storage s = Storage.open(Path.of(args[0]))) {
      System.out.println("ready");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our stdin
      }
    }
  }
}
