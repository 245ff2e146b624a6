package io.asyncbridge.callbacks.correlation;

import io.asyncbridge.core.config.KafkaSettings;
import io.asyncbridge.core.kafka.KafkaClientProperties;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka Streams settings of the correlation topology: core's exactly-once settings, plus batched fetches for its
 * main consumer. With Kafka's defaults (fetch.min.bytes=1) every webhook the endpoint writes completes the topology's
 * pending fetch, so the broker serves one fetch round trip per produce request and the stream thread polls for a
 * record or two at a time: on a shared 2-core machine that work took the CPU the endpoint's acknowledgements needed.
 * Waiting for {@value #FETCH_MIN_BYTES} bytes or {@value #FETCH_MAX_WAIT_MS} ms costs a webhook's completion at
 * most that wait, small beside the 100 ms exactly-once commit interval. Either setting in {@code kafka.consumer} or
 * {@code kafka.streams} wins.
 */
public final class CorrelationStreamsConfig {

  static final int FETCH_MIN_BYTES = 64 * 1024;
  static final int FETCH_MAX_WAIT_MS = 20;

  private CorrelationStreamsConfig() {
  }

  public static Map<String, Object> properties(KafkaSettings kafka, String service, Path stateDir,
                                               short replicationFactor) {
    Map<String, Object> props = new KafkaClientProperties(kafka).streams(service, stateDir, replicationFactor);
    defaultFor(props, kafka, ConsumerConfig.FETCH_MIN_BYTES_CONFIG, FETCH_MIN_BYTES);
    defaultFor(props, kafka, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
    return props;
  }

  private static void defaultFor(Map<String, Object> props, KafkaSettings kafka, String property, int value) {
    boolean configured = kafka.consumer().containsKey(property) || kafka.streams().containsKey(property)
        || kafka.streams().containsKey(StreamsConfig.consumerPrefix(property))
        || kafka.streams().containsKey(StreamsConfig.mainConsumerPrefix(property));
    if (!configured) {
      props.put(StreamsConfig.mainConsumerPrefix(property), Integer.toString(value));
    }
  }
}
