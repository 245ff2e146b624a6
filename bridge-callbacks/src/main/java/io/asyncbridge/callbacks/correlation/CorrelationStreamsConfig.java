package io.asyncbridge.callbacks.correlation;

import io.asyncbridge.core.config.KafkaSettings;
import io.asyncbridge.core.kafka.KafkaClientProperties;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka Streams settings of the correlation topology: core's exactly-once settings, with a shorter commit interval
 * (a webhook's completion is visible only once its transaction commits) and batching on both sides of the stream
 * thread, because on a shared 2-core machine the broker's per-request work took the CPU the endpoint's
 * acknowledgements needed.
 * <ul>
 *   <li>Commits every {@value #COMMIT_INTERVAL_MS} ms instead of core's 100 ms: the commit interval was the floor of
 *       callback-to-completion latency (p50 above 80 ms, p99 above 200 ms). More transactions cost the broker
 *       transaction markers and the stream thread commit round trips; the benchmarks README has both figures.</li>
 *   <li>Fetches: with Kafka's default (fetch.min.bytes=1) every webhook the endpoint writes completes the topology's
 *       pending fetch, so the broker serves one fetch round trip per produce request and the stream thread polls a
 *       record or two at a time. Waiting for {@value #FETCH_MIN_BYTES} bytes or {@value #FETCH_MAX_WAIT_MS} ms costs
 *       a webhook's completion at most that wait.</li>
 *   <li>Changelog and completion writes: nothing downstream sees them before the transaction commits (which flushes
 *       the producer), so they can linger up to {@value #PRODUCER_LINGER_MS} ms in batches of up to
 *       {@value #PRODUCER_BATCH_BYTES} bytes instead of 5 ms and 16 KiB.</li>
 * </ul>
 * Each of these properties set in {@code kafka.consumer}, {@code kafka.producer} or {@code kafka.streams} wins.
 */
public final class CorrelationStreamsConfig {

  static final int COMMIT_INTERVAL_MS = 20;
  static final int FETCH_MIN_BYTES = 64 * 1024;
  static final int FETCH_MAX_WAIT_MS = 10;
  static final int PRODUCER_LINGER_MS = 20;
  static final int PRODUCER_BATCH_BYTES = 256 * 1024;

  private CorrelationStreamsConfig() {
  }

  public static Map<String, Object> properties(KafkaSettings kafka, String service, Path stateDir,
                                               short replicationFactor) {
    Map<String, Object> props = new KafkaClientProperties(kafka).streams(service, stateDir, replicationFactor);
    if (!kafka.streams().containsKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)) {
      props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.toString(COMMIT_INTERVAL_MS));
    }
    if (!consumerConfigured(kafka, ConsumerConfig.FETCH_MIN_BYTES_CONFIG)) {
      props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG),
          Integer.toString(FETCH_MIN_BYTES));
    }
    if (!consumerConfigured(kafka, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)) {
      props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
          Integer.toString(FETCH_MAX_WAIT_MS));
    }
    if (!producerConfigured(kafka, ProducerConfig.LINGER_MS_CONFIG)) {
      props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), Integer.toString(PRODUCER_LINGER_MS));
    }
    if (!producerConfigured(kafka, ProducerConfig.BATCH_SIZE_CONFIG)) {
      props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), Integer.toString(PRODUCER_BATCH_BYTES));
    }
    return props;
  }

  private static boolean consumerConfigured(KafkaSettings kafka, String property) {
    return kafka.consumer().containsKey(property) || kafka.streams().containsKey(property)
        || kafka.streams().containsKey(StreamsConfig.consumerPrefix(property))
        || kafka.streams().containsKey(StreamsConfig.mainConsumerPrefix(property));
  }

  private static boolean producerConfigured(KafkaSettings kafka, String property) {
    return kafka.producer().containsKey(property) || kafka.streams().containsKey(property)
        || kafka.streams().containsKey(StreamsConfig.producerPrefix(property));
  }
}
