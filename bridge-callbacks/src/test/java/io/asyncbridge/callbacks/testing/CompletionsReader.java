package io.asyncbridge.callbacks.testing;

import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.serde.JsonSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A read_committed consumer of the completions topic that keeps everything it saw. */
public final class CompletionsReader implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final JsonSerde<Completion> serde = JsonSerde.of(Completion.class);
  private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

  public CompletionsReader(Map<String, Object> consumerConfig, String topic) {
    this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
  }


  public static String newGroup() {
    return "completions-" + UUID.randomUUID();
  }

  /** Polls once more; returns every completion seen so far, in order. */
  public synchronized List<Completion> poll() {
    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    return records.stream().map(record -> serde.deserialize(record.topic(), record.value())).toList();
  }

  public synchronized List<ConsumerRecord<String, byte[]>> records() {
    return List.copyOf(records);
  }

  @Override
  public synchronized void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
