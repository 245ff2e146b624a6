package io.asyncbridge.launcher.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.service.RunningServices;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.core.service.ServiceLauncher;
import io.asyncbridge.launcher.BridgeCli;
import io.asyncbridge.launcher.run.ServiceCatalog;
import io.asyncbridge.launcher.testing.LauncherFixtures;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.UpstreamSimulator;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.records.TopicReader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay round trip: a request for a provider the bridge does not know yet is dead-lettered and rejected; the
 * provider is configured and the bridge restarted; {@code bridge dlq replay --dry-run} shows the plan and sends
 * nothing; the replay sends it, and it completes once. A task that already succeeded is never sent again, and a second
 * replay finds nothing left to do.
 */
@WithKafka
class DlqReplayIT {

    private static final String CONFIG = """
            management: {host: 127.0.0.1, port: 0}
            providers:
              acquia:
                type: acquia
                baseUrl: %1$s
                tokenUrl: %2$s
                clientId: %3$s
                clientSecret: %4$s
                poll: {initialDelay: 100ms, initialInterval: 300ms, maxInterval: 1s}
            %5$s""";

    private static final String LATER_PROVIDER = """
              later:
                type: acquia
                baseUrl: %1$s
                tokenUrl: %2$s
                clientId: %3$s
                clientSecret: %4$s
                poll: {initialDelay: 100ms, initialInterval: 300ms, maxInterval: 1s}
            """;

    @TempDir
    Path dir;

    private UpstreamSimulator simulator;
    private RunningServices running;

