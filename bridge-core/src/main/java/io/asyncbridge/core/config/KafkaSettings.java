package io.asyncbridge.core.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the bridge reaches Kafka. {@code producer}, {@code consumer} and {@code streams} are passed to the
 * clients as they are (on top of the settings the bridge needs for its guarantees, which win).
 *
 * @param applicationPrefix prefix of consumer group and Kafka Streams application ids, so that several bridges can
 *     share one cluster
 */
public record KafkaSettings(
    String bootstrapServers,
    String applicationPrefix,
    Map<String, String> common,
    Map<String, String> producer,
    Map<String, String> consumer,
    Map<String, String> streams) {

  public KafkaSettings {
    common = Map.copyOf(common);
    producer = Map.copyOf(producer);
    consumer = Map.copyOf(consumer);
    streams = Map.copyOf(streams);
  }

  @Override
  public String toString() {
    return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", applicationPrefix=" + applicationPrefix
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
