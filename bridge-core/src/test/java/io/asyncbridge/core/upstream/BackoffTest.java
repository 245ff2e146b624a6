package io.asyncbridge.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void growsExponentiallyUpToTheCap() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0);
    SplittableRandom random = new SplittableRandom(1);

    assertThat(backoff.delay(0, random)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delay(1, random)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(3, random)).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.delay(4, random)).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.delay(60, random)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void jitterSpreadsWithinBounds() {
    Backoff backoff = new Backoff(Duration.ofSeconds(4), 1.0, Duration.ofSeconds(10), 0.25);
    SplittableRandom random = new SplittableRandom(7);
    long distinct = java.util.stream.IntStream.range(0, 200)
        .mapToObj(i -> backoff.delay(0, random))
        .peek(delay -> assertThat(delay).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5)))
        .distinct().count();
    assertThat(distinct).isGreaterThan(50);
  }

  @Test
  void retryAfterWinsWhenLonger() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0);
    assertThat(backoff.delay(0, new SplittableRandom(), Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.delay(2, new SplittableRandom(), Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void retryAfterParsesSecondsAndDates() {
    Instant now = Instant.parse("2026-11-23T10:00:00Z");
    assertThat(response("120").retryAfter(now)).contains(Duration.ofSeconds(120));
    assertThat(response("Mon, 23 Nov 2026 10:00:30 GMT").retryAfter(now)).contains(Duration.ofSeconds(30));
    assertThat(response("soon").retryAfter(now)).isEmpty();
    assertThat(response("-5").retryAfter(now)).isEmpty();
    assertThat(response("9999999999999999").retryAfter(now)).as("capped, and no overflow").contains(Duration.ofDays(1));
    assertThat(response("99999999999999999999999").retryAfter(now)).isEmpty();
  }

  private static UpstreamResponse response(String retryAfter) {
    return new UpstreamResponse(429, Map.of("retry-after", retryAfter), new byte[0]);
  }
}