    @AfterEach
    void tearDown() {
        if (running != null) {
            running.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void aFixedDeadLetterIsReplayedAndCompletesOnceWhileACompletedTaskIsNeverSentAgain(KafkaCluster kafka)
            throws Exception {
        simulator = UpstreamSimulator.start(SimulatorConfig.builder().port(0).taskDuration(Duration.ofMillis(300))
                .build());
        String run = LauncherFixtures.runId();
        SimulatorConfig sim = simulator.config();
        String later = LATER_PROVIDER.formatted(simulator.acquiaBaseUrl(), simulator.acquiaTokenUrl(),
                sim.acquiaClientId(), sim.acquiaClientSecret());
        Path before = Files.writeString(dir.resolve("before.yaml"), yaml(kafka, run, ""));
        Path fixed = Files.writeString(dir.resolve("fixed.yaml"), yaml(kafka, run, later));
        BridgeConfig config = load(before);
        LauncherFixtures.createTopics(kafka, config, 3);

        String deadLettered = "replay-later-" + run;
        String succeeded = "replay-ok-" + run;
        running = start(config, "a");
        try (TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions())) {
            send(kafka, config.topics().requests(), deadLettered, request(deadLettered, "later"));
            send(kafka, config.topics().requests(), succeeded, request(succeeded, "acquia"));
            completions.readUntil(seen -> statuses(seen, deadLettered).contains("rejected")
                    && statuses(seen, succeeded).contains("succeeded"), Duration.ofSeconds(90));
            // The succeeded task's id comes again, invalid: dead-lettered without a second completion.
            send(kafka, config.topics().requests(), succeeded, "{\"taskId\":\"" + succeeded
                    + "\",\"provider\":\"acquia\",\"method\":\"FETCH\"}");
        }
        try (TopicReader dlq = new TopicReader(kafka.bootstrapServers(), config.topics().deadLetter())) {
            dlq.readUntil(seen -> seen.size() >= 2, Duration.ofSeconds(60));
        }
        running.close();

        // The fix: the provider is configured. Then the plan, which sends nothing.
        running = start(load(fixed), "b");
        long requestsBefore = endOffsets(kafka, config.topics().requests());
        Cli dryRun = cli("dlq", "replay", "--config", fixed.toString(), "--all", "--dry-run");
        assertThat(dryRun.exit()).isZero();
        assertThat(dryRun.out()).contains("would replay " + deadLettered + " (unknown_provider")
                .contains("skip    " + succeeded + " (invalid_request").contains("already completed succeeded")
                .contains("dry run: would replay 1 of 2");
        assertThat(endOffsets(kafka, config.topics().requests())).isEqualTo(requestsBefore);

        Cli replay = cli("dlq", "replay", "--config", fixed.toString(), "--code", "unknown_provider,invalid_request");
        assertThat(replay.exit()).isZero();
        assertThat(replay.out()).contains("replay  " + deadLettered).contains("replayed 1 of 2");

        try (TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions())) {
            List<ConsumerRecord<String, byte[]>> seen = completions.readUntil(
                    records -> statuses(records, deadLettered).contains("succeeded"), Duration.ofSeconds(90));
            assertThat(statuses(seen, deadLettered)).containsExactly("rejected", "succeeded");
            assertThat(statuses(seen, succeeded)).containsExactly("succeeded");
        }

        Cli again = cli("dlq", "replay", "--config", fixed.toString(), "--task-id", deadLettered + "," + succeeded);
        assertThat(again.out()).contains("skip    " + deadLettered).contains("replayed 0 of 2");
        // Replaying by hand what the tool refuses: ingest refuses it too (its marker says the task was handed over).
        send(kafka, config.topics().requests(), deadLettered, request(deadLettered, "later"), true);
        send(kafka, config.topics().requests(), "replay-probe-" + run, request("replay-probe-" + run, "acquia"));
        try (TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions())) {
            List<ConsumerRecord<String, byte[]>> seen = completions.readUntil(
                    records -> statuses(records, "replay-probe-" + run).contains("succeeded"), Duration.ofSeconds(90));
            assertThat(statuses(seen, deadLettered)).as("completed once after the replay")
                    .containsExactly("rejected", "succeeded");
        }
    }

    private String yaml(KafkaCluster kafka, String run, String moreProviders) {
        SimulatorConfig sim = simulator.config();
        return LauncherFixtures.kafkaAndTopicsYaml(kafka, "replay", run, "consumer: {session.timeout.ms: 6000}")
                + CONFIG.formatted(simulator.acquiaBaseUrl(), simulator.acquiaTokenUrl(), sim.acquiaClientId(),
                        sim.acquiaClientSecret(), moreProviders);
    }

    private static BridgeConfig load(Path file) {
        return new BridgeConfigLoader(Map.of()).load(file);
    }

    private RunningServices start(BridgeConfig config, String name) {
        return ServiceLauncher.start(new ServiceContext(config, dir.resolve("state-" + name), Vertx.vertx(),
                Clock.systemUTC()), ServiceCatalog.factory(List.of("ingest", "poller")));
    }

    private static List<String> statuses(List<ConsumerRecord<String, byte[]>> records, String taskId) {
        return records.stream().filter(record -> taskId.equals(record.key()))
                .map(record -> new JsonObject(new String(record.value(), StandardCharsets.UTF_8)).getString("status"))
                .toList();
    }

    private static String request(String taskId, String provider) {
        return "{\"taskId\":\"" + taskId + "\",\"provider\":\"" + provider + "\",\"method\":\"POST\",\"path\":"
                + "\"/applications/app-1/databases\",\"body\":{\"name\":\"x\"},\"headers\":{\"X-Simulator-Scenario\":"
                + "\"success\"}}";
    }

    private static void send(KafkaCluster kafka, String topic, String key, String value) throws Exception {
        send(kafka, topic, key, value, false);
    }

    private static void send(KafkaCluster kafka, String topic, String key, String value, boolean markedAsReplay)
            throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8));
        if (markedAsReplay) {
            record.headers().add("bridge.replay", "by hand".getBytes(StandardCharsets.UTF_8));
        }
        LauncherFixtures.send(kafka, List.of(record));
    }

    private static long endOffsets(KafkaCluster kafka, String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        props.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(props)) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new org.apache.kafka.common.TopicPartition(topic, info.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private record Cli(int exit, String out) {
    }

    private static Cli cli(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        synchronized (DlqReplayIT.class) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                exit = BridgeCli.execute(args);
            } finally {
                System.setOut(original);
            }
        }
        return new Cli(exit, captured.toString(StandardCharsets.UTF_8));
    }
}
