package io.memoflow.cache;

import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import java.util.List;

/**
 * Reads the stored call graph by history id, without building {@link Call} objects or filling
 * the call cache: the one view of a store that computation frames
 * ({@code io.memoflow.cache.frame}) use beside the public {@link Storage} methods. Every storage
 * made by {@link Storage}'s factories implements it; frames over any other {@link Storage} read
 * through its public methods instead. Not meant for application code. Implementations are
 * thread-safe.
 */
public interface CallGraph {
  /** The op name of the structural call that builds a list from its elements. */
  String LIST_OP = "__list__";
  /** The op name of the structural call that builds a set from its elements. */
  String SET_OP = "__set__";
  /** The op name of the structural call that builds a map from its entries. */
  String MAP_OP = "__map__";

  /** Returns whether {@code op} is a structural collection op (its elements share one port). */
  static boolean isStructural(String op) {
    return op.equals(LIST_OP) || op.equals(SET_OP) || op.equals(MAP_OP);
  }

  /** Returns the history ids of every stored call of {@code op} (no duplicates). */
  List<HistoryId> callIdsOf(String op);

  /** Returns the history id of the call that output the value {@code value}, or null (raw). */
  HistoryId creatorId(HistoryId value);

  /** Returns the history ids of the calls that took the value {@code value} as an input. */
  List<HistoryId> consumerIds(HistoryId value);

  /** Returns the stored record of call {@code call} (pending, cached or stored), or null. */
  CallRecord peek(HistoryId call);

  /** Returns a ref to the stored value {@code value}, found through its creator or a consumer; or null. */
  Ref<?> refOf(HistoryId value);

  /** Returns a ref to the value with these ids, loading from this store when read. */
  Ref<?> ref(ContentId content, HistoryId value);

  /** Returns the call a stored record describes. */
  Call toCall(CallRecord record);
}
