package io.asyncbridge.core.config;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * How the poller follows a notification resource.
 *
 * @param initialDelay first poll after acceptance
 * @param initialInterval interval after the first poll; multiplied by {@code multiplier} after each poll
 * @param maxInterval upper bound of the interval
 * @param jitter each interval is randomized by +/- this fraction (0..1), so tasks accepted together spread out
 * @param honourRetryAfter a 429/503 with Retry-After waits at least that long
 * @param notFoundGrace how long a notification may answer 404 after acceptance (the API is not real time)
 * @param requestTimeout a poll without an answer after this long counts as failed and is retried
 * @param concurrency polls in flight at once for this provider, per poller instance
 * @param rateLimit polls per second across all poller instances (each takes the share of its partitions); empty: no
 *     limit beyond {@code concurrency}
 */
public record PollPolicy(
    Duration initialDelay,
    Duration initialInterval,
    double multiplier,
    Duration maxInterval,
    double jitter,
    boolean honourRetryAfter,
    Duration notFoundGrace,
    Duration requestTimeout,
    int concurrency,
    OptionalDouble rateLimit) {

  public PollPolicy {
    rateLimit = rateLimit == null ? OptionalDouble.empty() : rateLimit;
  }

  /** A policy without a rate limit. */
  public PollPolicy(Duration initialDelay, Duration initialInterval, double multiplier, Duration maxInterval,
      double jitter, boolean honourRetryAfter, Duration notFoundGrace, Duration requestTimeout, int concurrency) {
    this(initialDelay, initialInterval, multiplier, maxInterval, jitter, honourRetryAfter, notFoundGrace,
        requestTimeout, concurrency, OptionalDouble.empty());
  }
}
