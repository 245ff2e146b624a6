package io.asyncbridge.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

  private void advanceMillis(long millis) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  private int drain(TokenBucket bucket) {
    int taken = 0;
    while (bucket.tryAcquire()) {
      taken++;
    }
    return taken;
  }

  @Test
  void startsWithOneTokenAndRefillsAtItsShareOfTheLimit() {
    TokenBucket bucket = new TokenBucket(100, 0.5, now::get);

    assertThat(bucket.rate()).isEqualTo(50.0);
    assertThat(drain(bucket)).isEqualTo(1);
    advanceMillis(100);
    assertThat(drain(bucket)).as("100 ms at 50/s").isEqualTo(5);
    advanceMillis(10);
    assertThat(bucket.tryAcquire()).as("half a token is no token").isFalse();
    advanceMillis(10);
    assertThat(bucket.tryAcquire()).isTrue();
  }

  @Test
  void overAnyLongStretchItGivesNoMoreThanTheRatePlusItsBurst() {
    TokenBucket bucket = new TokenBucket(20, 1.0, now::get);
    advanceMillis(60_000);
    assertThat(drain(bucket)).as("an idle minute saves only the burst: 200 ms of 20/s").isEqualTo(4);

    int taken = 0;
    for (int tick = 0; tick < 1000; tick++) { // 10 s of 10 ms ticks, taking all that is there
      advanceMillis(10);
      taken += drain(bucket);
    }
    assertThat(taken).isEqualTo(200);
  }

  @Test
  void aSlowLimitStillKeepsOneTokenOfBurst() {
    TokenBucket bucket = new TokenBucket(0.5, 1.0, now::get);
    assertThat(drain(bucket)).isEqualTo(1);
    advanceMillis(1_999);
    assertThat(bucket.tryAcquire()).isFalse();
    advanceMillis(1);
    assertThat(bucket.tryAcquire()).isTrue();
  }

  @Test
  void owningNoPartitionGivesNoToken() {
    TokenBucket bucket = new TokenBucket(10, 0.0, now::get);
    advanceMillis(10_000);
    assertThat(bucket.tryAcquire()).isFalse();
    assertThat(bucket.rate()).isZero();

    bucket.share(0.25);
    assertThat(drain(bucket)).as("a first share starts with one token, as a new bucket").isEqualTo(1);
    advanceMillis(399);
    assertThat(bucket.tryAcquire()).isFalse();
    advanceMillis(1);
    assertThat(drain(bucket)).isEqualTo(1);
  }

  @Test
  void aSmallerShareDropsTheTokensBeyondItsBurst() {
    TokenBucket bucket = new TokenBucket(100, 1.0, now::get);
    advanceMillis(1_000);
    bucket.share(0.1); // 10/s: a burst of 2

    assertThat(drain(bucket)).isEqualTo(2);
    advanceMillis(1_000);
    assertThat(drain(bucket)).isEqualTo(2);
  }

  @Test
  void aRetryAfterPausesTheWholeBucketAndItRestartsEmpty() {
    TokenBucket bucket = new TokenBucket(50, 1.0, now::get);
    advanceMillis(1_000);
    bucket.pauseFor(TimeUnit.SECONDS.toNanos(2));

    assertThat(bucket.paused()).isTrue();
    advanceMillis(1_999);
    assertThat(bucket.tryAcquire()).isFalse();
    advanceMillis(1);
    assertThat(bucket.paused()).isFalse();
    assertThat(bucket.tryAcquire()).as("no token accrued while paused").isFalse();
    advanceMillis(20);
    assertThat(drain(bucket)).isEqualTo(1);
  }

  @Test
  void aShorterRetryAfterDoesNotShortenALongerOne() {
    TokenBucket bucket = new TokenBucket(50, 1.0, now::get);
    bucket.pauseFor(TimeUnit.SECONDS.toNanos(5));
    bucket.pauseFor(TimeUnit.SECONDS.toNanos(1));
    advanceMillis(2_000);
    assertThat(bucket.tryAcquire()).isFalse();
    advanceMillis(3_100);
    assertThat(bucket.tryAcquire()).isTrue();
  }

  @Test
  void countsTheCallsOfTheLastWholeSecond() {
    TokenBucket bucket = new TokenBucket(10, 1.0, now::get);
    int taken = 0;
    for (int tick = 0; tick < 100; tick++) {
      advanceMillis(10);
      taken += drain(bucket);
    }
    assertThat(taken).isBetween(10, 12);
    advanceMillis(1);
    assertThat(bucket.lastSecondCount()).isBetween(9, 11);
    advanceMillis(5_000);
    assertThat(bucket.lastSecondCount()).as("nothing taken for seconds").isZero();
  }

  @Test
  void refusesALimitThatIsNotPositive() {
    assertThatThrownBy(() -> new TokenBucket(0, 1.0, now::get)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive");
  }
}
