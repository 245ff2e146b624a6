package io.asyncbridge.callbacks.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.callbacks.correlation.CorrelationEvent;
import io.asyncbridge.callbacks.correlation.CorrelationEventSerde;
import io.asyncbridge.callbacks.correlation.WebhookReceived;
import io.asyncbridge.callbacks.testing.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaWebhookSinkTest {

  private final WebhookReceived webhook = new WebhookReceived("documents", "t-1", "1028", Instant.EPOCH,
      "{\"eventId\": 1028}".getBytes(StandardCharsets.UTF_8));

  @Test
  void completesOnlyWhenTheBrokerAcknowledges() throws Exception {
    MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    KafkaWebhookSink sink = new KafkaWebhookSink(producer, "hooks");

    CompletableFuture<Void> acked = sink.send(webhook).toCompletableFuture();
    await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
    assertThat(acked).isNotDone();
    producer.completeNext();

    acked.get(5, TimeUnit.SECONDS);
    var record = producer.history().get(0);
    assertThat(record.topic()).isEqualTo("hooks");
    assertThat(record.key()).isEqualTo("documents|1028");
    assertThat(new CorrelationEventSerde().deserialize("hooks", record.value()))
        .isEqualTo(new CorrelationEvent.Webhook(webhook));
    sink.close(Duration.ofSeconds(1));
  }

  @Test
  void aSendErrorFailsTheWebhook() {
    MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    KafkaWebhookSink sink = new KafkaWebhookSink(producer, "hooks");

    CompletableFuture<Void> acked = sink.send(webhook).toCompletableFuture();
    await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
    producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("no leader"));

    assertThatThrownBy(() -> acked.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    sink.close(Duration.ofSeconds(1));
  }

  @Test
  void aClosedSinkRefusesAtOnce() {
    MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    KafkaWebhookSink sink = new KafkaWebhookSink(producer, "hooks");
    sink.close(Duration.ofSeconds(1));

    assertThatThrownBy(() -> sink.send(webhook).toCompletableFuture().get(1, TimeUnit.SECONDS))
        .hasCauseInstanceOf(SinkUnavailableException.class);
  }

  @Test
  void aSendThatFailsAtOnceFailsTheWebhookAtOnce() {
    MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    producer.sendException = new org.apache.kafka.clients.producer.BufferExhaustedException("buffer full");
    KafkaWebhookSink sink = new KafkaWebhookSink(producer, "hooks");

    assertThat(sink.isAccepting()).isTrue();

    assertThatThrownBy(() -> sink.send(webhook).toCompletableFuture().get(1, TimeUnit.SECONDS))
        .hasCauseInstanceOf(org.apache.kafka.clients.producer.BufferExhaustedException.class);
    assertThat(sink.isAccepting()).as("not ready while sends fail, so traffic can go elsewhere").isFalse();

    producer.sendException = null;
    await().atMost(Duration.ofSeconds(5)).until(sink::isAccepting); // ready again once the hold has passed
    sink.close(Duration.ofSeconds(1));
    assertThat(sink.isAccepting()).isFalse();
  }

  @Test
  void theProducerIsDurableAndNeverBlocksTheEventLoop() {
    var props = KafkaWebhookSink.producerProperties(TestConfigs.config());

    assertThat(props).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
        .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "0")
        .containsEntry(ProducerConfig.METADATA_MAX_IDLE_CONFIG, Long.toString(KafkaWebhookSink.METADATA_IDLE_MS));
  }

  @Test
  void startUpWaitsUntilTheTopicsMetadataIsKnown() {
    AtomicInteger lookups = new AtomicInteger();
    MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
      @Override
      public synchronized List<PartitionInfo> partitionsFor(String topic) {
        if (lookups.incrementAndGet() < 3) {
          throw new org.apache.kafka.common.errors.TimeoutException("not present in metadata after 0 ms");
        }
        return List.of();
      }
    };

    KafkaWebhookSink.awaitMetadata(producer, "hooks", Duration.ofSeconds(5));

    assertThat(lookups).hasValue(3);
    assertThatThrownBy(() -> KafkaWebhookSink.awaitMetadata(new MockProducer<>(true, null, new StringSerializer(),
        new ByteArraySerializer()) {
          @Override
          public synchronized List<PartitionInfo> partitionsFor(String topic) {
            throw new org.apache.kafka.common.errors.TimeoutException("never");
          }
        }, "hooks", Duration.ofMillis(200))).isInstanceOf(IllegalStateException.class).hasMessageContaining("'hooks'");
  }
}
