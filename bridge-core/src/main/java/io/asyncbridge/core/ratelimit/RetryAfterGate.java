package io.asyncbridge.core.ratelimit;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Holds back every call to a provider that has no rate limit while an upstream's {@code Retry-After} runs, so that a
 * 429 slows the whole provider on this instance and not only the task that got it. (A provider with a rate limit
 * pauses its {@link TokenBucket} instead.)
 */
public final class RetryAfterGate {

  private final LongSupplier nanos;
  private long openAt;
  private boolean closed;

  public RetryAfterGate(LongSupplier nanos) {
    this.nanos = nanos;
  }

  /** Whether a call may start now. */
  public synchronized boolean open() {
    if (closed && nanos.getAsLong() - openAt >= 0) {
      closed = false;
    }
    return !closed;
  }

  /** Closes the gate for {@code delay} from now; a later reopening wins over an earlier one. */
  public synchronized void retryAfter(Duration delay) {
    if (delay == null || delay.isNegative() || delay.isZero()) {
      return;
    }
    long until = nanos.getAsLong() + delay.toNanos();
    if (!closed || until - openAt > 0) {
      openAt = until;
    }
    closed = true;
  }
}
