package io.asyncbridge.testkit.junit;

import java.util.Map;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Everything that touches Testcontainers. The extension reaches this class only when the
 * Testcontainers mode was asked for, so its classes are never loaded otherwise.
 */
final class TestcontainersKafka {

    static final String IMAGE = "apache/kafka:4.3.1";

    private TestcontainersKafka() {
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static ClientKafkaCluster start() {
        KafkaContainer container = new KafkaContainer(IMAGE).withEnv(Map.of(
                // The container already sets these for offsets and transactions; share groups need them too.
                "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1",
                "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1",
                "KAFKA_MIN_INSYNC_REPLICAS", "1"));
        container.start();
        return new ClientKafkaCluster(container::getBootstrapServers, Optional.empty(), container::stop,
                "Testcontainers " + IMAGE);
    }
}
