package io.memoflow.cache.internal;

import io.memoflow.cache.spi.HistoryId;
import io.memoflow.cache.spi.StorageException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Overview: claims on new calls, shared by every process with the store open, so that a call is
 * executed once across processes (within one process, MemoStorage's inflight map already
 * ensures it). The file `claims` is memory-mapped by every process:
 *
 *   [0, 64)            the table lock: 0, or the pid of the process changing the table
 *   [64, 64 + 64*64)   64 holder slots: nonce (0 = free), pid, process start (ms), wants
 *   then 2^17 slots    an open-addressing table (linear probing) of claims:
 *                      call hi, call lo, holder nonce, pid, start, lease expiry (ms), used
 *
 * A holder is one backend (a process may have several on one store). The table changes only
 * under the lock, taken by compare-and-set on the mapped word (a full fence across processes),
 * and held for the few hundred nanoseconds of a probe; a lock whose process is gone, or held
 * for over a second, is taken over (claims only decide who runs a call: a damaged claim can
 * make a call run twice, never change a value). A claim whose holder's process is gone (or is
 * another under a reused pid), or whose lease expired, is taken over. The holder renews its
 * leases while it runs and removes a claim once the call is committed or failed (backward-shift
 * deletion keeps probes short). A waiter adds one to the holder's "wants": the holder, seeing
 * it move, commits what it has finished at once, so no one waits for a batch not theirs. The
 * first process to open the store alone starts the file anew: every claim in it is a dead one's.
 * With the table full, a claim is granted (the call may run twice; never a wrong value).
 */
