package io.asyncbridge.testkit.junit;

import io.asyncbridge.testkit.kafka.EmbeddedKafkaBroker;
import io.asyncbridge.testkit.kafka.TopicSpec;
import java.util.Map;
import java.util.Optional;

/**
 * The Kafka cluster shared by all tests of one JVM, injected by {@link SharedKafkaExtension}.
 * Because it is shared, tests use {@link #uniqueTopic(String)} and unique group/application ids.
 */
public interface KafkaCluster {

    String bootstrapServers();

    /** {@code prefix + "-" + random suffix}, a topic name no other test uses. */
    String uniqueTopic(String prefix);

    /** Creates the topics that do not exist yet and waits until they are served. */
    void createTopics(TopicSpec... topics);

    /** Producer settings: bootstrap servers, acks=all, idempotence; add serializers and ids yourself. */
    Map<String, Object> producerConfig();

    /** Consumer settings: the group id, read_committed, earliest offsets, no auto commit. */
    Map<String, Object> consumerConfig(String groupId);

    /**
     * Kafka Streams settings: the application id, exactly_once_v2, a short commit interval and a
     * fresh temporary {@code state.dir} on every call (deleted when the cluster closes).
     */
    Map<String, Object> streamsConfig(String applicationId);

    /**
     * The embedded broker, for fault tests (stop, kill, restart); empty for a Testcontainers or
     * external cluster. It is shared: a test that stops it must start it again before it ends.
     */
    Optional<EmbeddedKafkaBroker> embeddedBroker();
}
