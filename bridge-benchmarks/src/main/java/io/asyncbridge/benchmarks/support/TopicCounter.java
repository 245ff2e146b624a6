package io.asyncbridge.benchmarks.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from the beginning with read_committed on its own thread and notes when the first and the last
 * expected record arrived (wall clock at the reader).
 */
public final class TopicCounter implements AutoCloseable {

  private final Thread thread;
  private final int expected;
  private volatile long count;
  private volatile long firstMillis = -1;
  private volatile long lastMillis = -1;
  private volatile boolean stop;
  private volatile boolean positioned;

  public TopicCounter(BenchKafka kafka, String topic, int expected, BiConsumer<ConsumerRecord<String, byte[]>, Long> each) {
    this(kafka, topic, expected, false, each);
  }

  /**
   * @param fromEnd read only what is written from now on (call {@link #awaitPositioned} before writing): a reader
   *     that first had to read through earlier runs' records would add that time to the first records' latency
   */
  public TopicCounter(BenchKafka kafka, String topic, int expected, boolean fromEnd,
      BiConsumer<ConsumerRecord<String, byte[]>, Long> each) {
    this.expected = expected;
    Map<String, Object> props = kafka.committedReader();
    this.thread = new Thread(() -> {
      try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
          new ByteArrayDeserializer())) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
            .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        if (fromEnd) {
          consumer.seekToEnd(partitions);
          partitions.forEach(consumer::position); // resolves the seek now
        } else {
          consumer.seekToBeginning(partitions);
        }
        positioned = true;
        while (!stop && count < expected) {
          var records = consumer.poll(Duration.ofMillis(100));
          long now = System.currentTimeMillis();
          for (ConsumerRecord<String, byte[]> record : records) {
            if (firstMillis < 0) {
              firstMillis = now;
            }
            count++;
            each.accept(record, now);
          }
          if (!records.isEmpty()) {
            lastMillis = now;
          }
        }
      }
    }, "topic-counter-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  public long count() {
    return count;
  }

  public long firstMillis() {
    return firstMillis;
  }

  public long lastMillis() {
    return lastMillis;
  }

  /** Waits until the reader knows where it starts; false on timeout. */
  public boolean awaitPositioned(long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!positioned && System.currentTimeMillis() < deadline) {
      ProcessMetrics.sleep(20);
    }
    return positioned;
  }

  /** Waits until every expected record was read; false on timeout. */
  public boolean await(long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (count < expected && System.currentTimeMillis() < deadline) {
      ProcessMetrics.sleep(100);
    }
    return count >= expected;
  }

  @Override
  public void close() {
    stop = true;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
