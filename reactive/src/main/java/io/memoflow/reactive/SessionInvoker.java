package io.memoflow.reactive;

import io.memoflow.cache.Call;
import io.memoflow.cache.CallResult;
import io.memoflow.cache.Op;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.SessionMode;
import io.memoflow.cache.Storage;
import java.util.List;

/**
 * Runs every node as {@link Session#callPositional}: a stored call is retraced or reused
 * without executing; a new one executes once even when several runs make it at the same time.
 * Slots hold {@link Ref}s: of outputs, and of graph inputs ({@link Ref#of}, so each input is
 * encoded and hashed once per run, not once per node that reads it).
 */
final class SessionInvoker implements NodeInvoker {
  /**
   * Nodes a worker runs per storage session: it commits and opens a new one after this many,
   * so a long stint (a large DAG on one thread) keeps the storage's uncommitted calls few and
   * cache-resident, and a crash or cancellation loses at most this many finished nodes.
   */
  static final int COMMIT_EVERY = 4096;

  private final Storage storage;
  private final SessionMode mode;
  private final Plan plan;

  SessionInvoker(Storage storage, SessionMode mode, Plan plan) {
    this.storage = storage;
    this.mode = mode;
    this.plan = plan;
  }

  /*
   * A worker's session is shared by the workers of this execution on one thread: with an
   * inline scheduler a worker may start another one on its own thread (which would join the
   * open session as a nested one, whose close commits nothing), so the thread's outermost
   * worker owns the session and every worker on the thread counts toward its commits.
   */
  private final ThreadLocal<Stint> stints = new ThreadLocal<>();

  /** The session of this execution's workers on one thread. */
  private final class Stint {
    Session session = storage.threadSession(mode);
    int calls;
    int workers;

    Session session() {
      if (calls == COMMIT_EVERY) {
        calls = 0;
        session.close();
        session = storage.threadSession(mode);
      }
      calls++;
      return session;
    }
  }

  @Override
  public Worker worker() {
    Stint open = stints.get();
    if (open == null) {
      open = new Stint();
      stints.set(open);
    }
    Stint stint = open;
    stint.workers++;
    return new Worker() {
      @Override
      public Outcome invoke(int node, Object[] args) {
        Op op = (Op) plan.bound[node];
        CallResult r = stint.session().callPositional(op, args);
        Call call = r.call();
        List<String> names = op.outputNames();
        Object[] outs = new Object[names.size()];
        for (int j = 0; j < outs.length; j++) {
          outs[j] = call.output(names.get(j));
        }
        return new Outcome(outs, r.source() != CallResult.Source.EXECUTED, call);
      }

      @Override
      public void close() {
        if (--stint.workers == 0) {
          stints.remove();
          stint.session.close();
        }
      }
    };
  }

  @Override
  public Object input(Object raw) {
    return Ref.of(raw);
  }

  @Override
  public Object value(Object slot) {
    return slot instanceof Ref<?> ref ? ref.value() : slot;
  }

  @Override
  public String describe(Object slot) {
    if (slot instanceof Ref<?> ref) {
      try {
        return "history " + ref.historyId().hex().substring(0, 12);
      } catch (RuntimeException unencodable) { // a graph input no codec can store
        return raw(ref.value());
      }
    }
    return raw(slot);
  }

  private static String raw(Object value) {
    String s = String.valueOf(value);
    return "raw " + (s.length() > 40 ? s.substring(0, 37) + "..." : s);
  }

  @Override
  public void close() {}
}
