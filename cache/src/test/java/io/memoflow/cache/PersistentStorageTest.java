package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.internal.ChronicleBackend;
import io.memoflow.cache.spi.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the storage contract on {@link Storage#open(Path)}, plus what only a directory store does. */
class PersistentStorageTest extends StorageContractTest {
  @TempDir
  Path tmp;

  private Path dir() {
    return tmp.resolve("store");
  }

  @Override
  protected Storage newStorage() {
    return Storage.open(dir(), StorageOptions.defaults().initialEntries(1024));
  }

  @Override
  protected Storage reopen(Storage s) {
    s.close();
    return newStorage();
  }

  @Test
  void readsOnAnInterruptedThread_ofWhatAnotherStorageWrote_keepTheStoreUsable() {
    Op other = Op.of("writtenElsewhere", (Integer x) -> x * 10);
    try (Storage second = newStorage()) {
      try (Session s = second.session()) {
        other.call(1);   // a new op name: this storage reads it from names.log when it meets it
      }
      try (Session s = storage.session()) {
        Thread.currentThread().interrupt();   // a worker of a cancelled run
        assertEquals(10, other.<Integer>call(1).value());
        assertEquals(6, inc.<Integer>call(5).value());   // a new call, its code listing written too
      } finally {
        Thread.interrupted();
      }
    }
    storage = reopen(storage);
    try (Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
      assertEquals(10, other.<Integer>call(1).value());
      assertEquals(6, inc.<Integer>call(5).value());
    }
  }

  @Test
  void commitOnAnInterruptedThread_storesTheCallsAndKeepsTheStoreUsable() {
    try {
      try (Session s = storage.session()) {
        inc.call(5);
        Thread.currentThread().interrupt();   // as a cancelled run interrupts its workers
      }
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
    } finally {
      Thread.interrupted();
    }
    try (Session s = storage.session()) {
      inc.call(6);
    }
    storage = reopen(storage);
    runs.set(0);
    try (Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
      assertEquals(6, inc.<Integer>call(5).value());
      assertEquals(7, inc.<Integer>call(6).value());
    }
    assertEquals(0, runs.get());
  }

  @Test
  void open_rollsToNewSegmentFilesWhenFull() throws IOException {
    storage.close();
    Path d = tmp.resolve("small");
    try (Storage small = Storage.open(d, StorageOptions.defaults().initialEntries(16))) {
      for (int batch = 0; batch < 5; batch++) {
        try (Session s = small.session()) {
          for (int i = 0; i < 40; i++) {
            inc.call(batch * 40 + i);
          }
        }
      }
      assertEquals(200, small.stats().calls());
    }
    try (Stream<Path> files = Files.list(d)) {
      assertTrue(files.filter(p -> p.getFileName().toString().startsWith("calls.")).count() >= 3);
    }
    runs.set(0);
    try (Storage again = Storage.open(d, StorageOptions.defaults().initialEntries(16));
        Session s = again.session(SessionMode.NO_NEW_CALLS)) {
      for (int i = 0; i < 200; i++) {
        assertEquals(i + 1, inc.<Integer>call(i).value());
      }
    }
    assertEquals(0, runs.get());
    storage = newStorage();
  }

  @Test
  void call_largeValuesGoToBlobFiles() throws IOException {
    Op big = Op.of("big", (Integer n) -> "x".repeat(n));
    try (Session s = storage.session()) {
      big.call(10_000);
    }
    storage = reopen(storage);
    try (Session s = storage.session(SessionMode.NO_NEW_CALLS)) {
      assertEquals(10_000, big.<String>call(10_000).value().length());
    }
    try (Stream<Path> blobs = Files.walk(dir().resolve("blobs"))) {
      assertEquals(1, blobs.filter(Files::isRegularFile).count());
    }
  }

  @Test
  void open_rejectsDirectoryThatIsNotAStore() throws IOException {
    Path other = Files.createDirectories(tmp.resolve("photos"));
    Files.writeString(other.resolve("cat.jpg"), "meow");
    StorageException e = assertThrows(StorageException.class, () -> Storage.open(other));
    assertTrue(e.getMessage().contains("is not a memoflow store"), e.getMessage());
    assertTrue(e.getMessage().contains(other.toString()), e.getMessage());
  }

  @Test
  void open_rejectsIncompatibleFormatVersion() throws IOException {
    storage.close();
    Files.writeString(dir().resolve("FORMAT"), "memoflow-store 99\n");
    StorageException e = assertThrows(StorageException.class, this::newStorage);
    assertTrue(e.getMessage().contains("format 'memoflow-store 99'"), e.getMessage());
    assertTrue(e.getMessage().contains("reads format version 3"), e.getMessage());
    // Format 1 (32-byte provenance logs, 16-byte content index keys) is refused the same way.
    Files.writeString(dir().resolve("FORMAT"), "memoflow-store 1\n");
    e = assertThrows(StorageException.class, this::newStorage);
    assertTrue(e.getMessage().contains("format 'memoflow-store 1'"), e.getMessage());
    assertTrue(e.getMessage().contains("start a new store"), e.getMessage());
    Files.writeString(dir().resolve("FORMAT"), "memoflow-store 2\n");
    e = assertThrows(StorageException.class, this::newStorage);
    assertTrue(e.getMessage().contains("written by an earlier memoflow (format 2)"), e.getMessage());
    assertTrue(e.getMessage().contains("Run `memoflow repair --store "), e.getMessage());
    // A damaged FORMAT file (bytes that are not text) is shown, not a charset error.
    Files.write(dir().resolve("FORMAT"), new byte[] {'m', (byte) 0xC3, (byte) 0xFF, 'x'});
    e = assertThrows(StorageException.class, this::newStorage);
    assertTrue(e.getMessage().contains("format 'm??x'"), e.getMessage());
    assertTrue(e.getMessage().contains("its one line is 'memoflow-store 3'"), e.getMessage());
    Files.writeString(dir().resolve("FORMAT"), "memoflow-store 3\n");
    storage = newStorage();
  }

  @Test
  void open_twiceInThisProcessSharesTheStore() {
    try (Storage second = newStorage()) {
      try (Session s = storage.session()) {
        inc.call(1);
      }
      try (Session s = second.session(SessionMode.NO_NEW_CALLS)) {
        assertEquals(2, inc.<Integer>call(1).value());
      }
      assertEquals(1, second.calls("inc").size());
      Call one = second.call(storage.calls("inc").get(0).historyId()).orElseThrow();
      assertEquals(1, second.delete(one, false));
      // The first storage cached inc(1) when it committed it; the deletion must reach it.
      assertTrue(storage.call(one.historyId()).isEmpty());
      assertEquals(0, storage.calls("inc").size());
      try (Session s = storage.session()) {
        assertEquals(CallResult.Source.EXECUTED, s.callPositional(inc, 1).source());
      }
      // A value the first storage loaded (so cached), removed by the second's cleanup.
      Ref<Integer> ten;
      try (Session s = storage.session()) {
        ten = inc.call(9);
      }
      assertEquals(10, ten.value());
      second.delete(second.calls("inc").stream()
          .filter(c -> c.historyId().equals(storage.creator(ten).orElseThrow().historyId()))
          .toList().get(0), false);
      assertTrue(second.cleanup() >= 2, "9 and 10 are no longer referenced");
      Ref<?> again = new Ref<>(ten.contentId(), ten.historyId(), (MemoStorage) storage);
      StorageException e = assertThrows(StorageException.class, again::value);
      assertTrue(e.getMessage().contains("is not stored"), e.getMessage());
    }
    assertEquals(1, storage.stats().calls());
  }

  @Test
  void open_recoversOnceAfterAProcessDiedWithTheStoreOpen() throws IOException {
    storage.close();
    // What a killed process leaves: its marker, and no clean marker.
    Files.writeString(dir().resolve("procs").resolve("999999.1"), "");
    Files.delete(dir().resolve("clean"));
    try (ChronicleBackend b = ChronicleBackend.open(dir(), 1024)) {
      assertTrue(b.recovered());
    }
    assertTrue(Files.exists(dir().resolve("clean")));
    try (ChronicleBackend b = ChronicleBackend.open(dir(), 1024)) {
      assertFalse(b.recovered(), "the dead process's marker was cleared by the recovery");
    }
    // A marker alone (another process died while the last one closed cleanly) also recovers.
    Files.writeString(dir().resolve("procs").resolve("999999.2"), "");
    try (ChronicleBackend b = ChronicleBackend.open(dir(), 1024)) {
      assertTrue(b.recovered());
    }
    storage = newStorage();
  }

  @Test
  void open_recoversWhenNotClosedCleanly() throws IOException {
    try (Session s = storage.session()) {
      inc.call(1);
    }
    storage.close();
    Files.delete(dir().resolve("clean"));
    ChronicleBackend backend = ChronicleBackend.open(dir(), 1024);
    assertTrue(backend.recovered());
    Storage recovered = Storage.of(backend, StorageOptions.defaults());
    try (Session s = recovered.session(SessionMode.NO_NEW_CALLS)) {
      assertEquals(2, inc.<Integer>call(1).value());
    }
    recovered.close();
    storage = newStorage();
  }
}
