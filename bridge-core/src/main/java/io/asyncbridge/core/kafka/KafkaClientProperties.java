package io.asyncbridge.core.kafka;

import io.asyncbridge.core.config.KafkaSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Client properties for the bridge's Kafka clients: the user's settings from {@code kafka.*}, then the settings the
 * bridge's guarantees depend on, which always win (a user cannot switch off acks=all or exactly-once by accident).
 */
public final class KafkaClientProperties {

  /** The Streams applications' consumer session timeout unless {@code kafka.consumer} sets one. */
  public static final String DEFAULT_SESSION_TIMEOUT_MS = "15000";

  private final KafkaSettings settings;

  public KafkaClientProperties(KafkaSettings settings) {
    this.settings = settings;
  }

  public String applicationId(String service) {
    return settings.applicationPrefix() + "-" + service;
  }

  public Map<String, Object> admin() {
    Map<String, Object> props = new HashMap<>(settings.common());
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    return props;
  }

  /** An idempotent producer with acks=all: what a side channel (webhooks, HTTP results) writes with. */
  public Map<String, Object> durableProducer(String clientId) {
    Map<String, Object> props = new HashMap<>(settings.common());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    // Sends happen on Vert.x event loops and stream threads: never block them for long on missing metadata or a
    // full buffer; a failed send is handled (the task's lease or unknown-outcome timer takes over).
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
    props.putAll(settings.producer());
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return props;
  }

  /** A read_committed consumer: only what a transaction committed is ever seen. */
  public Map<String, Object> committedConsumer(String groupId) {
    Map<String, Object> props = new HashMap<>(settings.common());
    props.putAll(settings.consumer());
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return props;
  }

  /**
   * Kafka Streams with exactly_once_v2: a state change and the records it causes commit together.
   *
   * @param stateDir where this instance keeps its local stores (a restarted instance reuses them)
   */
  public Map<String, Object> streams(String service, Path stateDir, short replicationFactor) {
    Map<String, Object> props = new HashMap<>(settings.common());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "5");
    // A dead-lettered request is copied whole with its reason in headers; leave room above the 1 MiB default.
    props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Integer.toString(2 * 1024 * 1024));
    settings.producer().forEach((key, value) -> props.put(StreamsConfig.producerPrefix(key), value));
    // Static members (see StreamsInstance) come back in seconds after a crash whatever this is; it bounds how long a
    // process that never comes back holds its partitions. Kafka's 45 s is long for that, 6 s (the broker's minimum)
    // turns a long GC pause or a slow broker into a rebalance.
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), DEFAULT_SESSION_TIMEOUT_MS);
    settings.consumer().forEach((key, value) -> props.put(StreamsConfig.consumerPrefix(key), value));
    props.putAll(settings.streams());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId(service));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
    // Kafka 5.0's default, chosen now (the bridge has no global stores; this only silences a start-up warning).
    props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
    props.putIfAbsent(StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        org.apache.kafka.streams.errors.LogAndContinueExceptionHandler.class.getName());
    return props;
  }
}
