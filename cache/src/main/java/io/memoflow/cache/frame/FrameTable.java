package io.memoflow.cache.frame;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memoflow.cache.Call;
import io.memoflow.cache.Ref;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageException;
import java.lang.reflect.Array;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The table a {@link ComputationFrame} evaluates to: one row per partial computation, one
 * column per variable (a value) and per operation node (a call), {@code null} where a branch
 * was not taken. Columns are in the frame's topological order.
 *
 * <p>Immutable and thread-safe. Cells hold history ids; values are loaded from the store
 * lazily, the first time a cell's value is asked for (also by {@link #toText()},
 * {@link #toCsv()} and {@link #toJsonLines()}), and each value is loaded once per frame
 * lineage. Row order is deterministic for a given store and frame, but not meaningful: use
 * {@link #sortedBy} for a stable presentation.
 */
public final class FrameTable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FrameUniverse u;
  private final List<String> columns;
  private final boolean[] isVar;
  private final Map<String, Integer> index = new HashMap<>();
  private final List<HistoryId[]> rows;

  FrameTable(FrameUniverse u, List<String> columns, boolean[] isVar, List<HistoryId[]> rows) {
    this.u = u;
    this.columns = List.copyOf(columns);
    this.isVar = isVar.clone();
    for (int i = 0; i < columns.size(); i++) {
      index.put(columns.get(i), i);
    }
    this.rows = rows;
  }

  /** Returns the column names: variables and operation nodes, in topological order. */
  public List<String> columns() {
    return columns;
  }

  /**
   * Returns whether {@code column} holds values (a variable) rather than calls.
   *
   * @throws IllegalArgumentException if there is no such column
   */
  public boolean isVariable(String column) {
    return isVar[col(column)];
  }

  /** Returns the number of rows. */
  public int size() {
    return rows.size();
  }

  /**
   * Returns row {@code i}.
   *
   * @throws IndexOutOfBoundsException if {@code i} is not in {@code [0, size())}
   */
  public Row row(int i) {
    Objects.checkIndex(i, rows.size());
    return new Row(i);
  }

  /** Returns the rows (an unmodifiable view). */
  public List<Row> rows() {
    return new AbstractList<>() {
      @Override
      public Row get(int i) {
        return row(i);
      }

      @Override
      public int size() {
        return rows.size();
      }
    };
  }

  /** Returns a table of the rows satisfying {@code keep}, in the same order. */
  public FrameTable filter(Predicate<? super Row> keep) {
    requireNonNull(keep, "keep");
    List<HistoryId[]> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (keep.test(new Row(i))) {
        out.add(rows.get(i));
      }
    }
    return new FrameTable(u, columns, isVar, out);
  }

  /**
   * Returns a table with the same rows ordered by the given columns: variables by value
   * (numbers by value whatever their boxed type, other {@link Comparable} values of one class
   * naturally, primitive arrays element by element, others by their text), operation nodes by op,
   * version and history id; nulls last; ties keep their order.
   *
   * @throws IllegalArgumentException if a column does not exist
   */
  public FrameTable sortedBy(String... columns) {
    int[] js = new int[columns.length];
    for (int k = 0; k < columns.length; k++) {
      js[k] = col(columns[k]);
    }
    // Each cell's value is loaded once, not at every comparison (a large array is decoded once).
    Map<HistoryId, Object> values = new HashMap<>();
    Map<Object, String> texts = new IdentityHashMap<>();
    Comparator<HistoryId[]> cmp = (a, b) -> {
      for (int j : js) {
        int c = compareCells(j, a[j], b[j], values, texts);
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
    List<HistoryId[]> out = new ArrayList<>(rows);
    out.sort(cmp);
    return new FrameTable(u, this.columns, isVar, out);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private int compareCells(int j, HistoryId a, HistoryId b, Map<HistoryId, Object> values,
      Map<Object, String> texts) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : 1) : -1;
    }
    if (!isVar[j]) {
      FrameUniverse.CallInfo ca = u.call(a);
      FrameUniverse.CallInfo cb = u.call(b);
      int c = ca.op.compareTo(cb.op);
      if (c == 0) {
        c = ca.version.compareTo(cb.version);
      }
      return c != 0 ? c : a.compareTo(b);
    }
    if (a.equals(b)) {
      return 0;
    }
    Object va = values.computeIfAbsent(a, h -> u.ref(h).value());
    Object vb = values.computeIfAbsent(b, h -> u.ref(h).value());
    if (va instanceof Number na && vb instanceof Number nb && isPlainNumber(na) && isPlainNumber(nb)) {
      return Double.compare(na.doubleValue(), nb.doubleValue());
    }
    if (va instanceof Comparable ca && vb != null && va.getClass() == vb.getClass()) {
      return ca.compareTo(vb);
    }
    if (va != null && vb != null && va.getClass() == vb.getClass()
        && va.getClass().isArray() && va.getClass().getComponentType().isPrimitive()) {
      return comparePrimitiveArrays(va, vb);
    }
    return texts.computeIfAbsent(va, FrameTable::sortText)
        .compareTo(texts.computeIfAbsent(vb, FrameTable::sortText));
  }

  /** Element by element (numbers by value, booleans false first), then the shorter first. */
  private static int comparePrimitiveArrays(Object a, Object b) {
    int la = Array.getLength(a);
    int lb = Array.getLength(b);
    for (int i = 0; i < Math.min(la, lb); i++) {
      Object x = Array.get(a, i);
      Object y = Array.get(b, i);
      int c = x instanceof Number nx ? Double.compare(nx.doubleValue(), ((Number) y).doubleValue())
          : x instanceof Character cx ? Character.compare(cx, (Character) y)
          : Boolean.compare((Boolean) x, (Boolean) y);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(la, lb);
  }

  /** Boxed primitives compare by value across types ({@code 2L < 10.0}); big numbers do not. */
  private static boolean isPlainNumber(Number n) {
    return n instanceof Double || n instanceof Float || n instanceof Long || n instanceof Integer
        || n instanceof Short || n instanceof Byte;
  }

  private int col(String column) {
    Integer j = index.get(requireNonNull(column, "column"));
    if (j == null) {
      throw new IllegalArgumentException(
          "No column '" + column + "' in this table. Its columns are " + columns + ".");
    }
    return j;
  }

  /**
   * Returns the table as aligned text ({@link TextTable#format}): a header line, a rule, one
   * line per row; values as {@link TextTable#value} prints them (numbers to six significant
   * digits, number columns right-aligned), calls as {@code op@version:shortHistoryId},
   * {@code null} for missing cells. Versions
   * print in short form: a label whole ({@code inc@1:3f0c1d2e9a7b}), a code version by its
   * first 8 hex digits ({@code inc@code:8904f121:4008027f6348}), a dependency hash likewise.
   */
  public String toText() {
    List<List<String>> cells = new ArrayList<>(rows.size() + 1);
    cells.add(columns);
    for (HistoryId[] r : rows) {
      List<String> line = new ArrayList<>(r.length);
      for (int j = 0; j < r.length; j++) {
        line.add(r[j] == null ? "null" : isVar[j] ? text(u.ref(r[j]).value()) : callLabel(r[j], true));
      }
      cells.add(line);
    }
    return TextTable.format(cells);
  }

  /**
   * Returns the table as CSV (RFC 4180: comma separated, CRLF line ends, fields quoted when
   * needed): a header, then one record per row; values as text (strings as they are, numbers
   * exact as {@link TextTable#exactValue} prints them, so they read back as the stored values),
   * calls as {@code op@version:historyId}, empty for null.
   */
  public String toCsv() {
    StringBuilder sb = new StringBuilder();
    TextTable.csvLine(sb, columns);
    for (HistoryId[] r : rows) {
      List<String> line = new ArrayList<>(columns.size());
      for (int j = 0; j < columns.size(); j++) {
        line.add(r[j] == null ? "" : isVar[j] ? TextTable.exactValue(u.ref(r[j]).value()) : callLabel(r[j], false));
      }
      TextTable.csvLine(sb, line);
    }
    return sb.toString();
  }

  /**
   * Returns the table as JSON lines: one object per row, keyed by column; values as JSON
   * (Jackson's default mapping), calls as {@code {"op", "version", "historyId"}}, missing cells
   * as {@code null}. Each line ends with {@code \n}.
   */
  public String toJsonLines() {
    StringBuilder sb = new StringBuilder();
    for (HistoryId[] r : rows) {
      ObjectNode o = JSON.createObjectNode();
      for (int j = 0; j < columns.size(); j++) {
        String c = columns.get(j);
        if (r[j] == null) {
          o.putNull(c);
        } else if (isVar[j]) {
          o.set(c, JSON.valueToTree(u.ref(r[j]).value()));
        } else {
          FrameUniverse.CallInfo call = u.call(r[j]);
          ObjectNode co = o.putObject(c);
          co.put("op", call.op);
          co.put("version", call.version);
          co.put("historyId", call.id.hex());
        }
      }
      try {
        sb.append(JSON.writeValueAsString(o)).append('\n');
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("Could not write a row as JSON: " + e.getMessage(), e);
      }
    }
    return sb.toString();
  }

  private String callLabel(HistoryId id, boolean shortId) {
    FrameUniverse.CallInfo c = u.call(id);
    return c.op + "@" + (shortId ? shortVersion(c.version) : c.version) + ":"
        + (shortId ? id.toDigest().shortHex() : id.hex());
  }

  /** How many hex digits of a code or dependency hash the short form of a version keeps. */
  static final int SHORT_VERSION_HEX = 8;

  /**
   * Returns the short form of a call's version as printed by {@link #toText()}: a code version
   * {@code code:<32 hex>} becomes {@code code:} and its first 8 hex digits, and a dependency
   * hash ({@code +deps:<32 hex>}) likewise; labels (any other text) are kept whole.
   */
  static String shortVersion(String version) {
    int d = version.indexOf(Call.DEPS_SEPARATOR);
    String base = d < 0 ? version : version.substring(0, d);
    String shortBase = base.startsWith(Call.CODE_VERSION_PREFIX)
        ? Call.CODE_VERSION_PREFIX + shortHex(base.substring(Call.CODE_VERSION_PREFIX.length()))
        : base;
    if (d < 0) {
      return shortBase;
    }
    return shortBase + Call.DEPS_SEPARATOR
        + shortHex(version.substring(d + Call.DEPS_SEPARATOR.length()));
  }

  private static String shortHex(String hex) {
    if (hex.length() <= SHORT_VERSION_HEX) {
      return hex;
    }
    for (int i = 0; i < hex.length(); i++) {
      if (Character.digit(hex.charAt(i), 16) < 0) {
        return hex;
      }
    }
    return hex.substring(0, SHORT_VERSION_HEX);
  }

  static String text(Object v) {
    return TextTable.value(v);
  }

  /**
   * The text values of different or incomparable types sort by: {@link String#valueOf}, arrays
   * element by element. Not {@link #text}: sorted tables keep the order they had before the
   * table format printed numbers in shortest form.
   */
  private static String sortText(Object v) {
    if (v == null) {
      return "null";
    }
    if (v.getClass().isArray()) {
      if (v instanceof Object[] a) {
        return Arrays.deepToString(a);
      }
      int len = Array.getLength(v);
      List<Object> xs = new ArrayList<>(len);
      for (int i = 0; i < len; i++) {
        xs.add(Array.get(v, i));
      }
      return xs.toString();
    }
    return String.valueOf(v);
  }

  @Override
  public String toString() {
    return toText();
  }

  /** One row of a {@link FrameTable}: a view, valid as long as the table. */
  public final class Row {
    private final int i;

    private Row(int i) {
      this.i = i;
    }

    /** Returns the row's index in its table. */
    public int index() {
      return i;
    }

    /** Returns whether the cell in {@code column} is empty (the branch was not taken). */
    public boolean isNull(String column) {
      return rows.get(i)[col(column)] == null;
    }

    /** Returns the history id in {@code column} (of a value or a call), or {@code null}. */
    public HistoryId historyId(String column) {
      return rows.get(i)[col(column)];
    }

    /**
     * Returns the ref in variable column {@code column}, or {@code null}.
     *
     * @throws IllegalArgumentException if there is no such column or it holds calls
     */
    public Ref<?> ref(String column) {
      int j = col(column);
      if (!isVar[j]) {
        throw new IllegalArgumentException(
            "Column '" + column + "' holds calls, not values. Use call(\"" + column + "\").");
      }
      HistoryId h = rows.get(i)[j];
      return h == null ? null : u.ref(h);
    }

    /**
     * Returns the value in variable column {@code column} (loaded on first use), or
     * {@code null} when the cell is empty.
     *
     * @throws IllegalArgumentException if there is no such column or it holds calls
     * @throws StorageException if the value is no longer stored
     */
    @SuppressWarnings("unchecked")
    public <T> T value(String column) {
      Ref<?> r = ref(column);
      return r == null ? null : (T) r.value();
    }

    /**
     * Returns the call in operation column {@code column}, or {@code null}.
     *
     * @throws IllegalArgumentException if there is no such column or it holds values
     */
    public Call call(String column) {
      int j = col(column);
      if (isVar[j]) {
        throw new IllegalArgumentException(
            "Column '" + column + "' holds values, not calls. Use value(\"" + column + "\").");
      }
      HistoryId h = rows.get(i)[j];
      return h == null ? null : u.call(h).call();
    }

    /** Returns the history ids of the row's cells in column order ({@code null} for empty cells). */
    public List<HistoryId> historyIds() {
      return Collections.unmodifiableList(Arrays.asList(rows.get(i).clone()));
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("{");
      for (int j = 0; j < columns.size(); j++) {
        if (j > 0) {
          sb.append(", ");
        }
        HistoryId h = rows.get(i)[j];
        sb.append(columns.get(j)).append('=')
            .append(h == null ? "null" : isVar[j] ? text(u.ref(h).value()) : callLabel(h, true));
      }
      return sb.append('}').toString();
    }
  }
}
