package io.memoflow.cache;

import io.memoflow.cache.internal.Codec;
import io.memoflow.cache.internal.Ids;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageException;
import java.lang.reflect.Array;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A reference to a value: its {@link ContentId}, its {@link HistoryId}, and the value itself,
 * loaded lazily from the store on the first {@link #value()}. Identity is immutable and equality
 * is by {@code (contentId, historyId)}; thread-safe.
 *
 * <p>A ref returned outside any session (or in a {@link SessionMode#NO_OP} session) is
 * <em>unstored</em>: it holds its value and treats it as a raw input, so its ids are those of
 * the value passed directly.
 *
 * @param <T> the value's type
 */
public final class Ref<T> {
  private volatile ContentId contentId;
  private volatile HistoryId historyId;
  private volatile Object value;
  private volatile boolean loaded;
  /** An unstored ref's canonical bytes, encoded once on first need. */
  private volatile byte[] canonical;
  private final ValueSource source;

  Ref(ContentId contentId, HistoryId historyId, ValueSource source) {
    this.contentId = Objects.requireNonNull(contentId, "contentId");
    this.historyId = Objects.requireNonNull(historyId, "historyId");
    this.source = source;
  }

  Ref(ContentId contentId, HistoryId historyId, Object value, ValueSource source) {
    this(contentId, historyId, source);
    this.value = value;
    this.loaded = true;
  }

  /** An unstored ref holding {@code value}; ids computed on demand as for a raw input. */
  static <T> Ref<T> unstored(Object value) {
    Ref<T> r = new Ref<>(null, value);
    return r;
  }

  /**
   * Returns an unstored ref holding {@code value}. Passing it to an op is the same as passing
   * the value itself (same ids; the value is stored with the first stored call that takes it),
   * but its canonical bytes and ids are computed once however many calls take it, so a value
   * passed to many calls (a graph input read by many nodes) is encoded and hashed once.
   *
   * <p>The value is encoded lazily: a value that cannot be stored fails at the first call that
   * takes it, with the op and argument named. Do not mutate the value afterwards.
   *
   * @param <T> the value's type
   * @param value the value, possibly null
   */
  public static <T> Ref<T> of(T value) {
    return unstored(value);
  }

  /** An unstored ref's canonical bytes, encoded on first use and kept. */
  byte[] canonicalBytes() {
    byte[] b = canonical;
    if (b == null) {
      b = Codec.encode(value);
      canonical = b;
    }
    return b;
  }

  private Ref(Void unused, Object value) {
    this.source = null;
    this.value = value;
    this.loaded = true;
  }

  /** Returns the content id (the hash of the value's canonical bytes). */
  public ContentId contentId() {
    ContentId c = contentId;
    if (c == null) {
      c = ContentId.from(Codec.contentId(canonicalBytes()));
      contentId = c;
    }
    return c;
  }

  /** Returns the history id (the hash of the computation that produced the value). */
  public HistoryId historyId() {
    HistoryId h = historyId;
    if (h == null) {
      h = HistoryId.from(Ids.rawHistory(contentId().toDigest()));
      historyId = h;
    }
    return h;
  }

  /**
   * Returns the value, loading and decoding it from the store on first use. Each ref decodes
   * its own copy, so mutating it never changes what is stored.
   *
   * @throws StorageException if the value is no longer stored (removed by cleanup)
   */
  @SuppressWarnings("unchecked")
  public T value() {
    if (!loaded) {
      synchronized (this) {
        if (!loaded) {
          value = source.load(contentId, historyId());
          loaded = true;
        }
      }
    }
    return (T) value;
  }

  /** Returns whether the value is in memory (no store read needed for {@link #value()}). */
  public boolean isLoaded() {
    return loaded;
  }

  /** Returns whether this ref was made outside a memoizing session. */
  boolean isUnstored() {
    return source == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ref<?> r
        && contentId().equals(r.contentId())
        && historyId().equals(r.historyId());
  }

  @Override
  public int hashCode() {
    return historyId().hashCode() * 31 + contentId().hashCode();
  }

  /**
   * Returns {@code Ref(hid:…, cid:…, value)}, the same for a fresh call and a retraced one: the
   * value is loaded if it is not yet (as {@link #value()} would), long arrays print as their type
   * and length ({@code double[2400]}), long texts are cut. A value that cannot be loaded prints
   * as {@code <value unavailable: reason>}; toString never throws.
   */
  @Override
  public String toString() {
    String shown;
    try {
      shown = shortText(value());
    } catch (RuntimeException e) {
      shown = "<value unavailable: " + e.getMessage() + ">";
    }
    return "Ref(" + historyId() + ", " + contentId() + ", " + shown + ")";
  }

  /** Arrays of more than this many elements print as their type and length. */
  private static final int SHOWN_ELEMENTS = 8;
  /** Texts of more than this many characters are cut. */
  private static final int SHOWN_CHARS = 80;

  private static String shortText(Object v) {
    String s;
    if (v != null && v.getClass().isArray()) {
      int n = Array.getLength(v);
      if (n > SHOWN_ELEMENTS) {
        s = v.getClass().getComponentType().getSimpleName() + "[" + n + "]";
      } else {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < n; i++) {
          j.add(shortText(Array.get(v, i)));
        }
        s = j.toString();
      }
    } else {
      s = String.valueOf(v);
    }
    return s.length() <= SHOWN_CHARS ? s : s.substring(0, SHOWN_CHARS - 3) + "...";
  }
}