final class ClaimTable implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimTable.class);
  static final String FILE = "claims";
  private static final VarHandle LONG =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final int HOLDERS = 64;
  private static final int HOLDER_BASE = 64;
  private static final int SLOT_BASE = HOLDER_BASE + HOLDERS * 64;
  private static final int DEFAULT_SLOTS = 1 << 17;
  private static final long PID = ProcessHandle.current().pid();
  private static final long START = startOf(ProcessHandle.current()).orElse(0L);

  private final Path file;
  /** The number of claim slots, a power of two (small in tests, to make probes collide). */
  private final int slots;
  private final MappedByteBuffer buf;
  /** This holder's slot offset, or -1 when all holder slots were taken (claims then always granted). */
  private final int holder;
  private final long nonce;
  private final long leaseMillis;
  /** Liveness of other processes, by pid (a lookup reads /proc); forgotten at each wait. */
  private final Map<Long, Boolean> alive = new ConcurrentHashMap<>();
  private final Map<HistoryId, Boolean> held = new ConcurrentHashMap<>();
  private long wantsSeen;

  ClaimTable(Path dir, boolean alone, Duration lease) {
    this(dir, alone, lease, DEFAULT_SLOTS);
  }

  ClaimTable(Path dir, boolean alone, Duration lease, int slots) {
    this.file = dir.resolve(FILE);
    this.slots = slots;
    long size = SLOT_BASE + (long) slots * 64;
    try {
      if (alone) {
        // Claims die with their holders: with no process live, every one left is a dead one's.
        Files.deleteIfExists(file);
      }
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        if (raf.length() < size) {
          // The lock and holder slots written through the file first: the first touch of a
          // hole through the mapping costs milliseconds (the filesystem allocates it then).
          raf.write(new byte[SLOT_BASE]);
          raf.setLength(size);
        }
        buf = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, size);
      }
    } catch (IOException e) {
      throw new StorageException("Cannot open the claims file " + file + ": " + e.getMessage()
          + ". Check free space and permissions.", e);
    }
    this.leaseMillis = lease.toMillis();
    long n;
    do {
      n = (java.util.concurrent.ThreadLocalRandom.current().nextLong() ^ PID << 40) & Long.MAX_VALUE;
    } while (n == 0);
    this.nonce = n;
    this.holder = register();
  }

  private static Optional<Long> startOf(ProcessHandle p) {
    return p.info().startInstant().map(java.time.Instant::toEpochMilli);
  }

  private long get(int at) {
    return (long) LONG.getVolatile(buf, at);
  }

  private void set(int at, long v) {
    LONG.setVolatile(buf, at, v);
  }

  /** Takes a holder slot: a free one, or one whose process is gone. */
  private int register() {
    for (int i = 0; i < HOLDERS; i++) {
      int at = HOLDER_BASE + i * 64;
      long prev = get(at);
      if (prev != 0 && isLive(get(at + 8), get(at + 16), Long.MAX_VALUE)) {
        continue;
      }
      if (LONG.compareAndSet(buf, at, prev, nonce)) {
        set(at + 8, PID);
        set(at + 16, START);
        set(at + 24, 0);
        return at;
      }
    }
    LOG.warn("Store at {}: 64 processes hold claims on it already; this one runs its calls unclaimed.",
        file.getParent());
    return -1;
  }

  private void lock() {
    long t0 = 0;
    for (int spins = 0; ; spins++) {
      if (LONG.compareAndSet(buf, 0, 0L, PID)) {
        return;
      }
      if (spins < 100) {
        Thread.onSpinWait();
        continue;
      }
      long now = System.nanoTime();
      if (t0 == 0) {
        t0 = now;
      }
      long owner = get(0);
      boolean gone = owner != 0 && owner != PID && ProcessHandle.of(owner).map(p -> !p.isAlive()).orElse(true);
      if ((gone || now - t0 > 1_000_000_000L) && owner != 0 && LONG.compareAndSet(buf, 0, owner, PID)) {
        LOG.debug("Took over the claims table lock from process {}.", owner);
        return;
      }
      Thread.yield();
    }
  }

  private void unlock() {
    set(0, 0);
  }

  private int home(long hi, long lo) {
    long h = (hi ^ lo) * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 40) & (slots - 1);
  }

  private static int slot(int i) {
    return SLOT_BASE + i * 64;
  }

  /** The slot index holding {@code (hi, lo)}, or -(first free index) - 1; under the lock. */
  private int find(long hi, long lo) {
    int i = home(hi, lo);
    for (int n = 0; n < slots; n++, i = (i + 1) & (slots - 1)) {
      int at = slot(i);
      if (get(at + 48) == 0) {
        return -i - 1;
      }
      if (get(at) == hi && get(at + 8) == lo) {
        return i;
      }
    }
    return Integer.MIN_VALUE;   // full
  }

  private void write(int i, long hi, long lo) {
    int at = slot(i);
    set(at, hi);
    set(at + 8, lo);
    set(at + 16, nonce);
    set(at + 24, PID);
    set(at + 32, START);
    set(at + 40, System.currentTimeMillis() + leaseMillis);
    set(at + 48, 1);
  }

  /**
   * Claims {@code call} for this holder: true if it holds the claim now, false while a live
   * holder has it.
   */
  boolean claim(HistoryId call) {
    if (holder < 0 || held.containsKey(call)) {
      return true;
    }
    long hi = call.hi();
    long lo = call.lo();
    lock();
    try {
      int i = find(hi, lo);
      if (i == Integer.MIN_VALUE) {
        return true;   // full: run it unclaimed
      }
      if (i >= 0) {
        int at = slot(i);
        if (get(at + 16) != nonce && isLive(get(at + 24), get(at + 32), get(at + 40))) {
          return false;
        }
        LOG.debug("Took over the claim on call {} from a holder that is gone.", call);
      } else {
        i = -i - 1;
      }
      write(i, hi, lo);
      held.put(call, Boolean.TRUE);
      return true;
    } finally {
      unlock();
    }
  }

  /** Whether a claim's holder process is live (same process start) and its lease unexpired. */
  private boolean isLive(long pid, long start, long expiry) {
    if (expiry < System.currentTimeMillis()) {
      return false;
    }
    if (pid == PID) {
      return start == START;
    }
    return alive.computeIfAbsent(pid, p -> ProcessHandle.of(p)
        .filter(ProcessHandle::isAlive)
        .map(h -> startOf(h).map(s -> s == start).orElse(true))
        .orElse(false));
  }

  /** Asks the holder of the claim on {@code call}, if any, to commit what it has finished. */
  void want(HistoryId call) {
    alive.clear();   // a waiter looks again at whether holders live
    long owner;
    lock();
    try {
      int i = find(call.hi(), call.lo());
      if (i < 0) {
        return;
      }
      owner = get(slot(i) + 16);
    } finally {
      unlock();
    }
    for (int h = 0; h < HOLDERS; h++) {
      int at = HOLDER_BASE + h * 64;
      if (get(at) == owner) {
        LONG.getAndAdd(buf, at + 24, 1L);
        return;
      }
    }
  }

  /** Whether another holder asked this one to commit since the last time this returned. */
  synchronized boolean wanted() {
    if (holder < 0) {
      return false;
    }
    long wants = get(holder + 24);
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
    if (held.isEmpty()) {
      return;
    }
    long expiry = System.currentTimeMillis() + leaseMillis;
    lock();
    try {
      for (HistoryId call : held.keySet()) {
        int i = find(call.hi(), call.lo());
        if (i >= 0 && get(slot(i) + 16) == nonce) {
          set(slot(i) + 40, expiry);
        } else {
          // Taken over (this process stalled past its lease): the new holder runs it too.
          held.remove(call);
        }
      }
    } finally {
      unlock();
    }
  }

  /** Gives up the claim on {@code call} (committed, or failed), if this holder has it. */
  void release(HistoryId call) {
    if (held.remove(call) == null) {
      return;
    }
    lock();
    try {
      int i = find(call.hi(), call.lo());
      if (i >= 0 && get(slot(i) + 16) == nonce) {
        delete(i);
      }
    } finally {
      unlock();
    }
  }

  /** Backward-shift deletion: later slots of the probe run move up, so no probe stops early. */
  private void delete(int i) {
    int gap = i;
    for (int j = (i + 1) & (slots - 1); get(slot(j) + 48) != 0; j = (j + 1) & (slots - 1)) {
      int h = home(get(slot(j)), get(slot(j) + 8));
      // Move j into the gap unless its home lies cyclically in (gap, j].
      boolean stays = gap <= j ? (gap < h && h <= j) : (gap < h || h <= j);
      if (!stays) {
        for (int w = 0; w < 56; w += 8) {
          set(slot(gap) + w, get(slot(j) + w));
        }
        gap = j;
      }
    }
    set(slot(gap) + 48, 0);
  }

  @Override
  public void close() {
    for (HistoryId call : held.keySet()) {
      release(call);
    }
    if (holder >= 0) {
      LONG.compareAndSet(buf, holder, nonce, 0L);
    }
  }
}
