package io.memoflow.cache.internal;

import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import net.openhft.chronicle.hash.locks.InterProcessDeadLockException;
import net.openhft.chronicle.map.ChronicleMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Overview: claims on new calls, shared by every process with the store open, so that a call is
 * executed once across processes (within one process, MemoStorage's inflight map already
 * ensures it). claims.cm is one Chronicle Map of 16-byte keys and 32-byte values:
 *
 *   call hid            -> holder nonce, holder pid, holder start (ms), lease expiry (ms)
 *   (-1, holder nonce)  -> holder pid, holder start, wants, 0
 *
 * A holder is one backend (a process may have several on one store): a random nonce, and the
 * process that runs it. A claim is taken with putIfAbsent; one whose holder's process is gone
 * (or is another process under a reused pid), or whose lease expired, is taken over with an
 * atomic replace of exactly the value read. The holder renews its leases while it runs and
 * removes a claim once the call is committed (or failed). A waiter adds one to the holder's
 * "wants": the holder, seeing its counter move, commits what it has finished at once instead of
 * at the end of its session, so no one waits for a batch that is not theirs. Nothing here is
 * needed once no process has the store open: the first to open it alone starts a new file.
 */
final class ClaimTable implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimTable.class);
  static final String FILE = "claims.cm";
  private static final long HOLDER = -1L;
  private static final long PID = ProcessHandle.current().pid();
  private static final long START = startOf(ProcessHandle.current()).orElse(0L);

  private final ChronicleMap<byte[], byte[]> map;
  private final long nonce;
  private final long leaseMillis;
  /** Liveness of other holders' processes, by pid: looking a process up costs a /proc read. */
  private final Map<Long, Boolean> alive = new ConcurrentHashMap<>();
  private final Map<HistoryId, byte[]> held = new ConcurrentHashMap<>();
  private long wantsSeen;

  ClaimTable(Path dir, boolean alone, Duration lease) {
    Path f = dir.resolve(FILE);
    try {
      if (alone) {
        // Claims die with their holders: with no process live, every one left is a dead one's.
        Files.deleteIfExists(f);
      }
      map = ChronicleMap.of(byte[].class, byte[].class)
          .name("claims")
          .entries(1 << 16)
          .constantKeySizeBySample(new byte[16])
          .constantValueSizeBySample(new byte[32])
          .skipCloseOnExitHook(true)
          .sparseFile(true)
          .createPersistedTo(f.toFile());
    } catch (IOException | RuntimeException e) {
      throw new StorageException("Cannot open the claims file " + f + ": " + e.getMessage()
          + ". Close every process using the store and open it again (the first to open it alone"
          + " starts the file anew).", e);
    }
    this.nonce = new SecureRandom().nextLong() & Long.MAX_VALUE;
    this.leaseMillis = lease.toMillis();
    map.put(key(HOLDER, nonce), value(PID, START, 0, 0));
  }

  private static Optional<Long> startOf(ProcessHandle p) {
    return p.info().startInstant().map(java.time.Instant::toEpochMilli);
  }

  private static byte[] key(long hi, long lo) {
    return ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
  }

  private static byte[] value(long a, long b, long c, long d) {
    return ByteBuffer.allocate(32).putLong(a).putLong(b).putLong(c).putLong(d).array();
  }

  private static long at(byte[] v, int i) {
    return ByteBuffer.wrap(v).getLong(i * 8);
  }

  private byte[] mine() {
    return value(nonce, PID, START, System.currentTimeMillis() + leaseMillis);
  }

  /**
   * Claims {@code call} for this holder: true if it holds the claim now, false while a live
   * holder has it. A full claims file grants the claim (the call may then run twice; never wrong).
   */
  boolean claim(HistoryId call) {
    if (held.containsKey(call)) {
      return true;
    }
    byte[] k = key(call.hi(), call.lo());
    try {
      for (int attempt = 0; attempt < 16; attempt++) {
        byte[] v = mine();
        byte[] prev = map.putIfAbsent(k, v);
        if (prev == null) {
          held.put(call, v);
          return true;
        }
        if (isLive(prev)) {
          return false;
        }
        if (map.replace(k, prev, v)) {
          LOG.debug("Took over the claim on call {} from a holder that is gone.", call);
          held.put(call, v);
          return true;
        }
      }
      return false;
    } catch (IllegalStateException | InterProcessDeadLockException e) {
      LOG.debug("Claims file full or locked by a dead process; call {} runs unclaimed: {}", call, e.toString());
      return true;
    }
  }

  /** Whether the holder of a claim value is a live process and its lease has not expired. */
  private boolean isLive(byte[] claim) {
    if (at(claim, 3) < System.currentTimeMillis()) {
      return false;
    }
    long pid = at(claim, 1);
    long start = at(claim, 2);
    if (pid == PID) {
      return start == START;
    }
    return alive.computeIfAbsent(pid, p -> ProcessHandle.of(p)
        .filter(ProcessHandle::isAlive)
        .map(h -> startOf(h).map(s -> s == start).orElse(true))
        .orElse(false));
  }

  /** Asks the holder of the claim on {@code call}, if it is live, to commit what it has finished. */
  void want(HistoryId call) {
    alive.clear();   // a waiter looks again at whether holders live
    byte[] c = map.get(key(call.hi(), call.lo()));
    if (c == null) {
      return;
    }
    byte[] hk = key(HOLDER, at(c, 0));
    for (int attempt = 0; attempt < 8; attempt++) {
      byte[] h = map.get(hk);
      if (h == null || map.replace(hk, h, value(at(h, 0), at(h, 1), at(h, 2) + 1, 0))) {
        return;
      }
    }
  }

  /** Whether another holder asked this one to commit since the last time this returned. */
  synchronized boolean wanted() {
    byte[] h = map.get(key(HOLDER, nonce));
    long wants = h == null ? 0 : at(h, 2);
    if (wants != wantsSeen) {
      wantsSeen = wants;
      return true;
    }
    return false;
  }

  /** Whether this holder holds any claim. */
  boolean holdsAny() {
    return !held.isEmpty();
  }

  /** Extends the lease of every claim this holder holds. */
  void renew() {
    for (Map.Entry<HistoryId, byte[]> e : held.entrySet()) {
      HistoryId call = e.getKey();
      byte[] v = mine();
      if (map.replace(key(call.hi(), call.lo()), e.getValue(), v)) {
        held.replace(call, e.getValue(), v);
      } else {
        // Taken over (this process stalled past its lease): the new holder runs it too.
        held.remove(call, e.getValue());
      }
    }
  }

  /** Gives up the claim on {@code call} (committed, or failed), if this holder has it. */
  void release(HistoryId call) {
    byte[] v = held.remove(call);
    if (v != null) {
      map.remove(key(call.hi(), call.lo()), v);
    }
  }

  @Override
  public void close() {
    for (HistoryId call : held.keySet()) {
      release(call);
    }
    map.remove(key(HOLDER, nonce));
    map.close();
  }
}
