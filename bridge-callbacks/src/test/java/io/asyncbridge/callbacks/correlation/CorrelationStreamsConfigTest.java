package io.asyncbridge.callbacks.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.KafkaSettings;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class CorrelationStreamsConfigTest {

  private static final Path STATE = Path.of("/tmp/unused");

  @Test
  void theMainConsumerBatchesItsFetchesAndExactlyOnceStays() {
    Map<String, Object> props = CorrelationStreamsConfig.properties(settings(Map.of(), Map.of()), "callbacks", STATE,
        (short) 1);

    assertThat(props).containsEntry("main.consumer.fetch.min.bytes", "65536")
        .containsEntry("main.consumer.fetch.max.wait.ms", "10")
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "20")
        .containsEntry("producer.linger.ms", "20")
        .containsEntry("producer.batch.size", "262144")
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
        .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "bridge-callbacks");
  }

  @Test
  void configuredFetchSettingsWin() {
    Map<String, Object> fromConsumer = CorrelationStreamsConfig.properties(
        settings(Map.of("fetch.min.bytes", "1"), Map.of()), "callbacks", STATE, (short) 1);
    Map<String, Object> fromStreams = CorrelationStreamsConfig.properties(
        settings(Map.of(), Map.of("main.consumer.fetch.max.wait.ms", "5")), "callbacks", STATE, (short) 1);

    Map<String, Object> fromProducer = CorrelationStreamsConfig.properties(
        new KafkaSettings("localhost:9092", "bridge", Map.of(), Map.of("linger.ms", "0"), Map.of(), Map.of()),
        "callbacks", STATE, (short) 1);

    assertThat(fromConsumer).doesNotContainKey("main.consumer.fetch.min.bytes")
        .containsEntry("consumer.fetch.min.bytes", "1");
    assertThat(fromProducer).containsEntry("producer.linger.ms", "0")
        .containsEntry("producer.batch.size", "262144");
    assertThat(fromStreams).containsEntry("main.consumer.fetch.max.wait.ms", "5")
        .containsEntry("main.consumer.fetch.min.bytes", "65536");
  }

  @Test
  void aConfiguredCommitIntervalWins() {
    Map<String, Object> props = CorrelationStreamsConfig.properties(
        settings(Map.of(), Map.of("commit.interval.ms", "100")), "callbacks", STATE, (short) 1);

    assertThat(props).containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
  }

  private static KafkaSettings settings(Map<String, String> consumer, Map<String, String> streams) {
    return new KafkaSettings("localhost:9092", "bridge", Map.of(), Map.of(), consumer, streams);
  }
}
