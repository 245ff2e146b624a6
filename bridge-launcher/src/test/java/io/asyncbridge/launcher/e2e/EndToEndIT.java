package io.asyncbridge.launcher.e2e;

import io.asyncbridge.launcher.testing.InProcessBridge;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.launcher.testing.LauncherFixtures;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.UpstreamSimulator;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.records.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole bridge on the real broker against the simulator, configured exactly as the contract's example
 * (only the URLs point at the simulator): a mixed batch of both kinds ends with exactly one completion per task,
 * with the status the simulator decided, also when every service is replaced mid-batch.
 */
@WithKafka
class EndToEndIT {

    /** DESIGN.md's configuration, with %s for what must point at this test's broker, callback port and simulator. */
    private static final String CONTRACT_CONFIG = """
            kafka:
              bootstrapServers: %s
              applicationPrefix: %s
            topics:
              requests: %s
              completions: %s
              progress: %s
              deadLetter: %s
              tasks: %s
              dispatchResults: %s
              webhooks: %s
            callbacks:
              host: 127.0.0.1
              port: %d
              publicBaseUrl: http://127.0.0.1:%d
            providers:
              acquia:
                type: acquia
                baseUrl: %s
                tokenUrl: %s
                clientId: ${ACQUIA_CLIENT_ID}
                clientSecret: ${ACQUIA_CLIENT_SECRET}
                poll: {initialDelay: 200ms, initialInterval: 300ms, multiplier: 1.5, maxInterval: 1s}
              documents:
                type: cloud-elements
                baseUrl: %s
                authorization: ${CE_AUTHORIZATION}
                signatureKey: ${CE_SIGNATURE_KEY}
            """;

    @TempDir
    Path stateDir;

    private KafkaCluster kafka;
    private UpstreamSimulator simulator;
    private BridgeConfig config;
    private final List<InProcessBridge> running = new ArrayList<>();

    @BeforeEach
    void setUp(KafkaCluster kafka) throws Exception {
        this.kafka = kafka;
        simulator = UpstreamSimulator.start(SimulatorConfig.builder().port(0).taskDuration(Duration.ofMillis(1500))
                .webhookDelay(Duration.ofMillis(500)).build());
        String run = LauncherFixtures.runId();
        int callbackPort = LauncherFixtures.freeLoopbackPort();
        String yaml = CONTRACT_CONFIG.formatted(kafka.bootstrapServers(), "e2e-" + run,
                "requests-" + run, "completions-" + run, "progress-" + run, "dlq-" + run, "tasks-" + run,
                "results-" + run, "webhooks-" + run, callbackPort, callbackPort,
                simulator.acquiaBaseUrl(), simulator.acquiaTokenUrl(), simulator.elementsBaseUrl());
        config = new BridgeConfigLoader(LauncherFixtures.simulatorCredentials()).parse("bridge.yaml", yaml);
        LauncherFixtures.createTopics(kafka, config, 3);
    }

    @AfterEach
    void tearDown() {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        simulator.close();
    }

    private InProcessBridge startBridge(String instance) {
        InProcessBridge bridge = InProcessBridge.start(config, stateDir.resolve(instance));
        running.add(bridge);
        return bridge;
    }

    /** taskId -> expected status, in submission order. */
    private static Map<String, CompletionStatus> mixedBatch(String prefix, Map<String, String> requests) {
        Map<String, CompletionStatus> expected = new LinkedHashMap<>();
        BatchBuilder batch = new BatchBuilder(prefix, requests, expected);
        batch.acquia("ok", "success", null, CompletionStatus.SUCCEEDED);
        batch.acquia("word", "succeeded-word", null, CompletionStatus.SUCCEEDED);
        batch.acquia("fail", "fail", null, CompletionStatus.FAILED);
        batch.acquia("lag", "lag404=800", null, CompletionStatus.SUCCEEDED);
        batch.acquia("throttled", "poll429=2", null, CompletionStatus.SUCCEEDED);
        batch.acquia("flaky", "poll5xx=2,create5xx=1", null, CompletionStatus.SUCCEEDED);
        batch.acquia("refused", "reject", null, CompletionStatus.REJECTED);
        batch.acquia("never", "never", "PT4S", CompletionStatus.TIMED_OUT);
        batch.documents("copy", "success", null, CompletionStatus.SUCCEEDED);
        batch.documents("early", "early", null, CompletionStatus.SUCCEEDED);
        batch.documents("dups", "duplicate=3", null, CompletionStatus.SUCCEEDED);
        batch.documents("fail", "fail", null, CompletionStatus.FAILED);
        batch.documents("never", "never", "PT4S", CompletionStatus.TIMED_OUT);
        batch.documents("refused", "reject", null, CompletionStatus.REJECTED);
        return expected;
    }

