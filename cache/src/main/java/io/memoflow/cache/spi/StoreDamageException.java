package io.memoflow.cache.spi;

import java.nio.file.Path;

/**
 * Thrown when a store file does not hold what was written to it: a value whose bytes do not
 * hash to its content id, a call record or name that fails its checksum, an index file that is
 * missing or shorter than it was. Nothing damaged is ever returned in its place. The message
 * names the file, what was found, and what to do ({@code memoflow verify}, {@code memoflow
 * repair}, or restoring a copy).
 */
public class StoreDamageException extends StorageException {
  private final transient Path store;
  private final transient Path file;
  private final String damage;

  /**
   * Creates the exception for damage found in {@code file} of the store in {@code store}.
   *
   * @param damage what is wrong, as a clause ("the record of call 3f2a... fails its checksum")
   */
  public StoreDamageException(Path store, Path file, String damage) {
    this(store, file, damage, null);
  }

  private StoreDamageException(Path store, Path file, String damage, String context) {
    super((context == null ? "" : context + ": ") + "store file " + file + " is damaged: " + damage
        + ". Nothing damaged was returned. Run `memoflow verify --store " + store + "` to list"
        + " every damaged entry, then `memoflow repair --store " + store + "` to drop them (the"
        + " calls they belong to run again when next called), or restore the store from a copy.");
    this.store = store;
    this.file = file;
    this.damage = damage;
  }

  /** Returns this damage with {@code context} (which value or call was being read) in front. */
  public StoreDamageException in(String context) {
    StoreDamageException e = new StoreDamageException(store, file, damage, context);
    e.initCause(this);
    return e;
  }

  /** Returns the directory of the damaged store. */
  public Path store() {
    return store;
  }

  /** Returns the damaged file. */
  public Path file() {
    return file;
  }

  /** Returns what is wrong with the file, as a clause. */
  public String damage() {
    return damage;
  }
}
