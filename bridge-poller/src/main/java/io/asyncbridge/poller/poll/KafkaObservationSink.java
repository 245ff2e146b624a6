package io.asyncbridge.poller.poll;

import io.asyncbridge.schemas.serde.JsonSerde;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes observations with one shared durable producer (acks=all, idempotent) to the observations topic, in the
 * partition of the task's state, so the answer meets the task whatever partitioner wrote the task.
 */
public final class KafkaObservationSink implements ObservationSink {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaObservationSink.class);

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final JsonSerde<PollObservation> serde = JsonSerde.of(PollObservation.class);
  private final AutoCloseable producerMeters;

  public KafkaObservationSink(Producer<String, byte[]> producer, String topic) {
    this(producer, topic, null);
  }

  /** @param producerMeters the producer's client meters, closed with it (null for none) */
  public KafkaObservationSink(Producer<String, byte[]> producer, String topic, AutoCloseable producerMeters) {
    this.producer = producer;
    this.topic = topic;
    this.producerMeters = producerMeters;
  }

  @Override
  public void publish(PollJob job, PollObservation observation) {
    byte[] value = serde.serialize(topic, observation);
    producer.send(new ProducerRecord<>(topic, job.partition(), job.taskId(), value), (metadata, failure) -> {
      if (failure != null) {
        // The task's lease expires and it is polled again: nothing is lost, only a poll repeated.
        LOG.warn("task {} provider {}: observation of attempt {} not written to {}: {}", job.taskId(), job.provider(),
            job.attempt(), topic, failure.toString());
      }
    });
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
    if (producerMeters != null) {
      try {
        producerMeters.close();
      } catch (Exception e) {
        LOG.warn("observation producer meters did not close: {}", e.toString());
      }
    }
  }
}
