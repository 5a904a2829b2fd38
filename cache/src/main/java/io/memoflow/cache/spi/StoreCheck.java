package io.memoflow.cache.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code Storage.verify(Path)} or {@code Storage.repair(Path)} found in a store directory:
 * every damaged entry or file, and how much was checked and lost.
 *
 * @param damage each damaged file or entry, in the order found; empty for a whole store
 * @param callsChecked the call records read
 * @param valuesChecked the value entries read
 * @param callsLost the calls that cannot be kept (record damaged, or an output value lost);
 *     they run again when next called
 * @param valuesLost the values whose bytes are damaged or missing
 * @param keptAs for a repair that rewrote the store, where the original (damaged, or of the
 *     earlier format 2) was moved
 */
public record StoreCheck(List<Damage> damage, long callsChecked, long valuesChecked, long callsLost,
    long valuesLost, Optional<Path> keptAs) {

  /**
   * One damaged file or entry.
   *
   * @param file the file it is in
   * @param what what is wrong, as a clause
   */
  public record Damage(Path file, String what) {}

  /** Returns whether nothing was damaged. */
  public boolean isWhole() {
    return damage.isEmpty();
  }

  /** Returns this check with {@code keptAs} set (a repair that rewrote the store). */
  public StoreCheck keptAs(Path keptAs) {
    return new StoreCheck(damage, callsChecked, valuesChecked, callsLost, valuesLost, Optional.of(keptAs));
  }
}