    private record BatchBuilder(String prefix, Map<String, String> requests, Map<String, CompletionStatus> expected) {
        void acquia(String name, String scenario, String timeout, CompletionStatus status) {
            add(prefix + "-acquia-" + name, "acquia", "/applications/app-1/databases", scenario, timeout, status);
        }

        void documents(String name, String scenario, String timeout, CompletionStatus status) {
            add(prefix + "-documents-" + name, "documents", "/hubs/documents/folders/copy", scenario, timeout, status);
        }

        private void add(String taskId, String provider, String path, String scenario, String timeout,
                CompletionStatus status) {
            requests.put(taskId, "{\"taskId\":\"" + taskId + "\",\"provider\":\"" + provider + "\",\"method\":\"POST\","
                    + "\"path\":\"" + path + "\",\"body\":{\"name\":\"x\"},\"headers\":{\"X-Simulator-Scenario\":\""
                    + scenario + "\"}" + (timeout == null ? "" : ",\"timeout\":\"" + timeout + "\"")
                    + ",\"metadata\":{\"suite\":\"e2e\"}}");
            expected.put(taskId, status);
        }
    }

    private void send(Map<String, String> requests) throws Exception {
        LauncherFixtures.send(kafka, config.topics().requests(), requests);
    }

    private static long distinctKeys(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(ConsumerRecord::key).distinct().count();
    }

    private void assertExactlyOnce(List<ConsumerRecord<String, byte[]>> records, Map<String, CompletionStatus> expected) {
        JsonSerde<Completion> serde = new JsonSerde<>(Completion.class, EventJson.newMapper());
        EventSchemaValidator validator = EventSchemaValidator.create();
        Map<String, List<Completion>> byTask = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                Collectors.mapping(record -> serde.deserialize(record.topic(), record.value()), Collectors.toList())));
        assertThat(byTask).containsOnlyKeys(expected.keySet());
        byTask.forEach((taskId, completions) -> {
            assertThat(completions).as("completions of %s", taskId).hasSize(1);
            assertThat(completions.get(0).status()).as("status of %s", taskId).isEqualTo(expected.get(taskId));
            assertThat(completions.get(0).metadata()).containsEntry("suite", "e2e");
        });
        records.forEach(record -> assertThat(validator.validate(EventType.COMPLETION, record.value())).isEmpty());
    }

    @Test
    void aMixedBatchOfBothKindsEndsWithExactlyOneCompletionPerTask() throws Exception {
        startBridge("one");
        Map<String, String> requests = new LinkedHashMap<>();
        Map<String, CompletionStatus> expected = mixedBatch("mix", requests);
        try (TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions())) {
            send(requests);
            send(Map.of("mix-acquia-ok", requests.get("mix-acquia-ok"))); // a duplicate request changes nothing

            completions.readUntil(seen -> distinctKeys(seen) == expected.size(), Duration.ofSeconds(90));

            assertExactlyOnce(completions.readFor(Duration.ofSeconds(3)), expected);
            assertThat(simulator.stats().createCalls("success")).as("the duplicate was never sent upstream").isEqualTo(2);
        }
    }

    @Test
    void everyServiceReplacedMidBatchStillGivesExactlyOneCompletionPerTask() throws Exception {
        InProcessBridge first = startBridge("first");
        Map<String, String> requests = new LinkedHashMap<>();
        Map<String, CompletionStatus> expected = mixedBatch("swap", requests);
        try (TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions())) {
            send(requests);
            completions.readUntil(seen -> distinctKeys(seen) >= 3, Duration.ofSeconds(90));
            first.close(); // mid-batch: polls, webhooks and calls in flight

            startBridge("second");
            completions.readUntil(seen -> distinctKeys(seen) == expected.size(), Duration.ofSeconds(120));

            assertExactlyOnce(completions.readFor(Duration.ofSeconds(3)), expected);
        }
    }
}
