package io.asyncbridge.core.kafka;

import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Sends a record to the partition number its value names. A task's internal events carry the partition of the
 * record that created the task, so they meet its state whatever partitioner the task's producer used.
 */
public final class SamePartition<K, V> implements StreamPartitioner<K, V> {

  private final ToIntFunction<V> partitionOf;

  public SamePartition(ToIntFunction<V> partitionOf) {
    this.partitionOf = partitionOf;
  }

  @Override
  public Optional<Set<Integer>> partitions(String topic, K key, V value, int numPartitions) {
    int partition = partitionOf.applyAsInt(value);
    if (partition < 0 || partition >= numPartitions) {
      throw new IllegalStateException("topic " + topic + " has " + numPartitions + " partitions, the task lives in"
          + " partition " + partition + ": the bridge's topics must have the same partition count");
    }
    return Optional.of(Set.of(partition));
  }
}
