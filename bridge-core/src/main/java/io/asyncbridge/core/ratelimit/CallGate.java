package io.asyncbridge.core.ratelimit;

import io.asyncbridge.core.observability.ServiceMeters;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * What lets one provider's calls of one kind start on this instance: at most {@code concurrency} calls in flight,
 * and the provider's rate limit at this instance's share ({@link UpstreamRateLimit}) or, without one, a
 * {@link RetryAfterGate} alone. A 429 or 503 with Retry-After holds back every call through the gate, for at most
 * {@code longestHold}: the upstream's quota is the provider's, not one task's.
 *
 * <p>Calls start on a stream thread and end on an event loop: the slot count is atomic and the limits are
 * thread-safe.
 */
public final class CallGate {

  private final int concurrency;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final UpstreamRateLimit rateLimit;
  private final RetryAfterGate retryAfter;
  private final Duration longestHold;

  private CallGate(int concurrency, UpstreamRateLimit rateLimit, RetryAfterGate retryAfter, Duration longestHold) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("a call gate needs a concurrency of at least 1, not " + concurrency);
    }
    this.concurrency = concurrency;
    this.rateLimit = rateLimit;
    this.retryAfter = retryAfter;
    this.longestHold = longestHold;
  }

  /**
   * @param kind what the calls are ({@code dispatch}, {@code poll}, {@code cancel}): the rate limit's meters tag
   * @param limit calls per second across all instances, if the provider has a rate limit
   * @param longestHold the longest a Retry-After holds the provider back
   * @param nanos the monotonic clock of the limits
   * @param meters where the rate limit's meters go
   */
  public static CallGate of(String provider, String kind, int concurrency, OptionalDouble limit,
      Duration longestHold, LongSupplier nanos, ServiceMeters meters) {
    UpstreamRateLimit rateLimit = limit.isPresent()
        ? new UpstreamRateLimit(provider, kind, limit.getAsDouble(), nanos, meters)
        : null;
    return new CallGate(concurrency, rateLimit, new RetryAfterGate(nanos), longestHold);
  }

  /**
   * Takes a slot, and a token when the provider has a rate limit, for the task's call. False takes nothing: the task
   * keeps its place with its caller and asks again later. Each true is paired with one {@link #finished}.
   */
  public boolean tryStart(String taskId) {
    if (inFlight.incrementAndGet() > concurrency) {
      inFlight.decrementAndGet();
      return false;
    }
    boolean mayStart = rateLimit == null ? retryAfter.open() : rateLimit.tryStart(taskId);
    if (!mayStart) {
      inFlight.decrementAndGet();
    }
    return mayStart;
  }

  /** Gives back the slot of a call that started (answered, failed, or never sent after all). */
  public void finished() {
    inFlight.decrementAndGet();
  }

  /** Holds back every call through this gate for the upstream's Retry-After, at most {@code longestHold}. */
  public void holdBack(Duration asked) {
    Duration delay = asked.compareTo(longestHold) > 0 ? longestHold : asked;
    if (rateLimit == null) {
      retryAfter.retryAfter(delay);
    } else {
      rateLimit.retryAfter(delay);
    }
  }

  /** Takes the share of the rate limit that matches the partitions this instance owns (nothing without a limit). */
  public void partitions(int owned, int total) {
    if (rateLimit != null) {
      rateLimit.partitions(owned, total);
    }
  }

  /** Calls in flight through this gate. */
  public int inFlight() {
    return inFlight.get();
  }

  /** The rate limit of these calls on this instance, or null when the provider has none. */
  public UpstreamRateLimit rateLimit() {
    return rateLimit;
  }
}
