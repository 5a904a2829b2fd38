package io.memoflow.dag;

import static io.memoflow.dag.Expr.apply;
import static io.memoflow.dag.Expr.constant;
import static io.memoflow.dag.Expr.symbol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExprTest {
  private final Expr x = symbol("x");
  private final Expr y = symbol("y");

  @Test
  void equals_isStructural() {
    assertEquals(apply("Min", x, y), apply("Min", symbol("x"), symbol("y")));
    assertEquals(apply("Min", x, y).hashCode(), apply("Min", symbol("x"), symbol("y")).hashCode());
    assertNotEquals(apply("Min", x, y), apply("Min", y, x));
    assertNotEquals(apply("Min", x, y), apply("Max", x, y));
    assertEquals(apply("f", apply("g", x)), apply("f", List.of(apply("g", List.of(x)))));
  }

  @Test
  void constants_ofDifferentTypesDiffer() {
    assertNotEquals(constant(1), constant(1.0));
    assertNotEquals(constant(1), constant(true));
    assertNotEquals(constant(1), constant("1"));
    assertEquals(constant(1), new Expr.Constant(1)); // Integer widened to Long
    assertEquals(constant(0.5), new Expr.Constant(0.5f));
  }

  @Test
  void toString_isReadable() {
    assertEquals("Min(x, y)", apply("Min", x, y).toString());
    assertEquals("f(g(x), 2, 0.5, \"adam\", true)",
        apply("f", apply("g", x), constant(2), constant(0.5), constant("adam"), constant(true))
            .toString());
    assertEquals("Now()", apply("Now").toString());
  }

  @Test
  void digest_isStableAcrossRuns() {
    assertEquals("7b4b43e3f17e5cdb1289afc00faed1ba", x.digest().hex());
    assertEquals("0f2577bf7c1c010c93d18a23da80830f", apply("Min", x, y).digest().hex());
    assertEquals("da3b39a4402b7332977fb3c7581c1cef", constant(1).digest().hex());
    assertEquals("8dfdcd8a0a8b0c2b4828f3700b657606", constant(1.0).digest().hex());
    assertEquals("5303201922a35a0f9bcaad2ba5111159", constant("adam").digest().hex());
    assertEquals("7c2fc081f96c6c2a3d9348412c6c0cb5", constant(true).digest().hex());
  }

  @Test
  void digest_ofSymbol_isSha256OfTaggedLengthPrefixedPieces() throws Exception {
    // Independent of Digest.Hasher: tag byte 1 (string), 8-byte big-endian length, UTF-8 bytes.
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (String piece : List.of("sym", "x")) {
      byte[] b = piece.getBytes(StandardCharsets.UTF_8);
      sha.update((byte) 1);
      sha.update(ByteBuffer.allocate(8).putLong(b.length).array());
      sha.update(b);
    }
    ByteBuffer h = ByteBuffer.wrap(sha.digest());
    assertEquals(new Digest(h.getLong(), h.getLong()), x.digest());
  }

  @Test
  void digest_separatesStructureThatPrintsAlike() {
    assertNotEquals(symbol("1").digest(), constant(1).digest());
    assertNotEquals(apply("f", symbol("ab")).digest(), apply("f", symbol("a"), symbol("b")).digest());
    assertNotEquals(apply("Min", x, y).digest(), apply("Min", y, x).digest());
  }

  @Test
  void digest_hexRoundTrips() {
    Digest d = apply("Min", x, y).digest();
    assertEquals(d, Digest.fromHex(d.hex()));
    assertEquals(d.hex().substring(0, 12), d.shortHex());
    assertThrows(IllegalArgumentException.class, () -> Digest.fromHex("abc"));
    assertThrows(IllegalArgumentException.class, () -> Digest.fromHex("z".repeat(32)));
  }

  @Test
  void substitute_replacesOutermostMatch() {
    Expr e = apply("Add", apply("Min", x, y), x);
    Expr z = symbol("z");
    assertEquals(apply("Add", z, x), e.substitute(Map.of(apply("Min", x, y), z)));
    assertEquals(apply("Add", apply("Min", z, y), z), e.substitute(Map.of(x, z)));
    assertSame(e, e.substitute(Map.of(symbol("w"), z)));
  }

  @Test
  void symbols_inFirstOccurrenceOrder() {
    assertEquals(List.copyOf(Set.of(y)), List.copyOf(apply("f", y, y).symbols()));
    assertEquals(List.of(y, x), List.copyOf(apply("f", y, apply("g", x, y)).symbols()));
  }

  @Test
  void blankNames_areRejectedWithReason() {
    var e = assertThrows(IllegalArgumentException.class, () -> symbol(" "));
    assertTrue(e.getMessage().contains("non-blank"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> apply("", x));
    var c = assertThrows(IllegalArgumentException.class, () -> new Expr.Constant(new Object()));
    assertTrue(c.getMessage().contains("java.lang.Object"), c.getMessage());
  }
}
