package io.memoflow.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Hashers reuse per-thread SHA-256 engines; these tests pin that reuse changes no digest. */
class DigestTest {

  /** SHA-256 of the same typed, length-prefixed pieces, computed without Digest.Hasher. */
  private static Digest reference(String tag, long n, byte[] bytes) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] t = tag.getBytes(StandardCharsets.UTF_8);
    sha.update(ByteBuffer.allocate(9).put((byte) 1).putLong(t.length).array());
    sha.update(t);
    sha.update(ByteBuffer.allocate(9).put((byte) 2).putLong(n).array());
    sha.update(ByteBuffer.allocate(9).put((byte) 4).putLong(bytes.length).array());
    sha.update(bytes);
    ByteBuffer h = ByteBuffer.wrap(sha.digest());
    return new Digest(h.getLong(), h.getLong());
  }

  @Test
  void reusedEnginesGiveTheReferenceDigest() throws Exception {
    for (int i = 0; i < 50; i++) {
      byte[] b = new byte[i * 7];
      for (int j = 0; j < b.length; j++) {
        b[j] = (byte) (i + j);
      }
      assertEquals(reference("t" + i, i, b), Digest.hasher("t" + i).add((long) i).add(b).digest());
    }
  }

  @Test
  void stringsOfAnyLengthAndAlphabetGiveTheReferenceDigest() throws Exception {
    for (String piece : new String[] {"", "x", "caf\u00e9", "\u6f22\u5b57", "a".repeat(255),
        "b".repeat(256), "c".repeat(1000), "\u00e9".repeat(300)}) {
      for (int fill = 0; fill < 300; fill += 37) {
        byte[] before = new byte[fill];
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] t = "s".getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(9).put((byte) 1).putLong(t.length).array());
        sha.update(t);
        sha.update(ByteBuffer.allocate(9).put((byte) 4).putLong(fill).array());
        sha.update(before);
        byte[] p = piece.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(9).put((byte) 1).putLong(p.length).array());
        sha.update(p);
        ByteBuffer h = ByteBuffer.wrap(sha.digest());
        assertEquals(new Digest(h.getLong(), h.getLong()),
            Digest.hasher("s").add(before).add(piece).digest(), piece.length() + "/" + fill);
      }
    }
  }

  @Test
  void interleavedHashersDoNotMix() throws Exception {
    List<Digest.Hasher> open = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      open.add(Digest.hasher("t" + i).add((long) i));
    }
    // An abandoned hasher (never finished) must not disturb the others either.
    Digest.hasher("abandoned").add(42L);
    for (int i = open.size() - 1; i >= 0; i--) {
      Digest.Hasher h = open.get(i);
      Digest nested = Digest.hasher("inner").add((long) i).digest();
      assertEquals(Digest.hasher("inner").add((long) i).digest(), nested);
      assertEquals(reference("t" + i, i, new byte[] {9}), h.add(new byte[] {9}).digest());
    }
  }

  @Test
  void addDigestEqualsAddOfTheDigest() {
    Digest d = new Digest(0x0123456789abcdefL, -2L);
    assertEquals(Digest.hasher("x").add(d).add("y").digest(),
        Digest.hasher("x").addDigest(d.hi(), d.lo()).add("y").digest());
  }

  @Test
  void digestTwiceIsRefused() {
    Digest.Hasher h = Digest.hasher("x");
    h.digest();
    IllegalStateException e = assertThrows(IllegalStateException.class, h::digest);
    assertTrue(e.getMessage().contains("Digest.hasher"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> h.add("more"));
  }

  @Test
  void hasherFinishedOnAnotherThread() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Digest.Hasher h = Digest.hasher("cross").add(7L);
      Future<Digest> f = pool.submit(() -> h.add(new byte[] {1}).digest());
      Future<Digest> g = pool.submit(() -> reference("cross", 7, new byte[] {1}));
      assertEquals(g.get(), f.get());
      assertEquals(reference("cross", 7, new byte[] {1}),
          Digest.hasher("cross").add(7L).add(new byte[] {1}).digest());
    } finally {
      pool.shutdownNow();
    }
  }
}
