package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.internal.Codec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Canonical bytes and registered types. */
class CodecTest {
  /** A user type stored through registration. */
  public record Point(int y, int x, Map<String, Double> tags) {}

  @Test
  void encode_isCompactTaggedJson() {
    assertEquals("[\"i\",1]", new String(Codec.encode(1), StandardCharsets.UTF_8));
    assertEquals("[\"l\",1]", new String(Codec.encode(1L), StandardCharsets.UTF_8));
    assertEquals("[\"d\",1.0]", new String(Codec.encode(1.0), StandardCharsets.UTF_8));
    assertEquals("[\"b\",true]", new String(Codec.encode(true), StandardCharsets.UTF_8));
    assertEquals("[\"list\",[[\"i\",1],[\"s\",\"a\"]]]",
        new String(Codec.encode(List.of(1, "a")), StandardCharsets.UTF_8));
  }

  @Test
  void registeredType_roundTripsWithSortedProperties() {
    ValueTypes.register("test.Point", Point.class);
    Point p = new Point(2, 1, Map.of("b", 2.0, "a", 1.0));
    String json = new String(Codec.encode(p), StandardCharsets.UTF_8);
    assertEquals("[\"test.Point\",{\"tags\":{\"a\":1.0,\"b\":2.0},\"x\":1,\"y\":2}]", json);
    assertEquals(p, Codec.decode(Codec.encode(p)));
  }

  @Test
  void unregisteredType_isRejectedWithHowToFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Codec.encode(new StringBuilder("x")));
    assertTrue(e.getMessage().contains("no codec for java.lang.StringBuilder"), e.getMessage());
    assertTrue(e.getMessage().contains("ValueTypes.register"), e.getMessage());
  }

  @Test
  void register_rejectsBuiltInAndTakenTags() {
    assertThrows(IllegalArgumentException.class, () -> ValueTypes.register("i", Point.class));
    ValueTypes.register("test.Point", Point.class);
    assertThrows(IllegalArgumentException.class, () -> ValueTypes.register("test.Point", String.class));
  }

  @Test
  void decode_unknownTagSaysWhatToRegister() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Codec.decode("[\"no.Such\",{}]".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("ValueTypes.register(\"no.Such\""), e.getMessage());
  }

  @Test
  void arraysAndBigNumbers_roundTrip() {
    assertArrayEquals(new int[] {1, 2}, (int[]) Codec.decode(Codec.encode(new int[] {1, 2})));
    assertArrayEquals(new double[] {Double.NaN, -0.0}, (double[]) Codec.decode(Codec.encode(new double[] {Double.NaN, -0.0})));
    assertArrayEquals(new byte[] {1, -1}, (byte[]) Codec.decode(Codec.encode(new byte[] {1, -1})));
    assertEquals(new BigDecimal("1.50"), Codec.decode(Codec.encode(new BigDecimal("1.50"))));
  }
}
