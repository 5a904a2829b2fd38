package io.memoflow.cache.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.memoflow.dag.Digest;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Canonical bytes for values: the same value gives the same bytes in every JVM, and values of
 * different types give different bytes. Not API; may change without notice.
 *
 * <p>Overview: every value is written as compact JSON {@code [tag, payload]}. Built-in tags
 * cover null, booleans, the boxed numbers ({@code i} for Integer, {@code l} for Long, {@code d}
 * for Double, ...), strings, big numbers, primitive arrays, lists, sets and maps; set elements
 * and map entries are sorted by their canonical bytes, so iteration order never changes an id.
 * Other classes must be registered ({@link #register}) and are written by Jackson with sorted
 * properties and map keys and read back as exactly that class: there is no default typing, so
 * a store file can never name a class to instantiate.
 */
public final class Codec {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();
  private static final Map<Class<?>, String> TAGS = new ConcurrentHashMap<>();
  private static final Map<String, Class<?>> TYPES = new ConcurrentHashMap<>();
  private static final Set<String> BUILT_IN =
      Set.of("null", "b", "i", "l", "h", "y", "d", "f", "s", "c", "bi", "bd", "int[]", "long[]",
          "double[]", "bytes", "list", "set", "map");
  private static final byte[] NULL = "null".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private Codec() {}

  /**
   * Registers {@code type} under {@code tag} so its values can be stored.
   *
   * @throws IllegalArgumentException if the tag is built in or taken by another class
   */
  public static void register(String tag, Class<?> type) {
    if (BUILT_IN.contains(tag)) {
      throw new IllegalArgumentException("Type tag '" + tag + "' is built in. Choose another tag for " + type.getName() + ".");
    }
    Class<?> prev = TYPES.putIfAbsent(tag, type);
    if (prev != null && prev != type) {
      throw new IllegalArgumentException(
          "Type tag '" + tag + "' is already registered for " + prev.getName() + "; choose another tag for " + type.getName() + ".");
    }
    TAGS.put(type, tag);
  }

  /** Returns the content id of canonical bytes. */
  public static Digest contentId(byte[] canonical) {
    return Digest.of("value", canonical);
  }

  /**
   * Returns the canonical bytes of {@code value}.
   *
   * @throws IllegalArgumentException if a class in the value is neither built in nor registered,
   *     or Jackson cannot serialize it; the message names the class
   */
  public static byte[] encode(Object value) {
    Sink out = new Sink(32);
    write(out, value);
    return out.toBytes();
  }

  /**
   * Decodes canonical bytes back to a fresh value (mutable collections, new objects).
   *
   * @throws IllegalStateException if the bytes are damaged or name an unregistered tag
   */
  public static Object decode(byte[] bytes) {
    try {
      return read(MAPPER.readTree(bytes));
    } catch (IOException e) {
      throw new IllegalStateException("Stored value is not readable canonical JSON: " + e.getMessage(), e);
    }
  }

  private static void write(Sink out, Object v) {
    if (!writeScalar(out, v) && !writeArray(out, v) && !writeCollection(out, v)) {
      writeRegistered(out, v);
    }
  }

  /** Writes null, a boxed primitive, a string or a big number; false for anything else. */
  private static boolean writeScalar(Sink out, Object v) {
    if (v == null) {
      out.put(NULL);
    } else if (v instanceof Integer x) {
      out.tag("i").ascii(Integer.toString(x)).put(']');
    } else if (v instanceof Long x) {
      out.tag("l").ascii(Long.toString(x)).put(']');
    } else if (v instanceof String x) {
      out.tag("s").string(x).put(']');
    } else if (v instanceof Double x) {
      out.tag("d").number(x).put(']');
    } else if (v instanceof Boolean x) {
      out.tag("b").ascii(x.toString()).put(']');
    } else if (v instanceof Float x) {
      out.tag("f").number(x.doubleValue()).put(']');
    } else if (v instanceof Short x) {
      out.tag("h").ascii(Short.toString(x)).put(']');
    } else if (v instanceof Byte x) {
      out.tag("y").ascii(Byte.toString(x)).put(']');
    } else if (v instanceof Character x) {
      out.tag("c").string(x.toString()).put(']');
    } else if (v instanceof BigInteger x) {
      out.tag("bi").string(x.toString()).put(']');
    } else if (v instanceof BigDecimal x) {
      out.tag("bd").string(x.toString()).put(']');
    } else {
      return false;
    }
    return true;
  }

  /** Writes an int, long, double or byte array; false for anything else. */
  private static boolean writeArray(Sink out, Object v) {
    if (v instanceof int[] a) {
      out.tag("int[]").put('[');
      for (int i = 0; i < a.length; i++) {
        out.comma(i).ascii(Integer.toString(a[i]));
      }
      out.put(']').put(']');
    } else if (v instanceof long[] a) {
      out.tag("long[]").put('[');
      for (int i = 0; i < a.length; i++) {
        out.comma(i).ascii(Long.toString(a[i]));
      }
      out.put(']').put(']');
    } else if (v instanceof double[] a) {
      out.tag("double[]").put('[');
      for (int i = 0; i < a.length; i++) {
        out.comma(i).number(a[i]);
      }
      out.put(']').put(']');
    } else if (v instanceof byte[] a) {
      out.tag("bytes").string(Base64.getEncoder().encodeToString(a)).put(']');
    } else {
      return false;
    }
    return true;
  }

  /** Writes a list (in order), a set or a map (sorted by encoded bytes); false for anything else. */
  private static boolean writeCollection(Sink out, Object v) {
    if (v instanceof List<?> l) {
      out.tag("list").put('[');
      int i = 0;
      for (Object e : l) {
        out.comma(i++);
        write(out, e);
      }
      out.put(']').put(']');
    } else if (v instanceof Set<?> s) {
      List<byte[]> elems = new ArrayList<>(s.size());
      for (Object e : s) {
        elems.add(encode(e));
      }
      elems.sort(Arrays::compareUnsigned);
      out.tag("set").put('[');
      for (int i = 0; i < elems.size(); i++) {
        out.comma(i).put(elems.get(i));
      }
      out.put(']').put(']');
    } else if (v instanceof Map<?, ?> m) {
      List<byte[][]> entries = new ArrayList<>(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        entries.add(new byte[][] {encode(e.getKey()), encode(e.getValue())});
      }
      entries.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
      out.tag("map").put('[');
      for (int i = 0; i < entries.size(); i++) {
        out.comma(i).put('[').put(entries.get(i)[0]).put(',').put(entries.get(i)[1]).put(']');
      }
      out.put(']').put(']');
    } else {
      return false;
    }
    return true;
  }

  /** Writes a value of a registered type as Jackson's JSON, or says how to register its type. */
  private static void writeRegistered(Sink out, Object v) {
    String tag = TAGS.get(v.getClass());
    if (tag == null) {
      throw new IllegalArgumentException(
          "no codec for " + v.getClass().getName()
              + ". Register it with ValueTypes.register(" + v.getClass().getSimpleName()
              + ".class) or mark the argument ignored");
    }
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(v);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "Jackson cannot serialize " + v.getClass().getName() + ": " + e.getMessage()
              + ". Give it Jackson-visible properties or mark the argument ignored", e);
    }
    out.tag(tag).put(json).put(']');
  }

  private static Object read(JsonNode n) {
    if (n.isNull()) {
      return null;
    }
    String tag = n.get(0).asText();
    JsonNode p = n.get(1);
    switch (tag) {
      case "i": return p.intValue();
      case "l": return p.longValue();
      case "s": return p.textValue();
      case "d": return readDouble(p);
      case "b": return p.booleanValue();
      case "f": return (float) readDouble(p);
      case "h": return (short) p.intValue();
      case "y": return (byte) p.intValue();
      case "c": return p.textValue().charAt(0);
      case "bi": return new BigInteger(p.textValue());
      case "bd": return new BigDecimal(p.textValue());
      case "int[]": {
        int[] a = new int[p.size()];
        for (int i = 0; i < a.length; i++) {
          a[i] = p.get(i).intValue();
        }
        return a;
      }
      case "long[]": {
        long[] a = new long[p.size()];
        for (int i = 0; i < a.length; i++) {
          a[i] = p.get(i).longValue();
        }
        return a;
      }
      case "double[]": {
        double[] a = new double[p.size()];
        for (int i = 0; i < a.length; i++) {
          a[i] = readDouble(p.get(i));
        }
        return a;
      }
      case "bytes": return Base64.getDecoder().decode(p.textValue());
      case "list": {
        List<Object> l = new ArrayList<>(p.size());
        p.forEach(e -> l.add(read(e)));
        return l;
      }
      case "set": {
        Set<Object> s = new LinkedHashSet<>();
        p.forEach(e -> s.add(read(e)));
        return s;
      }
      case "map": {
        Map<Object, Object> m = new LinkedHashMap<>();
        p.forEach(e -> m.put(read(e.get(0)), read(e.get(1))));
        return m;
      }
      default: {
        Class<?> type = TYPES.get(tag);
        if (type == null) {
          throw new IllegalStateException(
              "Stored value has type tag '" + tag + "' but no class is registered under it in this JVM. "
                  + "Call ValueTypes.register(\"" + tag + "\", TheClass.class) before reading it.");
        }
        try {
          return MAPPER.treeToValue(p, type);
        } catch (IOException e) {
          throw new IllegalStateException("Cannot read stored " + type.getName() + ": " + e.getMessage(), e);
        }
      }
    }
  }

  private static double readDouble(JsonNode p) {
    if (p.isTextual()) {
      return Double.parseDouble(p.textValue());
    }
    return p.doubleValue();
  }

  /** A growable byte buffer writing compact JSON. */
  private static final class Sink {
    private byte[] buf;
    private int len;

    Sink(int cap) {
      buf = new byte[cap];
    }

    private void ensure(int n) {
      if (len + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }

    Sink put(char c) {
      ensure(1);
      buf[len++] = (byte) c;
      return this;
    }

    Sink put(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
      return this;
    }

    Sink ascii(String s) {
      int n = s.length();
      ensure(n);
      for (int i = 0; i < n; i++) {
        buf[len++] = (byte) s.charAt(i);
      }
      return this;
    }

    Sink tag(String t) {
      return put('[').put('"').ascii(t).put('"').put(',');
    }

    Sink comma(int i) {
      return i == 0 ? this : put(',');
    }

    Sink string(String s) {
      put('"');
      put(JsonStringEncoder.getInstance().quoteAsUTF8(s));
      return put('"');
    }

    Sink number(double d) {
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return string(Double.toString(d));
      }
      return ascii(Double.toString(d));
    }

    byte[] toBytes() {
      return Arrays.copyOf(buf, len);
    }
  }
}
