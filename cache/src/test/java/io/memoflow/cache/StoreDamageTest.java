package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.StorageException;
import io.memoflow.cache.spi.StoreCheck;
import io.memoflow.cache.spi.StoreDamageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage a user can do by hand to a closed store, and what the next read gives: the stored
 * value or a {@link StoreDamageException} naming the file, the op and the call; never another
 * value.
 */
class StoreDamageTest {
  @TempDir
  Path tmp;
  private final AtomicInteger runs = new AtomicInteger();
  /** Outputs a value of about 10 KB: kept in a blob file. */
  private final Op big = Op.of("big", (String s) -> {
    runs.incrementAndGet();
    return s.repeat(1000) + "|end";
  });
  /** Outputs a short value: kept inline in values.N.cm. */
  private final Op small = Op.of("small", (String s) -> {
    runs.incrementAndGet();
    return "<" + s + ">";
  });

  private Path store() {
    return tmp.resolve("store");
  }

  private Storage open() {
    return Storage.open(store(), StorageOptions.defaults().initialEntries(1024));
  }

  private void fill() {
    try (Storage st = open(); Session s = st.session()) {
      big.call("0123456789");
      small.call("marker-7f3a");
    }
  }

  private Path onlyBlob() throws IOException {
    try (Stream<Path> s = Files.walk(store().resolve("blobs"))) {
      List<Path> files = s.filter(Files::isRegularFile).toList();
      assertEquals(1, files.size(), files.toString());
      return files.get(0);
    }
  }

  private StoreDamageException readBig() {
    try (Storage st = open(); Session s = st.session()) {
      Ref<String> r = big.call("0123456789");
      return assertThrows(StoreDamageException.class, r::value);
    }
  }

  private static void assertNames(StoreDamageException e, Path file, String... words) {
    String m = e.getMessage();
    assertTrue(m.contains(file.toString()), m);
    assertEquals(file, e.file());
    assertTrue(m.contains("memoflow verify --store"), m);
    assertTrue(m.contains("memoflow repair --store"), m);
    for (String w : words) {
      assertTrue(m.contains(w), "'" + w + "' missing from: " + m);
    }
  }

  @Test
  void aDigitChangedInABlob_isAnErrorNamingTheBlobTheOpAndTheCall() throws IOException {
    fill();
    Path blob = onlyBlob();
    byte[] b = Files.readAllBytes(blob);
    int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("0123456789") + 3;
    b[at] = '7';
    Files.write(blob, b);
    StoreDamageException e = readBig();
    assertNames(e, blob, "do not hash to its content id", "op 'big'", "output 'output_0'", "call ");
    assertEquals(2, runs.get(), "nothing ran again: the two calls of fill() only");
  }

  @Test
  void aBlobOverwrittenWithAnotherValidValue_isNotReturnedAsGenuine() throws IOException {
    fill();
    Path blob = onlyBlob();
    // A well-formed value of the same type, as a forger would write it.
    Files.writeString(blob, "[\"s\",\"" + "9".repeat(10_000) + "|end\"]");
    assertNames(readBig(), blob, "do not hash to its content id");
  }

  @Test
  void anEmptyBlob_isAnErrorNotANullPointer() throws IOException {
    fill();
    Path blob = onlyBlob();
    Files.write(blob, new byte[0]);
    assertNames(readBig(), blob, "is empty");
  }

  @Test
  void aDeletedBlob_isAnErrorNamingTheMissingFile() throws IOException {
    fill();
    Path blob = onlyBlob();
    Files.delete(blob);
    assertNames(readBig(), blob, "is missing", "values.0.cm");
  }

  @Test
  void aByteChangedInAnInlineValue_isAnErrorNamingTheIndexFile() throws IOException {
    fill();
    Path values = store().resolve("values.0.cm");
    byte[] b = Files.readAllBytes(values);
    int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("marker-7f3a");
    assertTrue(at > 0, "the inline value is in the file");
    b[at] = 'M';
    Files.write(values, b);
    try (Storage st = open(); Session s = st.session()) {
      Ref<String> r = small.call("marker-7f3a");
      StoreDamageException e = assertThrows(StoreDamageException.class, r::value);
      assertNames(e, values, "op 'small'");
    }
  }

