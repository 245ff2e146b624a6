package io.asyncbridge.launcher.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.launcher.cluster.DefaultTopics;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.kafka.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the launcher's integration tests set up alike: run ids, ports, the bridge's topics, requests built and sent,
 * and the keys and completions read back.
 */
public final class LauncherFixtures {

  private LauncherFixtures() {
  }

  /** A short random id that keeps one test's topics and consumer groups apart from the others' on the shared broker. */
  public static String runId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** A loopback port free right now (for a callback endpoint whose URL the configuration must name up front). */
  public static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * The environment that resolves {@code ${ACQUIA_CLIENT_ID}}, {@code ${ACQUIA_CLIENT_SECRET}},
   * {@code ${CE_AUTHORIZATION}} and {@code ${CE_SIGNATURE_KEY}} to the simulator's default credentials.
   */
  public static Map<String, String> simulatorCredentials() {
    return Map.of(
        "ACQUIA_CLIENT_ID", SimulatorConfig.DEFAULT_ACQUIA_CLIENT_ID,
        "ACQUIA_CLIENT_SECRET", SimulatorConfig.DEFAULT_ACQUIA_CLIENT_SECRET,
        "CE_AUTHORIZATION", SimulatorConfig.DEFAULT_ELEMENTS_AUTHORIZATION,
        "CE_SIGNATURE_KEY", SimulatorConfig.DEFAULT_ELEMENTS_SIGNATURE_KEY);
  }

  /**
   * The {@code kafka} and {@code topics} sections of a test's {@code bridge.yaml}, to put before its own sections: the
   * shared broker, the application prefix {@code <prefix>-<run>}, and every topic named {@code <role>-<run>}
   * ({@code requests-}, {@code completions-}, {@code progress-}, {@code dlq-}, {@code tasks-}, {@code results-},
   * {@code webhooks-}), so that all the topics of one run carry its id. {@code kafkaKeys} are more keys of the
   * {@code kafka} section (for example {@code consumer: {session.timeout.ms: 6000}}), one each, written as they are.
   */
  public static String kafkaAndTopicsYaml(KafkaCluster kafka, String prefix, String run, String... kafkaKeys) {
    StringBuilder more = new StringBuilder();
    for (String key : kafkaKeys) {
      more.append("  ").append(key).append('\n');
    }
    return """
        kafka:
          bootstrapServers: %1$s
          applicationPrefix: %2$s-%3$s
        %4$stopics:
          requests: requests-%3$s
          completions: completions-%3$s
          progress: progress-%3$s
          deadLetter: dlq-%3$s
          tasks: tasks-%3$s
          dispatchResults: results-%3$s
          webhooks: webhooks-%3$s
        """.formatted(kafka.bootstrapServers(), prefix, run, more);
  }

  /** Creates every topic of the configuration with {@code partitions} partitions. */
  public static void createTopics(KafkaCluster kafka, BridgeConfig config, int partitions) {
    kafka.createTopics(DefaultTopics.withPartitions(config.topics(), partitions).toArray(TopicSpec[]::new));
  }

  /** Sends each value (UTF-8) under its key to {@code topic}, in the map's order, each acknowledged before the next. */
  public static void send(KafkaCluster kafka, String topic, Map<String, String> valuesByKey) throws Exception {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    valuesByKey.forEach((key, value) ->
        records.add(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8))));
    send(kafka, records);
  }

  /** Sends the records in order, each acknowledged before the next. */
  public static void send(KafkaCluster kafka, List<ProducerRecord<String, byte[]>> records) throws Exception {
    Map<String, Object> props = new HashMap<>(kafka.producerConfig());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      for (ProducerRecord<String, byte[]> record : records) {
        producer.send(record).get();
      }
    }
  }

  /**
   * The JSON of a request as a client puts it on the requests topic: {@code POST path} through {@code provider} with
   * the body {@code {"name":"x"}}, its {@code X-Simulator-Scenario} header telling the simulator how the job goes
   * ({@code success}, {@code fail}, {@code never}...). {@code timeout} (ISO-8601, e.g. {@code PT10M}) and
   * {@code metadata} are left out when null or empty.
   */
  public static String simulatorRequest(String taskId, String provider, String path, String scenario, String timeout,
      Map<String, String> metadata) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("taskId", taskId);
    request.put("provider", provider);
    request.put("method", "POST");
    request.put("path", path);
    request.put("body", Map.of("name", "x"));
    request.put("headers", Map.of("X-Simulator-Scenario", scenario));
    if (timeout != null) {
      request.put("timeout", timeout);
    }
    if (!metadata.isEmpty()) {
      request.put("metadata", metadata);
    }
    try {
      return EventJson.newMapper().writeValueAsString(request);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write the request of " + taskId, e);
    }
  }

  /** The distinct keys of the records (task ids, on the bridge's topics), in the order first seen. */
  public static Set<String> keys(List<ConsumerRecord<String, byte[]>> records) {
    Set<String> keys = new LinkedHashSet<>();
    records.forEach(record -> keys.add(record.key()));
    return keys;
  }

  /** The records of a completions topic read as completions, grouped by task id (the key), each list in topic order. */
  public static Map<String, List<Completion>> completionsByTask(List<ConsumerRecord<String, byte[]>> records) {
    JsonSerde<Completion> serde = new JsonSerde<>(Completion.class, EventJson.newMapper());
    return records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
        Collectors.mapping(record -> serde.deserialize(record.topic(), record.value()), Collectors.toList())));
  }
}
