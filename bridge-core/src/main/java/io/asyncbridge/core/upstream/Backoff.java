package io.asyncbridge.core.upstream;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Exponential backoff with jitter, shared by dispatch retries and notification polling. */
public record Backoff(Duration initial, double multiplier, Duration max, double jitter) {

  /**
   * The delay before attempt {@code attempt + 1}: {@code initial * multiplier^attempt}, capped at {@code max},
   * then spread by +/- {@code jitter} (never above {@code max}, never negative).
   *
   * @param attempt 0 for the delay after the first try
   */
  public Duration delay(int attempt, RandomGenerator random) {
    double base = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt));
    double capped = Math.min(base, max.toMillis());
    double spread = jitter <= 0 ? 0 : (random.nextDouble() * 2 - 1) * jitter * capped;
    long millis = Math.round(Math.min(max.toMillis(), Math.max(0, capped + spread)));
    return Duration.ofMillis(millis);
  }

  /** The delay, but never shorter than what the upstream asked for with Retry-After. */
  public Duration delay(int attempt, RandomGenerator random, Duration retryAfter) {
    Duration computed = delay(attempt, random);
    return retryAfter != null && retryAfter.compareTo(computed) > 0 ? retryAfter : computed;
  }
}
