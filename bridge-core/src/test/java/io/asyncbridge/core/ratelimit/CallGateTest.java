package io.asyncbridge.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbridge.core.observability.ServiceMeters;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallGateTest {

  private final AtomicLong now = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
  private final ServiceMeters meters = ServiceMeters.forTests("test");

  private CallGate gate(int concurrency, OptionalDouble limit, Duration longestHold) {
    return CallGate.of("acquia", "poll", concurrency, limit, longestHold, now::get, meters);
  }

  @Test
  void startsAtMostTheConcurrencyAndGivesSlotsBack() {
    CallGate gate = gate(2, OptionalDouble.empty(), Duration.ofMinutes(1));

    assertThat(gate.tryStart("a")).isTrue();
    assertThat(gate.tryStart("b")).isTrue();
    assertThat(gate.tryStart("c")).isFalse();
    assertThat(gate.inFlight()).isEqualTo(2);

    gate.finished();
    assertThat(gate.inFlight()).isEqualTo(1);
    assertThat(gate.tryStart("c")).isTrue();
  }

  @Test
  void aRefusalForWantOfATokenTakesNoSlot() {
    CallGate gate = gate(10, OptionalDouble.of(1.0), Duration.ofMinutes(1));
    gate.partitions(1, 1);

    assertThat(gate.tryStart("a")).isTrue();
    assertThat(gate.tryStart("b")).isFalse();
    assertThat(gate.inFlight()).isEqualTo(1);

    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    assertThat(gate.tryStart("b")).isTrue();
    assertThat(gate.rateLimit().kind()).isEqualTo("poll");
  }

  @Test
  void retryAfterHoldsEveryCallBackForAtMostTheLongestHold() {
    CallGate gate = gate(10, OptionalDouble.empty(), Duration.ofSeconds(5));

    gate.holdBack(Duration.ofHours(1));
    assertThat(gate.tryStart("a")).isFalse();
    assertThat(gate.inFlight()).isZero();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(4_999));
    assertThat(gate.tryStart("a")).isFalse();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
    assertThat(gate.tryStart("a")).isTrue();
  }

  @Test
  void retryAfterPausesTheRateLimitWhenThereIsOne() {
    CallGate gate = gate(10, OptionalDouble.of(100.0), Duration.ofSeconds(30));
    gate.partitions(1, 1);
    now.addAndGet(TimeUnit.SECONDS.toNanos(1));

    gate.holdBack(Duration.ofSeconds(2));
    assertThat(gate.tryStart("a")).isFalse();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(2_100));
    assertThat(gate.tryStart("a")).isTrue();
  }

  @Test
  void aConcurrencyBelowOneIsRefused() {
    assertThatThrownBy(() -> gate(0, OptionalDouble.empty(), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrency of at least 1, not 0");
  }
}
