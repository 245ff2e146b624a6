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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes webhooks to the webhooks topic with ONE shared idempotent producer (acks=all), keyed by correlation key.
 * {@code KafkaProducer.send} can block (waiting for metadata or buffer space), so sends run on one dedicated thread
 * with a bounded queue; a full queue fails the webhook at once and the endpoint answers 503.
 */
public final class KafkaWebhookSink implements WebhookSink {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaWebhookSink.class);
  static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  static final long QUEUE_BYTES = 256L * 1024 * 1024;

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final CorrelationEventSerde serde = new CorrelationEventSerde();
  private final ThreadPoolExecutor sender;
  private final AutoCloseable producerMeters;

  public KafkaWebhookSink(Producer<String, byte[]> producer, String topic, int queueCapacity) {
    this(producer, topic, queueCapacity, null);
  }

  /** @param producerMeters the producer's client meters, closed with it (null for none) */
  public KafkaWebhookSink(Producer<String, byte[]> producer, String topic, int queueCapacity,
      AutoCloseable producerMeters) {
    this.producerMeters = producerMeters;
    this.producer = producer;
    this.topic = topic;
    this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity),
        runnable -> {
          Thread thread = new Thread(runnable, "webhook-sink");
          thread.setDaemon(true);
          return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
  }

  /** The sink of a bridge: its webhooks topic and a durable producer tuned for request/response. */
  public static KafkaWebhookSink create(BridgeConfig config) {
    return new KafkaWebhookSink(new KafkaProducer<>(producerProperties(config)), config.topics().webhooks(),
        queueCapacity(config.callbacks().maxBodyBytes()));
  }

  /** As {@link #create(BridgeConfig)}, with the producer's client metrics in {@code registry}. */
  public static KafkaWebhookSink create(BridgeConfig config, MeterRegistry registry, String service) {
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(config));
    return new KafkaWebhookSink(producer, config.topics().webhooks(), queueCapacity(config.callbacks().maxBodyBytes()),
        KafkaClientMeters.bind(registry, producer, service));
  }

  /** Whether the sink takes webhooks: not closing, and its queue not full. */
  public boolean isAccepting() {
    return !sender.isShutdown() && sender.getQueue().remainingCapacity() > 0;
  }

  /**
   * Enough slots that the queue never limits throughput (it only holds webhooks not yet handed to the producer,
   * whose own buffer is bounded by buffer.memory), yet at most about {@link #QUEUE_BYTES} of bodies while Kafka is
   * away: a full queue answers 503 instead of growing.
   */
  static int queueCapacity(int maxBodyBytes) {
    return (int) Math.max(64, Math.min(DEFAULT_QUEUE_CAPACITY, QUEUE_BYTES / Math.max(1, maxBodyBytes)));
  }

  /**
   * Core's durable producer, plus a bounded {@code max.block.ms} (unless configured): a send stuck on metadata while
   * the cluster is away must give up soon after the HTTP answer (503) was given, not hold the queue for a minute.
   */
  public static Map<String, Object> producerProperties(BridgeConfig config) {
    Map<String, Object> props = new KafkaClientProperties(config.kafka()).durableProducer("bridge-callbacks-webhooks");
    if (!config.kafka().producer().containsKey(ProducerConfig.MAX_BLOCK_MS_CONFIG)) {
      props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(config.callbacks().ackTimeout().toMillis()));
    }
    return props;
  }

  @Override
  public CompletionStage<Void> send(WebhookReceived webhook) {
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, webhook.correlationKey(),
        serde.serialize(topic, new CorrelationEvent.Webhook(webhook)));
    try {
      sender.execute(() -> {
        try {
          producer.send(record, (metadata, failure) -> {
            if (failure == null) {
              acknowledged.complete(null);
            } else {
              acknowledged.completeExceptionally(failure);
            }
          });
        } catch (RuntimeException e) {
          acknowledged.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      acknowledged.completeExceptionally(new SinkUnavailableException(
          sender.isShutdown() ? "the webhook sink is closing" : "the webhook sink's queue is full"));
    }
    return acknowledged;
  }

  /** Sends what was queued, waits for outstanding acknowledgements (bounded), then closes the producer. */
  public void close(Duration timeout) {
    sender.shutdown();
    try {
      if (!sender.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("webhook sink: queued sends did not finish within {}", timeout);
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(timeout);
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
