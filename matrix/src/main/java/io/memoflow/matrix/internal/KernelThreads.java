package io.memoflow.matrix.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs BLAS/LAPACK calls on threads whose stacks are big enough for native kernels, so that no
 * caller's thread can be crashed by one. Not API; may change without notice.
 *
 * <p>Why: OpenBLAS's threaded LAPACK (its parallel LU behind {@code dgesv} for n of about 50
 * and more, whenever it may use more than one thread) keeps work tables sized by its
 * compile-time maximum thread count on the <em>calling</em> thread's stack: 2-4 MB with
 * Debian's OpenBLAS 0.3.21. A JVM thread has 1 MB by default (the launcher's {@code main}
 * thread, Reactor's, a pool's), and a native overflow of it is a SIGSEGV that kills the JVM
 * with no error report. The fix follows the cause: every kernel call runs on a thread created
 * with a {@value #STACK_BYTES}-byte stack (reserved, touched only as used), one per processor,
 * idle ones ending after a while. A call made on such a thread already runs in place, so a
 * whole composite costs one hand-off.
 */
public final class KernelThreads {
  /** The stack size of a kernel thread: far above what any OpenBLAS build's tables need. */
  public static final long STACK_BYTES = 64L << 20;

  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final ThreadPoolExecutor POOL = pool();

  private KernelThreads() {}

  private static ThreadPoolExecutor pool() {
    int n = Math.max(2, Runtime.getRuntime().availableProcessors());
    ThreadPoolExecutor p = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new KernelThread(r, "memoflow-kernel-" + COUNT.incrementAndGet());
          t.setDaemon(true); // never keeps a JVM alive
          return t;
        });
    p.allowCoreThreadTimeOut(true);
    return p;
  }

  /** A thread with a big stack; its type marks calls that may run in place. */
  private static final class KernelThread extends Thread {
    KernelThread(Runnable r, String name) {
      super(null, r, name, STACK_BYTES);
    }
  }

  /** Returns whether the current thread is a kernel thread. */
  public static boolean onKernelThread() {
    return Thread.currentThread() instanceof KernelThread;
  }

  /** Runs {@code task} on a kernel thread and waits for it; see {@link #call}. */
  public static void run(Runnable task) {
    call(() -> {
      task.run();
      return null;
    });
  }

  /**
   * Returns {@code task}'s result, computed on a kernel thread (in place when the caller is
   * one). Its unchecked exceptions and errors reach the caller as they were thrown. Waiting is
   * not interruptible: a native call cannot be stopped halfway, and its buffers must not be
   * reused while it runs; an interrupt is kept for the caller to see afterwards.
   */
  public static <T> T call(Callable<T> task) {
    if (onKernelThread()) {
      return callHere(task);
    }
    Future<T> f = POOL.submit(() -> callHere(task));
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException r) {
            throw r;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException("A kernel call failed: " + cause, cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static <T> T callHere(Callable<T> task) {
    try {
      return task.call();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("A kernel call failed: " + e, e);
    }
  }
}