  @Test
  void aByteChangedInAName_isAnErrorNamingTheNameTable() throws IOException {
    fill();
    Path names = store().resolve("names.log");
    byte[] b = Files.readAllBytes(names);
    int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("big");
    b[at] = 'p';   // "pig": every call of big would otherwise become a call of pig
    Files.write(names, b);
    StoreDamageException e = assertThrows(StoreDamageException.class, this::open);
    assertNames(e, names, "fails its checksum");
  }

  @Test
  void aByteChangedInACallRecord_isAnErrorNamingTheCallsFile() throws IOException {
    fill();
    Path calls = store().resolve("calls.0.cm");
    ContentId out;
    try (Storage st = open(); Session s = st.session()) {
      out = small.call("marker-7f3a").contentId();
    }
    // The record holds the output's content id: change one of its bits.
    byte[] b = Files.readAllBytes(calls);
    int at = indexOf(b, java.nio.ByteBuffer.allocate(16).putLong(out.hi()).putLong(out.lo()).array());
    assertTrue(at > 0, "the record is in the file");
    b[at + 5] ^= 4;
    Files.write(calls, b);
    try (Storage st = open(); Session s = st.session()) {
      StoreDamageException e = assertThrows(StoreDamageException.class, () -> small.call("marker-7f3a"));
      assertNames(e, calls, "fails its checksum");
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void aTruncatedIndexFile_isAnErrorAtOpen() throws IOException {
    fill();
    Path calls = store().resolve("calls.0.cm");
    try (var ch = java.nio.channels.FileChannel.open(calls, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    StoreDamageException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () ->
        assertThrows(StoreDamageException.class, this::open));
    assertNames(e, calls, "shorter");
  }

  @Test
  void aDeletedIndexFile_isAnErrorAtOpen() throws IOException {
    fill();
    Path calls = store().resolve("calls.0.cm");
    Files.delete(calls);
    StoreDamageException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () ->
        assertThrows(StoreDamageException.class, this::open));
    assertNames(e, calls, "missing");
  }

  @Test
  void aZeroedIndexHeader_isAnErrorAtOpenWithinSeconds() throws IOException {
    fill();
    Path calls = store().resolve("calls.0.cm");
    try (var ch = java.nio.channels.FileChannel.open(calls, java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.allocate(4096), 0);
    }
    StoreDamageException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () ->
        assertThrows(StoreDamageException.class, this::open));
    assertNames(e, calls, "header");
  }

  @Test
  void anIndexFileReplacedByAnOlderCopy_isAnErrorAtOpen() throws IOException {
    fill();
    Path calls = store().resolve("calls.0.cm");
    Path old = tmp.resolve("calls.0.cm.copy");
    Files.copy(calls, old);
    Path manifest = store().resolve("calls.manifest");
    Path oldManifest = tmp.resolve("calls.manifest.copy");
    Files.copy(manifest, oldManifest);
    try (Storage st = open(); Session s = st.session()) {
      small.call("another");
    }
    Files.copy(old, calls, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(oldManifest, manifest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    StoreDamageException e = assertThrows(StoreDamageException.class, this::open);
    assertNames(e, calls, "holds 2 entries, but held 3");
  }

  @Test
  void verify_ofAWholeStore_findsNothingAndChangesNothing() throws IOException {
    fill();
    byte[] before = Files.readAllBytes(store().resolve("calls.0.cm"));
    StoreCheck c = Storage.verify(store());
    assertTrue(c.isWhole(), c.damage().toString());
    assertEquals(2, c.callsChecked());
    assertEquals(4, c.valuesChecked(), "two inputs and two outputs");
    assertEquals(java.util.Arrays.toString(before),
        java.util.Arrays.toString(Files.readAllBytes(store().resolve("calls.0.cm"))));
    assertEquals(Optional.empty(), Storage.repair(store()).keptAs(), "a whole store is left alone");
  }

  @Test
  void verify_refusesAStoreThatIsOpen() {
    fill();
    try (Storage st = open()) {
      StorageException e = assertThrows(StorageException.class, () -> Storage.verify(store()));
      assertTrue(e.getMessage().contains("is locked by this process"), e.getMessage());
    }
  }

  @Test
  void repair_ofADamagedBlob_dropsTheCallThatOutputItAndKeepsTheRest() throws IOException {
    fill();
    Path blob = onlyBlob();
    Files.writeString(blob, "damaged");
    StoreCheck found = Storage.verify(store());
    assertEquals(2, found.damage().size(), found.damage().toString());
    assertEquals(blob, found.damage().get(0).file());
    assertTrue(found.damage().get(1).what().contains("of op 'big' has lost its output"), found.toString());
    assertEquals(1, found.valuesLost());
    assertEquals(1, found.callsLost(), "big's call lost its output");

    StoreCheck repaired = Storage.repair(store());
    Path kept = repaired.keptAs().orElseThrow();
    assertTrue(Files.exists(kept.resolve("calls.0.cm")), "the damaged original is kept");
    assertTrue(Storage.verify(store()).isWhole());
    runs.set(0);
    try (Storage st = open(); Session s = st.session()) {
      assertEquals("<marker-7f3a>", small.call("marker-7f3a").value());
      assertEquals(0, runs.get(), "small's call was kept");
      assertEquals("0123456789".repeat(1000) + "|end", big.call("0123456789").value());
      assertEquals(1, runs.get(), "big's call ran again");
    }
  }

  @Test
  void repair_ofADeletedCallsIndex_keepsTheValuesAndRecomputesTheCalls() throws IOException {
    fill();
    Files.delete(store().resolve("calls.0.cm"));
    StoreCheck found = Storage.verify(store());
    assertTrue(found.damage().stream().anyMatch(d -> d.what().contains("is missing")), found.toString());
    Storage.repair(store());
    runs.set(0);
    try (Storage st = open(); Session s = st.session()) {
      assertEquals("<marker-7f3a>", small.call("marker-7f3a").value());
      assertEquals(1, runs.get(), "its record was lost with the file: it runs again");
    }
  }

  @Test
  void repair_ofADamagedName_dropsTheCallsThatUseIt() throws IOException {
    fill();
    Path names = store().resolve("names.log");
    byte[] b = Files.readAllBytes(names);
    b[new String(b, StandardCharsets.ISO_8859_1).indexOf("big")] = 'p';
    Files.write(names, b);
    StoreCheck c = Storage.repair(store());
    assertEquals(1, c.callsLost(), c.damage().toString());
    runs.set(0);
    try (Storage st = open(); Session s = st.session()) {
      big.call("0123456789");
      small.call("marker-7f3a");
      assertEquals(1, runs.get(), "only big ran again");
    }
  }

  @Test
  void aDamagedOrTornVersionLogLine_isSkippedAndTheRestReads() throws IOException {
    fill();
    Path log = store().resolve("versions").resolve("log.jsonl");
    List<String> lines = Files.readAllLines(log);
    assertTrue(lines.size() >= 2 && lines.get(0).contains("\t"), lines.toString());
    // The first line's semantic version changed (its checksum no longer matches), and a torn
    // line at the end, as a crash while appending leaves it.
    String changed = lines.get(0).replaceFirst("\"semantic\":\"([0-9a-f])", "\"semantic\":\"x");
    List<String> damaged = new java.util.ArrayList<>(lines);
    damaged.set(0, changed);
    Files.writeString(log, String.join("\n", damaged) + "\n{\"type\":\"vers");
    runs.set(0);
    try (Storage st = open(); Session s = st.session()) {
      assertEquals("<marker-7f3a>", small.call("marker-7f3a").value());
      big.call("0123456789");
      assertEquals(0, runs.get(), "the damaged line was skipped, not believed: both calls retrace");
      small.call("another");   // appends after the torn line
    }
    List<String> after = Files.readAllLines(log);
    assertTrue(after.get(after.size() - 1).contains("\t"), "the new line starts on its own: " + after);
    try (Storage st = open(); Session s = st.session(SessionMode.NO_NEW_CALLS)) {
      assertEquals("<another>", small.call("another").value());
    }
  }
}
