package io.asyncbridge.core.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Kafka's own client metrics as meters ({@code kafka_producer_*}, {@code kafka_consumer_*}, {@code kafka_stream_*}),
 * tagged with the service. They are read when scraped and re-listed once a minute; nothing is added to a send or a
 * poll. Close the result with the client.
 */
public final class KafkaClientMeters {

  private KafkaClientMeters() {
  }

  /** Every client of a Kafka Streams application: its stream threads, consumers, producers and stores. */
  public static AutoCloseable bind(MeterRegistry registry, KafkaStreams streams, String service) {
    KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams, Tags.of("service", service));
    metrics.bindTo(registry);
    return metrics;
  }

  /** A plain producer (webhooks, dispatch results). */
  public static AutoCloseable bind(MeterRegistry registry, Producer<?, ?> producer, String service) {
    KafkaClientMetrics metrics = new KafkaClientMetrics(producer, Tags.of("service", service));
    metrics.bindTo(registry);
    return metrics;
  }
}
