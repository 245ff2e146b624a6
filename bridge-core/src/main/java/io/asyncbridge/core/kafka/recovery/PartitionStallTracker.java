package io.asyncbridge.core.kafka.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells a stalled partition from a busy one. A partition is stalled when its last stable offset (what read_committed
 * readers stop at) stays below its high watermark at one value for longer than a bound: an open transaction pins it
 * and nothing ends that transaction. Under load the last stable offset moves every commit, and on an idle partition
 * it equals the high watermark, so neither counts.
 *
 * <p>Only consecutive observations count: {@link #forget()} after a failed observation (the broker down or
 * loading), so time spent without a broker is never taken for a stall.
 */
final class PartitionStallTracker {

  /** Offsets of one partition at one moment. */
  record Offsets(long lastStable, long highWatermark) {
  }

  private record Pinned(long lastStable, Instant since) {
  }

  private final Map<TopicPartition, Pinned> pinned = new HashMap<>();

  /**
   * Records one observation of every watched partition and returns those pinned at one last stable offset below
   * their high watermark for at least {@code bound}, with how long, longest first.
   */
  Map<TopicPartition, Duration> observe(Instant now, Map<TopicPartition, Offsets> offsets, Duration bound) {
    pinned.keySet().retainAll(offsets.keySet());
    Map<TopicPartition, Duration> stalled = new HashMap<>();
    offsets.forEach((partition, seen) -> {
      if (seen.lastStable() >= seen.highWatermark()) {
        pinned.remove(partition);
        return;
      }
      Pinned before = pinned.get(partition);
      if (before == null || before.lastStable() != seen.lastStable()) {
        pinned.put(partition, new Pinned(seen.lastStable(), now));
        return;
      }
      Duration stuck = Duration.between(before.since(), now);
      if (stuck.compareTo(bound) >= 0) {
        stalled.put(partition, stuck);
      }
    });
    Map<TopicPartition, Duration> sorted = new LinkedHashMap<>();
    stalled.entrySet().stream().sorted(Map.Entry.<TopicPartition, Duration>comparingByValue().reversed())
        .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
    return sorted;
  }

  /** The last stable offset a partition has been pinned at, if it is behind its high watermark. */
  Long pinnedAt(TopicPartition partition) {
    Pinned at = pinned.get(partition);
    return at == null ? null : at.lastStable();
  }

  /** Forgets every partition: the next observation starts afresh. */
  void forget() {
    pinned.clear();
  }
}
