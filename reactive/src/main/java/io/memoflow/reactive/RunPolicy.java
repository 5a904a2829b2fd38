package io.memoflow.reactive;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a run treats failures, slow nodes, progress and late event subscribers. Immutable and
 * thread-safe; build with {@link #builder()} or start from {@link #defaults()}.
 *
 * <pre>{@code
 * RunPolicy policy = RunPolicy.builder()
 *     .keepGoing()                         // let independent branches finish
 *     .retries(2, Duration.ofMillis(50))   // 2 more attempts, backoff 50 ms, 100 ms
 *     .timeout(Duration.ofSeconds(30))     // per node attempt
 *     .replayAll()                         // late event subscribers see everything
 *     .build();
 * }</pre>
 */
public final class RunPolicy {

  /** What a run does when a node fails for good (after its retries). */
  public enum Failure {
    /** Stop scheduling new nodes; the run fails once the nodes already running finish. */
    FAIL_FAST,
    /** Fail the node's dependents and let every independent branch finish. */
    KEEP_GOING
  }

  /** Replay everything: {@link #replay()} returns this to mean "all events". */
  public static final int REPLAY_ALL = Integer.MAX_VALUE;

  private static final RunPolicy DEFAULTS = builder().build();

  private final Failure failure;
  private final int retries;
  private final Duration backoff;
  private final Duration maxBackoff;
  private final Duration timeout;
  private final Duration progressInterval;
  private final int replay;

  private RunPolicy(Builder b) {
    this.failure = b.failure;
    this.retries = b.retries;
    this.backoff = b.backoff;
    this.maxBackoff = b.maxBackoff;
    this.timeout = b.timeout;
    this.progressInterval = b.progressInterval;
    this.replay = b.replay;
  }

  /** Returns the default policy: fail fast, no retries, no timeout, progress every 100 ms, no replay. */
  public static RunPolicy defaults() {
    return DEFAULTS;
  }

  /** Returns a new builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this policy's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.failure = failure;
    b.retries = retries;
    b.backoff = backoff;
    b.maxBackoff = maxBackoff;
    b.timeout = timeout;
    b.progressInterval = progressInterval;
    b.replay = replay;
    return b;
  }

  /** Returns what a run does when a node fails for good. */
  public Failure failure() {
    return failure;
  }

  /** Returns how many more times a failed node attempt is tried; 0 by default. */
  public int retries() {
    return retries;
  }

  /** Returns the wait before the first retry; it doubles for each further retry. */
  public Duration backoff() {
    return backoff;
  }

  /** Returns the longest wait between retries. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** Returns the longest a node attempt may run, or {@link Duration#ZERO} for no limit. */
  public Duration timeout() {
    return timeout;
  }

  /** Returns the least time between two {@link EngineEvent.Progress} events; zero: after every node. */
  public Duration progressInterval() {
    return progressInterval;
  }

  /** Returns how many past events a late subscriber to {@link Run#events()} sees; 0 by default. */
  public int replay() {
    return replay;
  }

  /** Returns the wait before retry number {@code retry} (0-based): backoff doubled, capped. */
  Duration backoffFor(int retry) {
    Duration d = backoff;
    for (int k = 0; k < retry && d.compareTo(maxBackoff) < 0; k++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  @Override
  public String toString() {
    return "RunPolicy[" + failure + ", retries=" + retries + ", backoff=" + backoff
        + ", maxBackoff=" + maxBackoff + ", timeout=" + timeout + ", progressInterval="
        + progressInterval + ", replay=" + (replay == REPLAY_ALL ? "all" : replay) + "]";
  }

  /** Collects settings for a {@link RunPolicy}. Not thread-safe. */
  public static final class Builder {
    private Failure failure = Failure.FAIL_FAST;
    private int retries;
    private Duration backoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private Duration timeout = Duration.ZERO;
    private Duration progressInterval = Duration.ofMillis(100);
    private int replay;

    private Builder() {}

    /** Sets what a run does when a node fails for good. */
    public Builder failure(Failure failure) {
      this.failure = requireNonNull(failure, "failure");
      return this;
    }

    /** Same as {@code failure(Failure.FAIL_FAST)}. */
    public Builder failFast() {
      return failure(Failure.FAIL_FAST);
    }

    /** Same as {@code failure(Failure.KEEP_GOING)}. */
    public Builder keepGoing() {
      return failure(Failure.KEEP_GOING);
    }

    /**
     * Retries a failed node attempt up to {@code retries} more times, waiting {@code backoff}
     * before the first retry and twice as long before each next one (at most {@link
     * #maxBackoff}).
     *
     * @throws IllegalArgumentException if {@code retries} or {@code backoff} is negative
     */
    public Builder retries(int retries, Duration backoff) {
      if (retries < 0) {
        throw new IllegalArgumentException(
            "retries is " + retries + ", must be 0 or more (0: no retry).");
      }
      this.retries = retries;
      this.backoff = nonNegative("backoff", backoff);
      return this;
    }

    /**
     * Sets the longest wait between retries (10 s by default).
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = nonNegative("maxBackoff", maxBackoff);
      return this;
    }

    /**
     * Fails a node attempt that runs longer than {@code timeout} (the thread running it is
     * interrupted, its result discarded); {@link Duration#ZERO} for no limit, the default.
     *
     * <p><b>Note:</b> with a timeout set, each node attempt arms a timer, which costs a little.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder timeout(Duration timeout) {
      this.timeout = nonNegative("timeout", timeout);
      return this;
    }

    /**
     * Sets the least time between two progress events (100 ms by default); zero emits one
     * after every node.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder progressInterval(Duration interval) {
      this.progressInterval = nonNegative("progressInterval", interval);
      return this;
    }

    /**
     * Keeps the last {@code events} events for subscribers that come late (0, the default,
     * keeps none: a subscriber sees what happens after it subscribes).
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder replay(int events) {
      if (events < 0) {
        throw new IllegalArgumentException("replay is " + events + ", must be 0 or more.");
      }
      this.replay = events;
      return this;
    }

    /** Keeps every event of the run for late subscribers. */
    public Builder replayAll() {
      return replay(REPLAY_ALL);
    }

    /** Returns the policy. */
    public RunPolicy build() {
      return new RunPolicy(this);
    }

    private static Duration nonNegative(String what, Duration d) {
      requireNonNull(d, what);
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " is " + d + ", must not be negative.");
      }
      return d;
    }
  }
}
