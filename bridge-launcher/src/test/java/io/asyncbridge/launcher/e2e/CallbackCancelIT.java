package io.asyncbridge.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.launcher.testing.InProcessBridge;
import io.asyncbridge.launcher.testing.LauncherFixtures;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import io.asyncbridge.simulator.UpstreamSimulator;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.records.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancel of a task waiting for its webhook, for a {@code generic} callback-mode provider that declares a cancel
 * call, on the real broker with all services and the simulator's callback-style jobs: the upstream gets the call
 * once, with the task's correlation id and the provider's credentials, and the task ends once, {@code cancelled},
 * saying whether the upstream accepted the call.
 */
@WithKafka
class CallbackCancelIT {

    /** After the kafka and topics sections: %d and %d the callback port, %s the simulator's Cloud Elements API. */
    private static final String CONFIG = """
            callbacks:
              host: 127.0.0.1
              port: %d
              publicBaseUrl: http://127.0.0.1:%d
            providers:
              jobs:
                type: generic
                mode: callback
                baseUrl: %s
                auth: {type: header, header: Authorization, value: '${CE_AUTHORIZATION}'}
                status: {pointer: /eventStatus, succeeded: [completed], failed: [failed]}
                callback:
                  requestHeaders: {Elements-Async-Request: 'True', Elements-Async-Callback-Url: '{callbackUrl}'}
                  correlationIdPointer: /eventId
                  signature: {scheme: hmac-sha256, header: Elements-Webhook-Signature, prefix: 'sha256=',
                              secret: '${CE_SIGNATURE_KEY}'}
                cancel: {method: POST, path: '/jobs/{correlationId}/cancel'}
                dispatch: {requestTimeout: 5s}
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
        simulator = UpstreamSimulator.start(SimulatorConfig.builder().port(0).build());
        String run = LauncherFixtures.runId();
        int callbackPort = LauncherFixtures.freeLoopbackPort();
        String yaml = LauncherFixtures.kafkaAndTopicsYaml(kafka, "cbcancel", run)
                + CONFIG.formatted(callbackPort, callbackPort, simulator.elementsBaseUrl());
        config = new BridgeConfigLoader(LauncherFixtures.simulatorCredentials()).parse("bridge.yaml", yaml);
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

    private static String request(String taskId, String scenario) {
        return LauncherFixtures.simulatorRequest(taskId, "jobs", "/hubs/documents/folders/copy", scenario, "PT10M",
                Map.of());
    }

    private static String cancel(String taskId) {
        return "{\"taskId\":\"" + taskId + "\",\"cancel\":true,\"reason\":\"test of " + taskId + "\"}";
    }

    private void send(String key, String value) throws Exception {
        LauncherFixtures.send(kafka, config.topics().requests(), Map.of(key, value));
    }

    @Test
    void theUpstreamGetsTheCancelCallOnceAndTheTaskEndsOnceSayingWhetherItWasAccepted() throws Exception {
        String accepted = "cb-cancel-accepted";
        String refused = "cb-cancel-refused";
        try (TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions());
                TopicReader handOffs = new TopicReader(kafka.bootstrapServers(), config.topics().tasks())) {
            send(accepted, request(accepted, "never"));
            send(refused, request(refused, "never,no-cancel"));
            handOffs.readUntil(seen -> LauncherFixtures.keys(seen).containsAll(List.of(accepted, refused)),
                    Duration.ofSeconds(60));
            assertThat(simulator.stats().elementsCancelCalls()).isZero();

            send(accepted, cancel(accepted));
            send(refused, cancel(refused));

            completions.readUntil(seen -> LauncherFixtures.keys(seen).containsAll(List.of(accepted, refused)),
                    Duration.ofSeconds(60));
            List<ConsumerRecord<String, byte[]>> all = completions.readFor(Duration.ofSeconds(3));

            EventSchemaValidator validator = EventSchemaValidator.create();
            Map<String, List<Completion>> byTask = LauncherFixtures.completionsByTask(all);
            assertThat(byTask).containsOnlyKeys(accepted, refused);
            byTask.forEach((taskId, list) -> assertThat(list).as("completions of %s", taskId).hasSize(1));

            Completion ofAccepted = byTask.get(accepted).get(0);
            assertThat(ofAccepted.status()).isEqualTo(CompletionStatus.CANCELLED);
            assertThat(ofAccepted.via()).isEqualTo(Via.CALLBACK);
            assertThat(ofAccepted.error().message()).isEqualTo("cancelled while the bridge waited for its webhook;"
                    + " the upstream accepted the cancel call (HTTP 200): test of " + accepted);
            Completion ofRefused = byTask.get(refused).get(0);
            assertThat(ofRefused.status()).isEqualTo(CompletionStatus.CANCELLED);
            assertThat(ofRefused.error().message()).isEqualTo("cancelled while the bridge waited for its webhook;"
                    + " the upstream refused the cancel call (HTTP 409): test of " + refused);

            long acceptedJob = Long.parseLong(ofAccepted.upstream().eventId());
            long refusedJob = Long.parseLong(ofRefused.upstream().eventId());
            assertThat(simulator.stats().elementsCancelCalls(acceptedJob)).as("called once").isEqualTo(1);
            assertThat(simulator.stats().elementsCancelCalls(refusedJob)).as("called once").isEqualTo(1);
            assertThat(simulator.stats().elementsCancelCalls()).isEqualTo(2);
            assertThat(simulator.stats().unauthorizedRequests()).as("with the provider's credentials").isZero();
            all.forEach(record -> assertThat(validator.validate(EventType.COMPLETION, record.value())).isEmpty());
        }
    }
}
