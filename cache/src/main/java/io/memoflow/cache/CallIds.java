package io.memoflow.cache;

import io.memoflow.cache.internal.Ids;
import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.ContentId;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.dag.Digest;
import java.util.ArrayList;
import java.util.List;

/**
 * The ids of a call and of its outputs, from the op, the version and the input refs: which
 * inputs count (not ignored, not at a new default), in order, by history or by content.
 * Stateless and thread-safe.
 */
final class CallIds {
  private CallIds() {}

  static HistoryId outputId(HistoryId call, String name) {
    return HistoryId.from(Ids.outputHistory(call.toDigest(), name));
  }

  static boolean inIdentity(Op op, int i, Ref<?> r) {
    if (op.isIgnored(i)) {
      return false;
    }
    ContentId nd = op.newDefaultId(i);
    return nd == null || !nd.equals(r.contentId());
  }

  static HistoryId callHistoryId(Op op, Ref<?>[] in) {
    return callHistoryId(op, op.version(), in);
  }

  /*
   * Hashed on every call, not cached: SHA-256 engines are reused per thread (Digest), so the
   * two or three blocks of a call id cost less than a cache lookup keyed by the same inputs,
   * and the cost stays flat however many calls a store holds.
   */
  static HistoryId callHistoryId(Op op, String version, Ref<?>[] in) {
    return HistoryId.from(hashInputs(Ids.callHistory(op.name(), version), op, in, true));
  }

  static ContentId callContentId(Op op, Ref<?>[] in) {
    return callContentId(op, op.version(), in);
  }

  static ContentId callContentId(Op op, String version, Ref<?>[] in) {
    return ContentId.from(hashInputs(Ids.callContent(op.name(), version), op, in, false));
  }

  /** Feeds each identity input's name and id (history or content) into {@code h}, in order. */
  static Digest hashInputs(Digest.Hasher h, Op op, Ref<?>[] in, boolean byHistory) {
    List<String> names = op.inputNames();
    for (int i = 0; i < in.length; i++) {
      if (inIdentity(op, i, in[i])) {
        if (byHistory) {
          HistoryId x = in[i].historyId();
          h.add(names.get(i)).addDigest(x.hi(), x.lo());
        } else {
          ContentId x = in[i].contentId();
          h.add(names.get(i)).addDigest(x.hi(), x.lo());
        }
      }
    }
    return h.digest();
  }

  static List<CallRecord.Slot> identitySlots(Op op, Ref<?>[] in) {
    List<CallRecord.Slot> slots = new ArrayList<>(in.length);
    List<String> names = op.inputNames();
    for (int i = 0; i < in.length; i++) {
      if (inIdentity(op, i, in[i])) {
        slots.add(new CallRecord.Slot(names.get(i), in[i].contentId(), in[i].historyId()));
      }
    }
    return slots;
  }
}
