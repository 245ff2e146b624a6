package io.asyncbridge.core.kafka.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionStallTrackerTest {

  private static final TopicPartition TASKS = new TopicPartition("bridge.tasks", 0);
  private static final TopicPartition WEBHOOKS = new TopicPartition("bridge.webhooks", 1);
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  private final PartitionStallTracker tracker = new PartitionStallTracker();

  @Test
  void aLastStableOffsetPinnedBelowTheEndForTheBoundIsAStall() {
    assertThat(observe(0, 10, 20)).isEmpty();
    assertThat(observe(29, 10, 25)).isEmpty();
    assertThat(observe(30, 10, 40)).containsExactly(Map.entry(TASKS, Duration.ofSeconds(30)));
    assertThat(observe(45, 10, 40)).containsExactly(Map.entry(TASKS, Duration.ofSeconds(45)));
    assertThat(tracker.pinnedAt(TASKS)).isEqualTo(10);
  }

  @Test
  void aMovingLastStableOffsetIsBusyNotStalled() {
    for (int second = 0; second <= 120; second += 5) {
      assertThat(observe(second, second * 10L, second * 10L + 7)).isEmpty();
    }
  }

  @Test
  void aPartitionAtItsEndIsIdleNotStalled() {
    assertThat(observe(0, 10, 10)).isEmpty();
    assertThat(observe(60, 10, 10)).isEmpty();
    assertThat(tracker.pinnedAt(TASKS)).isNull();
  }

  @Test
  void catchingUpOnceStartsTheClockAgain() {
    observe(0, 10, 20);
    observe(20, 20, 20); // the transaction ended
    assertThat(observe(25, 20, 30)).isEmpty();
    assertThat(observe(54, 20, 30)).isEmpty();
    assertThat(observe(55, 20, 30)).containsKey(TASKS);
  }

  @Test
  void timeWithoutAnswersIsNotCountedAsAStall() {
    observe(0, 10, 20);
    tracker.forget(); // the broker was down
    assertThat(observe(40, 10, 20)).isEmpty();
    assertThat(observe(70, 10, 20)).containsKey(TASKS);
  }

  @Test
  void longestStallComesFirst() {
    tracker.observe(T0, Map.of(WEBHOOKS, new PartitionStallTracker.Offsets(3, 4)), BOUND);
    tracker.observe(T0.plusSeconds(10), Map.of(WEBHOOKS, new PartitionStallTracker.Offsets(3, 4),
        TASKS, new PartitionStallTracker.Offsets(1, 2)), BOUND);
    Map<TopicPartition, Duration> stalled = tracker.observe(T0.plusSeconds(45), Map.of(
        WEBHOOKS, new PartitionStallTracker.Offsets(3, 4), TASKS, new PartitionStallTracker.Offsets(1, 2)), BOUND);
    assertThat(stalled.keySet()).containsExactly(WEBHOOKS, TASKS);
  }

  private Map<TopicPartition, Duration> observe(int second, long lastStable, long end) {
    return tracker.observe(T0.plusSeconds(second), Map.of(TASKS, new PartitionStallTracker.Offsets(lastStable, end)),
        BOUND);
  }
}
