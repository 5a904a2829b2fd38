package io.memoflow.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The gate between commits that run side by side and exclusive sections, kept in one map entry
 * so that each step is one operation on the member that owns it: a commit {@linkplain #enter
 * enters} (unless an exclusive section is open) and {@linkplain #leave leaves}; an exclusive
 * section {@linkplain #raise raises} the gate, waits until {@linkplain #inFlight no commit} is
 * in, and {@linkplain #lower lowers} it. A commit of a member that died inside counts until its
 * lease passes (the entry's owner's clock decides).
 */
final class Gate implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The one key of the gate's map. */
  static final String KEY = "gate";

  /** Who raised the gate, or null. */
  private String raisedBy;
  /** The commits inside: ticket to the time (ms) it counts until. */
  private final HashMap<String, Long> inside = new HashMap<>();

  private static Gate of(Map.Entry<String, Gate> e) {
    return e.getValue() == null ? new Gate() : e.getValue();
  }

  private int pruned() {
    long now = System.currentTimeMillis();
    inside.values().removeIf(until -> until < now);
    return inside.size();
  }

  /** Enters {@code ticket} for {@code leaseMillis} unless the gate is raised; says whether. */
  static EntryProcessor<String, Gate, Boolean> enter(String ticket, long leaseMillis) {
    return e -> {
      Gate g = of(e);
      if (g.raisedBy != null) {
        return false;
      }
      g.inside.put(ticket, System.currentTimeMillis() + leaseMillis);
      e.setValue(g);
      return true;
    };
  }

  /** Lets {@code ticket} out. */
  static EntryProcessor<String, Gate, Boolean> leave(String ticket) {
    return e -> {
      Gate g = of(e);
      if (g.inside.remove(ticket) != null) {
        e.setValue(g);
      }
      return true;
    };
  }

  /** Raises the gate for {@code owner}: no commit enters until it is lowered. */
  static EntryProcessor<String, Gate, Integer> raise(String owner) {
    return e -> {
      Gate g = of(e);
      g.raisedBy = owner;
      int n = g.pruned();
      e.setValue(g);
      return n;
    };
  }

  /** Returns how many commits are inside (those of dead members until their lease passes). */
  static EntryProcessor<String, Gate, Integer> inFlight() {
    return e -> {
      Gate g = of(e);
      int before = g.inside.size();
      int n = g.pruned();
      if (n != before) {
        e.setValue(g);
      }
      return n;
    };
  }

  /** Lowers the gate: commits enter again. */
  static EntryProcessor<String, Gate, Boolean> lower() {
    return e -> {
      Gate g = of(e);
      g.raisedBy = null;
      e.setValue(g);
      return true;
    };
  }
}
