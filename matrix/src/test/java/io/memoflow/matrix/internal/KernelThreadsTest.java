package io.memoflow.matrix.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class KernelThreadsTest {

  /** Recursion whose frames take about 200 bytes each: depth 20,000 needs some 4 MB. */
  private static long deep(int depth, long a, long b, long c, long d) {
    return depth == 0 ? a + b + c + d : deep(depth - 1, b, c, d, a + 1) + 1;
  }

  private static Throwable onSmallStack(Runnable r) throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        r.run();
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "small-stack", 256 * 1024);
    t.start();
    t.join();
    return failure.get();
  }

  @Test
  void aCallOnASmallStack_runsOnABigOne() throws InterruptedException {
    assertTrue(onSmallStack(() -> deep(20_000, 0, 0, 0, 0)) instanceof StackOverflowError,
        "the probe must overflow a 256 KB stack, or it proves nothing");
    assertEquals(null, onSmallStack(() -> KernelThreads.call(() -> deep(20_000, 0, 0, 0, 0))));
  }

  @Test
  void exceptionsReachTheCallerAsThrown() {
    ArithmeticException e = new ArithmeticException("GESV failed (info = 3)");
    assertSame(e, assertThrows(ArithmeticException.class, () -> KernelThreads.run(() -> {
      throw e;
    })));
  }

  @Test
  void aCallFromAKernelThread_runsInPlace() {
    assertFalse(KernelThreads.onKernelThread());
    Thread outer = KernelThreads.call(() -> {
      assertTrue(KernelThreads.onKernelThread());
      return KernelThreads.call(Thread::currentThread);
    });
    assertTrue(outer.getName().startsWith("memoflow-kernel-"), outer.getName());
    assertTrue(outer.isDaemon());
  }

  @Test
  void anInterruptWhileWaiting_isKeptForTheCaller() {
    Thread.currentThread().interrupt();
    try {
      assertEquals(42, KernelThreads.call(() -> {
        Thread.sleep(50);
        return 42;
      }));
      assertTrue(Thread.interrupted(), "the interrupt must be kept");
    } finally {
      Thread.interrupted();
    }
  }
}
