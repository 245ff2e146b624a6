package io.asyncbridge.core.ratelimit;

import io.asyncbridge.core.observability.ServiceMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limit of one provider for one kind of call ({@code dispatch} or {@code poll}) on this instance: a
 * {@link TokenBucket} at this instance's share of the limit, the time tasks waited for a token, and the meters.
 * A task refused a token keeps its place with its caller and asks again; the wait is measured from its first refusal.
 */
public final class UpstreamRateLimit {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamRateLimit.class);

  public static final String LIMIT = "bridge.upstream.rate.limit";
  public static final String RATE = "bridge.upstream.rate";
  public static final String WAIT = "bridge.upstream.rate.limit.wait";
  /** Tasks whose first refusal is remembered; beyond it the oldest is forgotten (its wait is then under-counted). */
  static final int MAX_WAITING = 100_000;

  private final String provider;
  private final String kind;
  private final TokenBucket bucket;
  private final LongSupplier nanos;
  private final Timer waits;
  private final Map<String, Long> waitingSince = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > MAX_WAITING;
    }
  };

  /**
   * @param kind {@code dispatch} or {@code poll}
   * @param limit calls per second across all instances
   */
  public UpstreamRateLimit(String provider, String kind, double limit, LongSupplier nanos, ServiceMeters meters) {
    this.provider = provider;
    this.kind = kind;
    this.nanos = nanos;
    this.bucket = new TokenBucket(limit, 0.0, nanos);
    if (meters == null) {
      this.waits = null;
      return;
    }
    Gauge.builder(LIMIT, bucket, TokenBucket::rate)
        .description("this instance's share of the provider's rate limit, calls per second (its share of the partitions)")
        .tags(meters.tags(provider)).tag("kind", kind).strongReference(true).register(meters.registry());
    Gauge.builder(RATE, bucket, b -> b.lastSecondCount())
        .description("calls started under the rate limit in the last whole second on this instance")
        .tags(meters.tags(provider)).tag("kind", kind).strongReference(true).register(meters.registry());
    this.waits = Timer.builder(WAIT).description("how long tasks waited for a token of the rate limit before their call")
        .tags(meters.tags(provider)).tag("kind", kind)
        .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofSeconds(10), Duration.ofSeconds(60))
        .register(meters.registry());
  }

  public String provider() {
    return provider;
  }

  public String kind() {
    return kind;
  }

  /** The bucket (for tests and the status of this instance). */
  public TokenBucket bucket() {
    return bucket;
  }

  /** Takes a token for the task's call; false: the task keeps its place and asks again later. */
  public boolean tryStart(String taskId) {
    boolean granted = bucket.tryAcquire();
    long now = nanos.getAsLong();
    synchronized (waitingSince) {
      if (granted) {
        Long since = waitingSince.remove(taskId);
        if (waits != null) {
          waits.record(since == null ? 0 : now - since, TimeUnit.NANOSECONDS);
        }
      } else {
        waitingSince.putIfAbsent(taskId, now);
      }
    }
    return granted;
  }

  /** Forgets a task that stopped waiting without a call (cancelled, timed out, partition moved). */
  public void forget(String taskId) {
    synchronized (waitingSince) {
      waitingSince.remove(taskId);
    }
  }

  /** Takes the share of the limit that matches the partitions this instance owns, and logs it. */
  public void partitions(int owned, int total) {
    bucket.share(PartitionShare.of(owned, total));
    LOG.info("provider {}: {} of {} partitions owned, {} calls limited to {}/s on this instance (of {}/s)", provider,
        owned, total, kind, String.format(Locale.ROOT, "%.3f", bucket.rate()), bucket.limit());
  }

  /** The time waited by tasks, or null when this limit has no meters (tests). */
  Timer waits() {
    return waits;
  }

  /** An upstream answered 429 or 503 with Retry-After: no call to this provider starts on this instance until then. */
  public void retryAfter(Duration delay) {
    if (delay != null && !delay.isNegative() && !delay.isZero()) {
      bucket.pauseFor(delay.toNanos());
    }
  }
}
