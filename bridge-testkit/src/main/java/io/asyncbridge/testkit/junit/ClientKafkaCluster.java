package io.asyncbridge.testkit.junit;

import io.asyncbridge.testkit.kafka.DataDirs;
import io.asyncbridge.testkit.kafka.EmbeddedKafkaBroker;
import io.asyncbridge.testkit.kafka.TopicAdmin;
import io.asyncbridge.testkit.kafka.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;

/** A {@link KafkaCluster} over any bootstrap address; owns whatever runs the cluster and closes it. */
final class ClientKafkaCluster implements KafkaCluster, AutoCloseable {

    private final Supplier<String> bootstrapServers;
    private final Optional<EmbeddedKafkaBroker> broker;
    private final AutoCloseable owned;
    private final String description;
    private final List<Path> stateDirs = new CopyOnWriteArrayList<>();

    /**
     * @param bootstrapServers read on every use, so a restarted container's new address is seen
     * @param owned            closed with this cluster (the broker or container); a no-op for external ones
     */
    ClientKafkaCluster(Supplier<String> bootstrapServers, Optional<EmbeddedKafkaBroker> broker,
            AutoCloseable owned, String description) {
        this.bootstrapServers = bootstrapServers;
        this.broker = broker;
        this.owned = owned;
        this.description = description;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers.get();
    }

    @Override
    public String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public void createTopics(TopicSpec... topics) {
        TopicAdmin.createTopics(bootstrapServers(), List.of(topics), Duration.ofSeconds(30));
    }

    @Override
    public Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return config;
    }

    @Override
    public Map<String, Object> consumerConfig(String groupId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return config;
    }

    @Override
    public Map<String, Object> streamsConfig(String applicationId) {
        // String keys: kafka-streams is not a dependency of the testkit's main code.
        Map<String, Object> config = new HashMap<>();
        config.put("application.id", applicationId);
        config.put("bootstrap.servers", bootstrapServers());
        config.put("processing.guarantee", "exactly_once_v2");
        config.put("commit.interval.ms", 100);
        config.put("state.dir", newStateDir(applicationId).toString());
        config.put("num.stream.threads", 1);
        config.put("consumer.auto.offset.reset", "earliest");
        return config;
    }

    @Override
    public Optional<EmbeddedKafkaBroker> embeddedBroker() {
        return broker;
    }

    @Override
    public void close() throws Exception {
        try {
            owned.close();
        } finally {
            stateDirs.forEach(DataDirs::deleteRecursively);
        }
    }

    @Override
    public String toString() {
        return description + " at " + bootstrapServers();
    }

    private Path newStateDir(String applicationId) {
        try {
            Path dir = Files.createTempDirectory("kafka-streams-" + applicationId.replaceAll("[^A-Za-z0-9._-]", "_") + "-");
            stateDirs.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a Kafka Streams state directory for " + applicationId, e);
        }
    }
}
