package io.asyncbridge.core.ratelimit;

import java.util.function.LongSupplier;

/**
 * A token bucket for one provider on one instance: tokens accrue at this instance's share of the provider's limit,
 * up to a burst of {@link #BURST_SECONDS} of that rate (at least one token). A caller that finds no token does not
 * drop its call: it keeps the call and asks again later. A {@code Retry-After} pauses the whole bucket.
 *
 * <p>Thread-safe; the clock is a nanosecond source so tests move time by hand.
 */
public final class TokenBucket {

  /** The burst a bucket holds, in seconds of its rate: enough to cover the gap between two ticks of a caller. */
  public static final double BURST_SECONDS = 0.2;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final double limit;
  private final LongSupplier nanos;
  private double rate;
  private double tokens;
  private long refilledAt;
  private long pausedUntil;
  private boolean paused;
  private long secondStartedAt;
  private int takenThisSecond;
  private int takenLastSecond;

  /**
   * @param limit calls per second across all instances
   * @param share this instance's share of it, 0..1 (see {@link PartitionShare})
   */
  public TokenBucket(double limit, double share, LongSupplier nanos) {
    if (!(limit > 0)) {
      throw new IllegalArgumentException("a rate limit must be positive, was " + limit);
    }
    this.limit = limit;
    this.nanos = nanos;
    this.refilledAt = nanos.getAsLong();
    this.secondStartedAt = refilledAt;
    this.rate = limit * PartitionShare.clamp(share);
    this.tokens = Math.min(1.0, capacity());
  }

  /**
   * Nanoseconds of a {@link java.time.Clock}: the bridge's time, so that a test's clock moves the buckets and the
   * Retry-After holds together with the deadlines and schedules.
   */
  public static LongSupplier nanosOf(java.time.Clock clock) {
    return () -> {
      java.time.Instant now = clock.instant();
      return now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
    };
  }

  /** The limit across all instances, calls per second. */
  public double limit() {
    return limit;
  }

  /** This instance's rate, calls per second: its share of the limit. */
  public synchronized double rate() {
    return rate;
  }

  /**
   * Sets this instance's share of the limit (after a rebalance); tokens beyond the new burst are dropped. An instance
   * that owned nothing starts with one token, as a new bucket does, so its first call does not wait a whole period.
   */
  public synchronized void share(double share) {
    refill(nanos.getAsLong());
    boolean wasIdle = rate == 0;
    rate = limit * PartitionShare.clamp(share);
    tokens = wasIdle && !paused ? Math.min(1.0, capacity()) : Math.min(tokens, capacity());
  }

  /** Takes a token if one is there (and the bucket is not paused). */
  public synchronized boolean tryAcquire() {
    long now = nanos.getAsLong();
    refill(now);
    if (paused || tokens < 1.0) {
      return false;
    }
    tokens -= 1.0;
    roll(now);
    takenThisSecond++;
    return true;
  }

  /**
   * Gives no token before {@code delayNanos} from now (an upstream's {@code Retry-After}); a later pause wins over an
   * earlier one. The bucket starts empty after the pause, so a paused provider is not hit by a burst when it ends.
   */
  public synchronized void pauseFor(long delayNanos) {
    long now = nanos.getAsLong();
    refill(now);
    long until = now + Math.max(0, delayNanos);
    if (!paused || until - pausedUntil > 0) {
      pausedUntil = until;
    }
    paused = true;
    tokens = 0;
  }

  /** Whether a {@code Retry-After} holds the bucket now. */
  public synchronized boolean paused() {
    refill(nanos.getAsLong());
    return paused;
  }

  /** Tokens taken in the last whole second: the current rate of calls started. */
  public synchronized int lastSecondCount() {
    roll(nanos.getAsLong());
    return takenLastSecond;
  }

  /** Moves the one-second counting window forward to {@code now}. */
  private void roll(long now) {
    long elapsed = now - secondStartedAt;
    if (elapsed >= 2 * NANOS_PER_SECOND) {
      takenLastSecond = 0;
      takenThisSecond = 0;
      secondStartedAt = now;
    } else if (elapsed >= NANOS_PER_SECOND) {
      takenLastSecond = takenThisSecond;
      takenThisSecond = 0;
      secondStartedAt += NANOS_PER_SECOND;
    }
  }

  private double capacity() {
    return rate > 0 ? Math.max(1.0, rate * BURST_SECONDS) : 0.0; // owning no partition: no calls to start
  }

  private void refill(long now) {
    if (paused) {
      if (now - pausedUntil < 0) {
        refilledAt = now;
        return;
      }
      paused = false;
      refilledAt = pausedUntil;
    }
    long elapsed = now - refilledAt;
    if (elapsed > 0) {
      tokens = Math.min(capacity(), tokens + rate * elapsed / NANOS_PER_SECOND);
      refilledAt = now;
    }
  }
}
