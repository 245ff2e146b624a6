package io.asyncbridge.core.kafka.recovery;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/** Builds the {@link TransactionRecovery} of one exactly-once Kafka Streams application. */
public final class StreamsTransactionRecovery {

  private static final String ADMIN_PREFIX = "admin.";

  private StreamsTransactionRecovery() {
  }

  /**
   * The recovery of an application, scoped to its application id's transactional ids and to the topics its
   * topology reads and writes; null when the application does not use exactly-once (it has no transactions).
   */
  public static TransactionRecovery create(String service, Topology topology, Map<String, Object> streamsProperties,
      MeterRegistry registry, TransactionRecovery.Settings settings) {
    Object guarantee = streamsProperties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
    if (!StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee)) {
      return null;
    }
    String applicationId = String.valueOf(streamsProperties.get(StreamsConfig.APPLICATION_ID_CONFIG));
    RecoveryScope scope = new RecoveryScope(service, applicationId, topics(topology));
    Admin admin = Admin.create(adminProperties(streamsProperties, applicationId + "-transaction-recovery"));
    return new TransactionRecovery(scope, admin, settings, registry, Clock.systemUTC());
  }

  /** The topics a topology reads and writes by name (internal topics are found by their prefix). */
  static Set<String> topics(Topology topology) {
    Set<String> topics = new HashSet<>();
    for (TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
      for (TopologyDescription.Node node : subtopology.nodes()) {
        if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
          topics.addAll(source.topicSet());
        } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
          topics.add(sink.topic());
        }
      }
    }
    return topics;
  }

  /** The Admin client settings among the application's (connection and security), as Kafka Streams picks them. */
  static Map<String, Object> adminProperties(Map<String, Object> streamsProperties, String clientId) {
    Map<String, Object> admin = new HashMap<>();
    Set<String> names = AdminClientConfig.configNames();
    streamsProperties.forEach((key, value) -> {
      if (names.contains(key)) {
        admin.put(key, value);
      }
    });
    streamsProperties.forEach((key, value) -> {
      if (key.startsWith(ADMIN_PREFIX) && names.contains(key.substring(ADMIN_PREFIX.length()))) {
        admin.put(key.substring(ADMIN_PREFIX.length()), value);
      }
    });
    admin.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    return admin;
  }
}
