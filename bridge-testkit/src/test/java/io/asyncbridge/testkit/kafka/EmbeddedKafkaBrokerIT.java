package io.asyncbridge.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Lifecycle of a broker of its own (not the shared one): restart, crash, close. */
class EmbeddedKafkaBrokerIT {

    @Test
    void dataSurvivesStopRestartAndKillAndCloseLeavesNoProcessOrTempDir() throws Exception {
        String topic = "lifecycle";
        ProcessHandle firstChild;
        Path dataDir;
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build();
        try (broker) {
            broker.start();
            broker.createTopics(List.of(TopicSpec.of(topic, 1)));
            broker.createTopics(List.of(TopicSpec.of(topic, 1))); // idempotent
            firstChild = broker.processHandle().orElseThrow();
            dataDir = broker.dataDir().orElseThrow();
            String bootstrap = broker.bootstrapServers();
            produce(bootstrap, topic, "before-restart");

            // a controlled stop and start on the same port and data
            broker.restart();
            assertThat(firstChild.isAlive()).isFalse();
            assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(readAll(bootstrap, topic, 1)).containsExactly("before-restart");

            // a crash: acknowledged (acks=all) records are still there after the restart
            produce(bootstrap, topic, "before-kill");
            ProcessHandle secondChild = broker.processHandle().orElseThrow();
            broker.kill();
            assertThat(secondChild.isAlive()).isFalse();
            assertThat(broker.isRunning()).isFalse();
            broker.start();
            assertThat(readAll(bootstrap, topic, 2)).containsExactly("before-restart", "before-kill");
            assertThat(Files.readString(dataDir.resolve("broker.log"))).contains("=== starting broker");

            ProcessHandle lastChild = broker.processHandle().orElseThrow();
            broker.close();
            assertThat(lastChild.isAlive()).isFalse();
        }
        broker.close(); // a second close is harmless
        assertThat(broker.isRunning()).isFalse();
        // no broker JVM of this data directory is left (the run's shared broker may be another child of this JVM)
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(child -> child.info().commandLine().map(line -> line.contains(dataDir.toString())).orElse(true)))
                .isEmpty();
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void givenDataDirIsKeptAndReusedWithNewPorts(@org.junit.jupiter.api.io.TempDir Path dir) {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder().dataDir(dir).build()) {
            first.start();
            first.createTopics(List.of(TopicSpec.compacted("kept", 1)));
            produce(first.bootstrapServers(), "kept", "v1");
        }
        assertThat(dir.resolve("server.properties")).exists();

        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder().dataDir(dir).build()) {
            second.start();
            assertThat(readAll(second.bootstrapServers(), "kept", 1)).containsExactly("v1");
        }
    }

    @Test
    void aFreshStorageIsFormattedWithTheFeatureLevelsAskedFor() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().formatFeature("transaction.version", 1).build();
                Admin admin = TopicAdmin.admin(startedBootstrap(broker))) {
            // the transaction protocol before KIP-890 part 2, for an A/B against a default (version 2) cluster
            assertThat(admin.describeFeatures().featureMetadata().get().finalizedFeatures().get("transaction.version")
                    .maxVersionLevel()).isEqualTo((short) 1);
        }
    }

    private static String startedBootstrap(EmbeddedKafkaBroker broker) {
        broker.start();
        return broker.bootstrapServers();
    }

    private static void produce(String bootstrap, String topic, String value) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, value, value)).get();
        } catch (Exception e) {
            throw new AssertionError("producing to " + topic + " failed", e);
        }
    }

    private static List<String> readAll(String bootstrap, String topic, int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return values.size() >= expected;
            });
        }
        return values;
    }
}
