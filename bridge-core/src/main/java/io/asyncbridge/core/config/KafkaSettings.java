package io.asyncbridge.core.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How the bridge reaches Kafka. {@code producer}, {@code consumer} and {@code streams} are passed to the
 * clients as they are (on top of the settings the bridge needs for its guarantees, which win).
 *
 * @param applicationPrefix prefix of consumer group and Kafka Streams application ids, so that several bridges can
 *     share one cluster
 * @param instanceId this process's static member id in the services' consumer groups ({@code group.instance.id});
 *     empty: one made on first start and kept in the state directory
 */
public record KafkaSettings(
    String bootstrapServers,
    String applicationPrefix,
    Map<String, String> common,
    Map<String, String> producer,
    Map<String, String> consumer,
    Map<String, String> streams,
    Optional<String> instanceId) {

  /** What a configured or kept instance id may look like (Kafka accepts more; a file name and a log line want less). */
  public static final java.util.regex.Pattern INSTANCE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,200}");

  public KafkaSettings {
    instanceId = instanceId == null ? Optional.empty() : instanceId;
    common = Map.copyOf(common);
    producer = Map.copyOf(producer);
    consumer = Map.copyOf(consumer);
    streams = Map.copyOf(streams);
  }

  /** Settings without a configured instance id. */
  public KafkaSettings(String bootstrapServers, String applicationPrefix, Map<String, String> common,
      Map<String, String> producer, Map<String, String> consumer, Map<String, String> streams) {
    this(bootstrapServers, applicationPrefix, common, producer, consumer, streams, Optional.empty());
  }

  @Override
  public String toString() {
    return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", applicationPrefix=" + applicationPrefix
        + ", instanceId=" + instanceId.orElse("(kept in the state directory)")
        + ", common=" + masked(common) + ", producer=" + masked(producer) + ", consumer=" + masked(consumer)
        + ", streams=" + masked(streams) + "]";
  }

  /** Client properties such as {@code sasl.jaas.config} or {@code ssl.key.password} are shown as ****. */
  static Map<String, String> masked(Map<String, String> properties) {
    Map<String, String> shown = new TreeMap<>();
    properties.forEach((key, value) -> {
      String lower = key.toLowerCase(Locale.ROOT);
      boolean secret = lower.contains("password") || lower.contains("secret") || lower.contains("jaas")
          || lower.contains("token") || lower.endsWith(".key");
      shown.put(key, secret ? "****" : value);
    });
    return shown;
  }
}
