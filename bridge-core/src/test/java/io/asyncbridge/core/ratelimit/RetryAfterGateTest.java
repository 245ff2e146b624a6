package io.asyncbridge.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryAfterGateTest {

  private final AtomicLong now = new AtomicLong(-5_000_000_000L); // nanoTime may be negative

  @Test
  void closesForTheLongestRetryAfterThenOpens() {
    RetryAfterGate gate = new RetryAfterGate(now::get);
    assertThat(gate.open()).isTrue();

    gate.retryAfter(Duration.ofSeconds(3));
    gate.retryAfter(Duration.ofSeconds(1));
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(2_999));
    assertThat(gate.open()).isFalse();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
    assertThat(gate.open()).isTrue();
  }

  @Test
  void aZeroOrMissingDelayChangesNothing() {
    RetryAfterGate gate = new RetryAfterGate(now::get);
    gate.retryAfter(Duration.ZERO);
    gate.retryAfter(null);
    assertThat(gate.open()).isTrue();
  }
}
