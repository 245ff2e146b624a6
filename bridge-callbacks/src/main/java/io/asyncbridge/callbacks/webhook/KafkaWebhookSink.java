package io.asyncbridge.callbacks.webhook;

import io.asyncbridge.callbacks.correlation.CorrelationEvent;
import io.asyncbridge.callbacks.correlation.CorrelationEventSerde;
import io.asyncbridge.callbacks.correlation.WebhookReceived;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.kafka.KafkaClientProperties;
import io.asyncbridge.core.observability.KafkaClientMeters;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes webhooks to the webhooks topic with ONE shared idempotent producer (acks=all), keyed by correlation key,
 * straight from the calling event loop. {@code KafkaProducer.send} only blocks to wait for metadata or buffer
 * space, and this producer is configured never to wait ({@code max.block.ms=0}): the topic's metadata is loaded
 * before the endpoint opens and kept ({@code metadata.max.idle.ms}), and a full buffer (Kafka unreachable for a
 * while) fails the send at once, which the endpoint answers with 503. No thread hand-off per webhook.
 */
public final class KafkaWebhookSink implements WebhookSink {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaWebhookSink.class);
  /** Topic metadata is kept this long without sends, so a quiet endpoint never meets a cold producer. */
  static final long METADATA_IDLE_MS = TimeUnit.DAYS.toMillis(7);
  private static final Duration METADATA_WAIT = Duration.ofSeconds(60);
  /** How long after a failed send the sink reports itself not accepting. */
  static final Duration REFUSAL_HOLD = Duration.ofSeconds(1);
  private static final long NEVER = Long.MIN_VALUE;

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final CorrelationEventSerde serde = new CorrelationEventSerde();
  private final AutoCloseable producerMeters;
  private volatile boolean closing;
  /** When a send last failed ({@link System#nanoTime}), or {@link #NEVER}. */
  private volatile long lastRefusalNanos = NEVER;

  public KafkaWebhookSink(Producer<String, byte[]> producer, String topic) {
    this(producer, topic, null);
  }

  /** @param producerMeters the producer's client meters, closed with it (null for none) */
  public KafkaWebhookSink(Producer<String, byte[]> producer, String topic, AutoCloseable producerMeters) {
    this.producerMeters = producerMeters;
    this.producer = producer;
    this.topic = topic;
  }

  /** The sink of a bridge: its webhooks topic, and a durable producer that already knows the topic's partitions. */
  public static KafkaWebhookSink create(BridgeConfig config) {
    return create(producerProperties(config), config.topics().webhooks());
  }

  /** As {@link #create(BridgeConfig)}, with the producer's client metrics in {@code registry}. */
  public static KafkaWebhookSink create(BridgeConfig config, MeterRegistry registry, String service) {
    KafkaWebhookSink sink = create(producerProperties(config), config.topics().webhooks());
    return new KafkaWebhookSink(sink.producer, sink.topic, KafkaClientMeters.bind(registry, sink.producer, service));
  }

  /** A sink on {@code topic} with a producer of these properties, once it knows the topic's partitions. */
  public static KafkaWebhookSink create(Map<String, Object> producerProperties, String topic) {
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties);
    try {
      awaitMetadata(producer, topic, METADATA_WAIT);
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
    return new KafkaWebhookSink(producer, topic);
  }

  /**
   * Whether the sink takes webhooks: it is not closing, and no send has failed in the last {@link #REFUSAL_HOLD}.
   * A full producer buffer or missing metadata fails each send at once (503), so the instance reports itself not
   * ready meanwhile and a load balancer can send webhooks elsewhere.
   */
  public boolean isAccepting() {
    long refused = lastRefusalNanos;
    return !closing && (refused == NEVER || System.nanoTime() - refused > REFUSAL_HOLD.toNanos());
  }

  /** Core's durable producer (acks=all, idempotent), never blocking its caller, keeping its topic's metadata. */
  public static Map<String, Object> producerProperties(BridgeConfig config) {
    Map<String, Object> props = new KafkaClientProperties(config.kafka()).durableProducer("bridge-callbacks-webhooks");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "0"); // the caller is an event loop: never configurable
    props.putIfAbsent(ProducerConfig.METADATA_MAX_IDLE_CONFIG, Long.toString(METADATA_IDLE_MS));
    return props;
  }

  /**
   * Waits, at start-up, until the producer knows the topic's partitions, so that sends find them cached. With
   * {@code max.block.ms=0} each lookup fails at once until the metadata arrived; the producer fetches it meanwhile.
   */
  static void awaitMetadata(Producer<String, byte[]> producer, String topic, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        producer.partitionsFor(topic);
        return;
      } catch (TimeoutException e) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("no metadata for the webhooks topic '" + topic + "' after " + timeout
              + "; is Kafka reachable?", e);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while loading the metadata of topic '" + topic + "'", e);
        }
      }
    }
  }

  @Override
  public CompletionStage<Void> send(WebhookReceived webhook) {
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    if (closing) {
      acknowledged.completeExceptionally(new SinkUnavailableException("the webhook sink is closing"));
      return acknowledged;
    }
    try {
      producer.send(new ProducerRecord<>(topic, webhook.correlationKey(),
          serde.serialize(topic, new CorrelationEvent.Webhook(webhook))), (metadata, failure) -> {
            if (failure == null) {
              acknowledged.complete(null);
            } else {
              lastRefusalNanos = System.nanoTime();
              acknowledged.completeExceptionally(failure);
            }
          });
    } catch (RuntimeException e) {
      lastRefusalNanos = System.nanoTime();
      acknowledged.completeExceptionally(e); // e.g. the producer was closed meanwhile
    }
    return acknowledged;
  }

  /** Refuses new webhooks, then waits (bounded) for the acknowledgements of those sent and closes the producer. */
  public void close(Duration timeout) {
    closing = true;
    try {
      producer.close(timeout);
    } catch (RuntimeException e) {
      LOG.warn("webhook sink: closing the producer failed", e);
    }
    if (producerMeters != null) {
      try {
        producerMeters.close();
      } catch (Exception e) {
        LOG.warn("webhook sink: producer meters did not close: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
