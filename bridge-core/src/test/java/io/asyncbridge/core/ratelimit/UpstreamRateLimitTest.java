package io.asyncbridge.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.observability.ServiceMeters;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UpstreamRateLimitTest {

  private final AtomicLong now = new AtomicLong();
  private final ServiceMeters meters = ServiceMeters.forTests("poller");

  @Test
  void takesItsShareOfThePartitionsAndTimesTheWaitOfATaskFromItsFirstRefusal() {
    UpstreamRateLimit limit = new UpstreamRateLimit("acquia", "poll", 10, now::get, meters);
    assertThat(limit.tryStart("t1")).as("no partition owned yet").isFalse();

    limit.partitions(3, 6); // 5/s: a token every 200 ms, and one to start with
    assertThat(limit.tryStart("t0")).isTrue();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(limit.tryStart("t1")).isFalse();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(limit.tryStart("t1")).isTrue();

    assertThat(meters.registry().get(UpstreamRateLimit.LIMIT).tag("provider", ServiceMeters.UNKNOWN).tag("kind", "poll").gauge().value())
        .isEqualTo(5.0);
    assertThat(limit.waits().count()).isEqualTo(2);
    assertThat(limit.waits().totalTime(TimeUnit.MILLISECONDS)).as("from the first refusal to the token")
        .as("t0 did not wait").isEqualTo(200.0);
  }

  @Test
  void aRetryAfterHoldsEveryTaskOfTheProvider() {
    UpstreamRateLimit limit = new UpstreamRateLimit("acquia", "poll", 100, now::get, null);
    limit.partitions(1, 1);
    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    limit.retryAfter(Duration.ofSeconds(2));

    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    assertThat(limit.tryStart("a")).isFalse();
    assertThat(limit.tryStart("b")).isFalse();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_010));
    assertThat(limit.tryStart("b")).isTrue();
  }
}
