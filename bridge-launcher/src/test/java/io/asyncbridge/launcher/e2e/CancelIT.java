package io.asyncbridge.launcher.e2e;

import io.asyncbridge.launcher.testing.InProcessBridge;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.launcher.testing.LauncherFixtures;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.UpstreamSimulator;
import io.asyncbridge.simulator.lro.LroApis;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.records.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancel of a task handed over by ingest, on the real broker with all services and the simulator: while the poller
 * polls it (a provider without a cancel call, and google-lro, whose operation is cancelled upstream first), while the
 * callbacks service waits for its webhook (which still comes, later, and changes nothing), and after its end. Each
 * task has exactly one completion.
 */
@WithKafka
class CancelIT {

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
              google:
                type: google-lro
                baseUrl: %s
                auth:
                  type: header
                  header: X-Goog-Api-Key
                  value: ${GOOGLE_API_KEY}
                poll: {initialDelay: 200ms, initialInterval: 300ms, multiplier: 1.5, maxInterval: 1s, requestTimeout: 2s}
            """;

    @TempDir
    Path stateDir;

    private KafkaCluster kafka;
    private UpstreamSimulator simulator;
    private BridgeConfig config;
    private InProcessBridge bridge;

    @BeforeEach
    void setUp(KafkaCluster kafka) throws Exception {
        this.kafka = kafka;
        // The webhook comes 6 s after the job was accepted: long after the cancel that the test sends at once.
        simulator = UpstreamSimulator.start(SimulatorConfig.builder().port(0).taskDuration(Duration.ofMillis(1000))
                .webhookDelay(Duration.ofSeconds(6)).build());
        String run = LauncherFixtures.runId();
        int callbackPort = LauncherFixtures.freeLoopbackPort();
        String yaml = CONTRACT_CONFIG.formatted(kafka.bootstrapServers(), "cancel-" + run,
                "requests-" + run, "completions-" + run, "progress-" + run, "dlq-" + run, "tasks-" + run,
                "results-" + run, "webhooks-" + run, callbackPort, callbackPort,
                simulator.acquiaBaseUrl(), simulator.acquiaTokenUrl(), simulator.elementsBaseUrl(),
                simulator.googleLroBaseUrl());
        Map<String, String> env = new HashMap<>(LauncherFixtures.simulatorCredentials());
        env.put("GOOGLE_API_KEY", LroApis.GOOGLE_API_KEY);
        config = new BridgeConfigLoader(env).parse("bridge.yaml", yaml);
        LauncherFixtures.createTopics(kafka, config, 3);
        bridge = InProcessBridge.start(config, stateDir.resolve("one"));
    }

    @AfterEach
    void tearDown() {
        if (bridge != null) {
            bridge.close();
        }
        simulator.close();
    }

    private static String request(String taskId, String provider, String path, String scenario) {
        return "{\"taskId\":\"" + taskId + "\",\"provider\":\"" + provider + "\",\"method\":\"POST\",\"path\":\""
                + path + "\",\"body\":{\"name\":\"x\"},\"headers\":{\"X-Simulator-Scenario\":\"" + scenario
                + "\"},\"timeout\":\"PT10M\",\"metadata\":{\"suite\":\"cancel\"}}";
    }

    private static String cancel(String taskId) {
        return "{\"taskId\":\"" + taskId + "\",\"cancel\":true,\"reason\":\"test of " + taskId + "\"}";
    }

    private void send(String key, String value) throws Exception {
        LauncherFixtures.send(kafka, config.topics().requests(), Map.of(key, value));
    }

    private static boolean has(List<ConsumerRecord<String, byte[]>> records, String key) {
        return records.stream().anyMatch(record -> key.equals(record.key()));
    }

    @Test
    void aCancelEndsAPolledOrWaitingTaskOnceAndChangesNothingAfterTheEnd() throws Exception {
        String polled = "cancel-polled";
        String waiting = "cancel-waiting";
        String ended = "cancel-ended";
        String operation = "cancel-operation";
        try (TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions());
                TopicReader handOffs = new TopicReader(kafka.bootstrapServers(), config.topics().tasks())) {
            send(polled, request(polled, "acquia", "/applications/app-1/databases", "never"));
            send(waiting, request(waiting, "documents", "/hubs/documents/folders/copy", "success"));
            send(ended, request(ended, "acquia", "/applications/app-1/databases", "success"));
            send(operation, request(operation, "google", "/projects/p-1/locations/eu/instances", "never"));

            completions.readUntil(seen -> has(seen, ended), Duration.ofSeconds(60));
            handOffs.readUntil(seen -> has(seen, polled) && has(seen, waiting) && has(seen, operation),
                    Duration.ofSeconds(60));
            long pollsBefore = simulator.stats().totalPolls();
            handOffs.readUntil(seen -> simulator.stats().totalPolls() > pollsBefore, Duration.ofSeconds(30));
            assertThat(simulator.stats().webhooksSent()).as("the webhook has not come yet").isZero();

            send(polled, cancel(polled));
            send(waiting, cancel(waiting));
            send(ended, cancel(ended));
            send(operation, cancel(operation));

            completions.readUntil(seen -> has(seen, polled) && has(seen, waiting) && has(seen, operation),
                    Duration.ofSeconds(60));
            handOffs.readUntil(seen -> simulator.stats().webhooksDelivered() >= 1, Duration.ofSeconds(60));
            List<ConsumerRecord<String, byte[]>> all = completions.readFor(Duration.ofSeconds(3));

            JsonSerde<Completion> serde = new JsonSerde<>(Completion.class, EventJson.newMapper());
            EventSchemaValidator validator = EventSchemaValidator.create();
            Map<String, List<Completion>> byTask = all.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                    Collectors.mapping(record -> serde.deserialize(record.topic(), record.value()),
                            Collectors.toList())));
            assertThat(byTask).containsOnlyKeys(polled, waiting, ended, operation);
            byTask.forEach((taskId, list) -> assertThat(list).as("completions of %s", taskId).hasSize(1));
            Completion ofPolled = byTask.get(polled).get(0);
            assertThat(ofPolled.status()).isEqualTo(CompletionStatus.CANCELLED);
            assertThat(ofPolled.via()).isEqualTo(Via.POLL);
            assertThat(ofPolled.error().message()).endsWith("test of " + polled);
            Completion ofWaiting = byTask.get(waiting).get(0);
            assertThat(ofWaiting.status()).isEqualTo(CompletionStatus.CANCELLED);
            assertThat(ofWaiting.via()).isEqualTo(Via.CALLBACK);
            assertThat(ofWaiting.metadata()).containsEntry("suite", "cancel");
            assertThat(ofPolled.error().message()).contains("the upstream was not asked to stop");
            Completion ofOperation = byTask.get(operation).get(0);
            assertThat(ofOperation.status()).isEqualTo(CompletionStatus.CANCELLED);
            assertThat(ofOperation.error().message()).contains("the upstream accepted the cancel call (HTTP 200)");
            String operationId = ofOperation.upstream().notificationUrl()
                    .substring(ofOperation.upstream().notificationUrl().lastIndexOf('/') + 1);
            assertThat(simulator.lroOperations().cancelled(operationId)).as("cancelled upstream").isTrue();
            assertThat(simulator.lroOperations().cancelCalls()).isEqualTo(1);
            assertThat(byTask.get(ended).get(0).status()).isEqualTo(CompletionStatus.SUCCEEDED);
            all.forEach(record -> assertThat(validator.validate(EventType.COMPLETION, record.value())).isEmpty());
        }
    }
}
