package io.asyncbridge.testkit.junit;

import io.asyncbridge.testkit.kafka.EmbeddedKafkaBroker;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one Kafka cluster per test JVM, on first use, and injects it as a {@link KafkaCluster}
 * parameter. The cluster lives in the root {@link ExtensionContext} store, so JUnit closes it
 * (stopping the broker or container) when the whole run ends.
 *
 * <p>Which cluster: an external one when {@code KAFKA_BOOTSTRAP_SERVERS} is set; a Testcontainers
 * {@code apache/kafka:4.3.1} container when {@code -Dbridge.test.kafka=testcontainers} and Docker is
 * available (without Docker: a warning and the embedded broker); the {@link EmbeddedKafkaBroker}
 * otherwise. Register with {@code @ExtendWith(SharedKafkaExtension.class)} or {@link WithKafka}.
 */
public final class SharedKafkaExtension implements ParameterResolver {

    private static final Logger LOG = LoggerFactory.getLogger(SharedKafkaExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedKafkaExtension.class);
    private static final String KEY = "kafka-cluster";

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        try {
            return extensionContext.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(KEY, key -> startCluster(), ClientKafkaCluster.class);
        } catch (RuntimeException e) {
            throw new ParameterResolutionException("could not start the shared Kafka cluster: " + e.getMessage(), e);
        }
    }

    private static ClientKafkaCluster startCluster() {
        String modeProperty = System.getProperty(ClusterMode.MODE_PROPERTY);
        ClusterMode mode = ClusterMode.choose(System.getenv(), modeProperty, SharedKafkaExtension::dockerAvailable);
        if (mode == ClusterMode.EMBEDDED && modeProperty != null && !modeProperty.isBlank()
                && !"embedded".equalsIgnoreCase(modeProperty.trim())) {
            LOG.warn("-D{}={} was asked for but is not available here (Testcontainers needs a Docker engine; "
                    + "accepted values: testcontainers, embedded): using the embedded broker",
                    ClusterMode.MODE_PROPERTY, modeProperty);
        }
        ClientKafkaCluster cluster = switch (mode) {
            case EXTERNAL -> new ClientKafkaCluster(() -> System.getenv(ClusterMode.BOOTSTRAP_ENV).trim(),
                    Optional.empty(), () -> { }, "external cluster");
            case TESTCONTAINERS -> TestcontainersKafka.start();
            case EMBEDDED -> embedded();
        };
        LOG.info("shared Kafka for this test run: {}", cluster);
        return cluster;
    }

    private static ClientKafkaCluster embedded() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build();
        try {
            broker.start();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return new ClientKafkaCluster(broker::bootstrapServers, Optional.of(broker), broker, "embedded broker");
    }

    private static boolean dockerAvailable() {
        try {
            return TestcontainersKafka.dockerAvailable();
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("cannot ask Testcontainers whether Docker is available: {}", e.toString());
            return false;
        }
    }
}
