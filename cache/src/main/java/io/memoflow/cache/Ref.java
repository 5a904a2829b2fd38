package io.memoflow.cache;

import io.memoflow.cache.internal.Codec;
import io.memoflow.cache.internal.Ids;
import java.util.Objects;

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

  private Ref(Void unused, Object value) {
    this.source = null;
    this.value = value;
    this.loaded = true;
  }

  /** Returns the content id (the hash of the value's canonical bytes). */
  public ContentId contentId() {
    ContentId c = contentId;
    if (c == null) {
      c = ContentId.from(Codec.contentId(Codec.encode(value)));
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
          value = source.load(contentId);
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

  @Override
  public String toString() {
    return "Ref(" + historyId() + ", " + contentId() + (loaded ? ", " + value : "") + ")";
  }
}
