package io.memoflow.cache;

import io.memoflow.cache.spi.CallRecord;
import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageBackend;
import io.memoflow.cache.spi.StorageException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/*
 * Overview: a storage's side of the claims on new calls that the backend shares with other
 * processes (StorageBackend.claim). A call is claimed before it runs and released once it is
 * committed (or failed); a caller that finds another process's claim waits for that process to
 * commit the call, asking it now and then to commit what it has finished. A keeper thread,
 * started with the first claim of a backend that is not in memory, renews the leases and, when
 * another process asks, commits this storage's finished calls at once.
 */
final class Claims implements AutoCloseable {
  private final StorageBackend backend;
  private final long leaseMillis;
  private final boolean keep;
  private final Runnable commitFinished;
  /** Claims held on calls not yet committed, by the history id the call is stored under. */
  private final Map<HistoryId, HistoryId> held = new ConcurrentHashMap<>();
  /** The ids claimed, while held (the values of {@code held}, to be asked in constant time). */
  private final Set<HistoryId> claimed = ConcurrentHashMap.newKeySet();
  private volatile ScheduledExecutorService keeper;
  private volatile boolean closed;

  /**
   * @param keep whether leases need renewing and requests answering (a backend not in memory)
   * @param commitFinished commits the storage's finished, uncommitted calls
   */
  Claims(StorageBackend backend, long leaseMillis, boolean keep, Runnable commitFinished) {
    this.backend = backend;
    this.leaseMillis = leaseMillis;
    this.keep = keep;
    this.commitFinished = commitFinished;
  }

  /**
   * Claims the new call {@code hid}, or waits for the process that holds it: returns null once
   * this storage holds the claim, or the call that holder committed, as {@code lookup} finds it.
   */
  CallRecord claimOrAwait(HistoryId hid, Supplier<CallRecord> lookup) {
    if (!backend.claim(hid)) {
      long pause = 1;
      long asked = 0;
      do {
        long now = System.nanoTime();
        if (now - asked > 100_000_000L) {
          // Again now and then: the holder may have committed its batch before this one ran.
          backend.wantClaimed(hid);
          asked = now;
        }
        try {
          Thread.sleep(pause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StorageException("Interrupted while waiting for another process to finish call "
              + hid.hex() + ".", e);
        }
        pause = Math.min(2 * pause, 50);
        CallRecord r = lookup.get();
        if (r != null) {
          return r;
        }
      } while (!backend.claim(hid));
    }
    // On a shared store the holder may have committed and released between this storage's miss
    // and its claim: look once more, or the call would run twice. (Nobody shares a store that
    // lives in memory: no second look there.)
    CallRecord stored = keep ? lookup.get() : null;
    if (stored != null) {
      // Held by another thread here, whose session has the call and commits it: the claim is
      // that session's to release. (Released meanwhile, the claim just taken is this one's.)
      if (!claimed.contains(hid)) {
        backend.releaseClaim(hid);
      }
      return stored;
    }
    claimed.add(hid);
    held.put(hid, hid);
    if (keeper == null && keep) {
      startKeeper();
    }
    return null;
  }

  /**
   * Whether a claim taken looks the call up once more (on a store shared with others), so a
   * look just before claiming is not needed.
   */
  boolean looksAfterClaim() {
    return keep;
  }

  /** Notes that the call claimed as {@code claimed} is stored as {@code stored} (another version). */
  void storedAs(HistoryId claimed, HistoryId stored) {
    if (!claimed.equals(stored) && held.remove(claimed) != null) {
      held.put(stored, claimed);
    }
  }

  /** Gives up the claim on the call stored as {@code hid} (committed, or failed), if held. */
  void release(HistoryId hid) {
    if (held.isEmpty()) {
      return;
    }
    HistoryId was = held.remove(hid);
    if (was != null) {
      claimed.remove(was);
      backend.releaseClaim(was);
    }
  }

  private synchronized void startKeeper() {
    if (keeper != null || closed) {
      return;
    }
    ScheduledExecutorService k = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "memoflow-claims");
      t.setDaemon(true);
      return t;
    });
    long[] renewed = {System.currentTimeMillis()};
    // The keeper runs every 20 ms: a backend that stays down (a member shut down under an open
    // storage) is said once per kind of failure, not fifty times a second.
    String[] failing = {null};
    k.scheduleWithFixedDelay(() -> {
      try {
        if (closed) {
          return;
        }
        if (backend.claimsWanted()) {
          // Another process waits for a call this one finished: commit what is finished now.
          commitFinished.run();
        }
        long now = System.currentTimeMillis();
        if (now - renewed[0] > leaseMillis / 3) {
          backend.renewClaims();
          renewed[0] = now;
        }
        if (failing[0] != null) {
          failing[0] = null;
          LoggerFactory.getLogger(Claims.class).info("Keeping claims works again.");
        }
      } catch (RuntimeException e) {
        if (!e.toString().equals(failing[0])) {
          failing[0] = e.toString();
          LoggerFactory.getLogger(Claims.class).warn("Keeping claims failed (said once until it"
              + " works again or fails otherwise): {}", e.toString());
        }
      }
    }, 20, 20, TimeUnit.MILLISECONDS);
    keeper = k;
  }

  /** Stops the keeper (the backend releases what is still held when it closes). */
  @Override
  public synchronized void close() {
    closed = true;
    if (keeper != null) {
      keeper.shutdownNow();
    }
  }
}
