package io.asyncbridge.launcher.e2e;

import io.asyncbridge.launcher.testing.InProcessBridge;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.launcher.run.ServiceCatalog;
import io.asyncbridge.launcher.testing.LauncherFixtures;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.ProgressEvent;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two standard long-running-operation types end to end: ingest and the poller on the real broker against the
 * simulator's http-lro (RFC 9110 / Azure) and google-lro (AIP-151) APIs, one task per simulated behaviour. Each task
 * ends with exactly one completion, with the status, code and result its behaviour calls for; a Retry-After on the
 * accept answer holds the first poll back, a running answer's Retry-After spaces the polls, a 303 See Other from the
 * status monitor is followed to the final resource, and google-lro progress from metadata reaches the progress topic.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LongRunningOperationIT {

    private static final String CONFIG = """
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
            providers:
              azure:
                type: http-lro
                baseUrl: %s
                auth:
                  type: header
                  value: ${LRO_AUTHORIZATION}
                poll: {initialDelay: 200ms, initialInterval: 300ms, multiplier: 1.5, maxInterval: 1s, requestTimeout: 2s}
                dispatch: {maxAttempts: 3, initialBackoff: 200ms, maxBackoff: 1s, requestTimeout: 5s}
              google:
                type: google-lro
                baseUrl: %s
                auth:
                  type: header
                  header: X-Goog-Api-Key
                  value: ${GOOGLE_API_KEY}
                status:
                  progressPointer: /metadata/progressPercent
                poll: {initialDelay: 200ms, initialInterval: 300ms, multiplier: 1.5, maxInterval: 1s, requestTimeout: 2s}
                dispatch: {maxAttempts: 3, initialBackoff: 200ms, maxBackoff: 1s, requestTimeout: 5s}
            """;

    private KafkaCluster kafka;
    private UpstreamSimulator simulator;
    private BridgeConfig config;
    private InProcessBridge bridge;
    private final JsonSerde<Completion> completions = new JsonSerde<>(Completion.class, EventJson.newMapper());

    /** One task: its request and what its completion must say. */
    private record Expected(String provider, String scenario, String timeout, CompletionStatus status, String code,
            Consumer<Completion> check) {
    }

    @BeforeAll
    void setUp(KafkaCluster kafka, @TempDir Path stateDir) {
        this.kafka = kafka;
        simulator = UpstreamSimulator.start(SimulatorConfig.builder().port(0).taskDuration(Duration.ofMillis(1200))
                .build());
        String run = LauncherFixtures.runId();
        String yaml = CONFIG.formatted(kafka.bootstrapServers(), "lro-" + run, "requests-" + run, "completions-" + run,
                "progress-" + run, "dlq-" + run, "tasks-" + run, "results-" + run, "webhooks-" + run,
                simulator.httpLroBaseUrl(), simulator.googleLroBaseUrl());
        config = new BridgeConfigLoader(Map.of("LRO_AUTHORIZATION", LroApis.HTTP_LRO_AUTHORIZATION,
                "GOOGLE_API_KEY", LroApis.GOOGLE_API_KEY)).parse("bridge.yaml", yaml);
        LauncherFixtures.createTopics(kafka, config, 3);
        bridge = InProcessBridge.start(config, stateDir.resolve("bridge"), ServiceCatalog.neededBy(config));
    }

    @AfterAll
    void tearDown() {
        if (bridge != null) {
            bridge.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void everyHttpLroBehaviourEndsWithExactlyOneCompletion() throws Exception {
        Map<String, Expected> tasks = new LinkedHashMap<>();
        tasks.put("http-ok", new Expected("azure", "success", null, CompletionStatus.SUCCEEDED, null, completion -> {
            assertThat(completion.upstream().notificationUrl()).as("Azure-AsyncOperation before Location")
                    .startsWith(simulator.httpLroBaseUrl() + "/operations/");
            assertThat(completion.result().get("status").asText()).isEqualTo("Succeeded");
            assertThat(completion.via()).isEqualTo(Via.POLL);
        }));
        tasks.put("http-operation-location", new Expected("azure", "operation-location", null,
                CompletionStatus.SUCCEEDED, null, completion -> assertThat(completion.upstream().httpStatus()).isEqualTo(202)));
        tasks.put("http-location", new Expected("azure", "location", null, CompletionStatus.SUCCEEDED, null,
                completion -> {
                    assertThat(completion.upstream().notificationUrl()).startsWith(simulator.httpLroBaseUrl() + "/results/");
                    assertThat(completion.result().at("/properties/provisioningState").asText())
                            .as("the final resource is the result").isEqualTo("Succeeded");
                }));
        tasks.put("http-relative", new Expected("azure", "operation-location,relative", null,
                CompletionStatus.SUCCEEDED, null, completion -> assertThat(completion.upstream().notificationUrl())
                        .as("resolved against the request URL").startsWith(simulator.httpLroBaseUrl() + "/operations/")));
        tasks.put("http-retry-after", new Expected("azure", "retry-after=3,duration=400", null,
                CompletionStatus.SUCCEEDED, null, completion -> assertFirstPollNotBefore(completion, 3_000)));
        tasks.put("http-see-other", new Expected("azure", "see-other,duration=1500", null, CompletionStatus.SUCCEEDED,
                null, completion -> {
                    assertThat(completion.upstream().notificationUrl()).as("the status monitor was polled")
                            .startsWith(simulator.httpLroBaseUrl() + "/operations/");
                    assertThat(completion.result().at("/properties/provisioningState").asText())
                            .as("the 303's Location, the final resource, is the result").isEqualTo("Succeeded");
                }));
        tasks.put("http-running-retry-after", new Expected("azure", "poll-retry-after=2,duration=3000", null,
                CompletionStatus.SUCCEEDED, null, completion -> assertPollsApartAtLeast(completion, 2_000)));
        tasks.put("http-location-retry-after", new Expected("azure", "location,poll-retry-after=2,duration=3000", null,
                CompletionStatus.SUCCEEDED, null, completion -> assertPollsApartAtLeast(completion, 2_000)));
        tasks.put("http-fail", new Expected("azure", "fail", null, CompletionStatus.FAILED, "upstream_failed",
                completion -> assertThat(completion.error().message())
                        .contains("'Failed': SimulatedFailure: The simulated operation failed.")));
        tasks.put("http-error-string", new Expected("azure", "error-string", null, CompletionStatus.FAILED,
                "upstream_failed", completion -> assertThat(completion.error().message()).contains("not an object")));
        tasks.put("http-cancel", new Expected("azure", "cancel", null, CompletionStatus.FAILED, "upstream_canceled",
                completion -> { }));
        tasks.put("http-never", new Expected("azure", "never", "PT4S", CompletionStatus.TIMED_OUT, "deadline_exceeded",
                completion -> { }));
        tasks.put("http-lag", new Expected("azure", "lag404=800", null, CompletionStatus.SUCCEEDED, null, completion -> { }));
        tasks.put("http-throttled", new Expected("azure", "poll429=2,create429=1", null, CompletionStatus.SUCCEEDED,
                null, completion -> { }));
        tasks.put("http-flaky", new Expected("azure", "poll5xx=2,create5xx=1", null, CompletionStatus.SUCCEEDED, null,
                completion -> { }));
        tasks.put("http-unknown-word", new Expected("azure", "unknown-word", null, CompletionStatus.SUCCEEDED, null,
                completion -> { }));
        tasks.put("http-reject", new Expected("azure", "reject", null, CompletionStatus.REJECTED, "upstream_rejected",
                completion -> { }));
        tasks.put("http-sync", new Expected("azure", "sync", null, CompletionStatus.SUCCEEDED, null, completion -> {
            assertThat(completion.via()).isEqualTo(Via.INGEST);
            assertThat(completion.upstream().httpStatus()).isEqualTo(201);
            assertThat(completion.result().at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
        }));
        tasks.put("http-bad-link", new Expected("azure", "bad-link", null, CompletionStatus.FAILED,
                "notification_host_not_allowed", completion -> assertThat(completion.error().message()).contains("169.254.169.254")));
        tasks.put("http-no-link", new Expected("azure", "no-link", null, CompletionStatus.FAILED,
                "missing_notification_link", completion -> { }));

        runAndCheck(tasks);
    }

    @Test
    void everyGoogleLroBehaviourEndsWithExactlyOneCompletion() throws Exception {
        Map<String, Expected> tasks = new LinkedHashMap<>();
        tasks.put("google-ok", new Expected("google", "duration=2500", null, CompletionStatus.SUCCEEDED, null,
                completion -> {
                    assertThat(completion.upstream().notificationUrl()).as("{baseUrl}/{name}")
                            .startsWith(simulator.googleLroBaseUrl() + "/operations/");
                    assertThat(completion.result().get("state").asText()).as("the response is the result").isEqualTo("READY");
                }));
        tasks.put("google-retry-after", new Expected("google", "retry-after=3,duration=400", null,
                CompletionStatus.SUCCEEDED, null, completion -> assertFirstPollNotBefore(completion, 3_000)));
        tasks.put("google-fail", new Expected("google", "fail", null, CompletionStatus.FAILED, "upstream_failed",
                completion -> {
                    assertThat(completion.error().message()).contains("9: The simulated operation failed.");
                    assertThat(completion.result().at("/error/details/0/reason").asText()).isEqualTo("SIMULATED_FAILURE");
                }));
        tasks.put("google-error-string", new Expected("google", "error-string", null, CompletionStatus.FAILED,
                "upstream_failed", completion -> assertThat(completion.error().message()).contains("not an object")));
        tasks.put("google-cancel", new Expected("google", "cancel", null, CompletionStatus.FAILED, "upstream_canceled",
                completion -> { }));
        tasks.put("google-never", new Expected("google", "never", "PT4S", CompletionStatus.TIMED_OUT,
                "deadline_exceeded", completion -> { }));
        tasks.put("google-bad-done", new Expected("google", "bad-done,duration=300", "PT4S", CompletionStatus.TIMED_OUT,
                "deadline_exceeded", completion -> { }));
        tasks.put("google-lag", new Expected("google", "lag404=800", null, CompletionStatus.SUCCEEDED, null,
                completion -> { }));
        tasks.put("google-throttled", new Expected("google", "poll429=2,create429=1", null, CompletionStatus.SUCCEEDED,
                null, completion -> { }));
        tasks.put("google-flaky", new Expected("google", "poll5xx=2,create5xx=1", null, CompletionStatus.SUCCEEDED,
                null, completion -> { }));
        tasks.put("google-reject", new Expected("google", "reject", null, CompletionStatus.REJECTED, "upstream_rejected",
                completion -> { }));
        tasks.put("google-sync", new Expected("google", "sync", null, CompletionStatus.SUCCEEDED, null, completion -> {
            assertThat(completion.via()).isEqualTo(Via.INGEST);
            assertThat(completion.result().get("state").asText()).isEqualTo("READY");
        }));
        tasks.put("google-sync-fail", new Expected("google", "sync-fail", null, CompletionStatus.FAILED,
                "upstream_failed", completion -> assertThat(completion.via()).isEqualTo(Via.INGEST)));
        tasks.put("google-bad-name", new Expected("google", "bad-name", null, CompletionStatus.FAILED,
                "invalid_operation_name", completion -> { }));
        tasks.put("google-no-name", new Expected("google", "no-name", null, CompletionStatus.FAILED,
                "missing_notification_link", completion -> { }));

        try (TopicReader progress = new TopicReader(kafka.bootstrapServers(), config.topics().progress())) {
            runAndCheck(tasks);
            JsonSerde<ProgressEvent> serde = new JsonSerde<>(ProgressEvent.class, EventJson.newMapper());
            List<Integer> seen = progress.readUntil(records -> records.stream().anyMatch(record ->
                            record.key().equals("google-ok") && serde.deserialize(record.topic(), record.value()).progress() == 100),
                    Duration.ofSeconds(20)).stream()
                    .filter(record -> record.key().equals("google-ok"))
                    .map(record -> serde.deserialize(record.topic(), record.value()).progress()).toList();
            assertThat(seen).as("progress from metadata.progressPercent").hasSizeGreaterThan(1).isSorted()
                    .doesNotHaveDuplicates().endsWith(100);
        }
    }

    private void runAndCheck(Map<String, Expected> tasks) throws Exception {
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), config.topics().completions())) {
            send(tasks);
            reader.readUntil(seen -> seen.stream().map(ConsumerRecord::key).filter(tasks::containsKey).distinct().count()
                    == tasks.size(), Duration.ofSeconds(90));
            Map<String, List<Completion>> byTask = reader.readFor(Duration.ofSeconds(2)).stream()
                    .filter(record -> tasks.containsKey(record.key()))
                    .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.mapping(
                            record -> completions.deserialize(record.topic(), record.value()), Collectors.toList())));
            EventSchemaValidator validator = EventSchemaValidator.create();
            tasks.forEach((taskId, expected) -> {
                assertThat(byTask.get(taskId)).as("completions of %s", taskId).hasSize(1);
                Completion completion = byTask.get(taskId).get(0);
                assertThat(completion.status()).as("status of %s", taskId).isEqualTo(expected.status());
                assertThat(completion.error() == null ? null : completion.error().code()).as("error code of %s", taskId)
                        .isEqualTo(expected.code());
                assertThat(completion.metadata()).containsEntry("scenario", expected.scenario());
                assertThat(validator.validate(EventType.COMPLETION, completions.serialize("c", completion))).isEmpty();
                expected.check().accept(completion);
            });
        }
    }

    /** The simulator saw the first poll of the task's operation no sooner than the accept answer's Retry-After. */
    private void assertFirstPollNotBefore(Completion completion, long millis) {
        String url = completion.upstream().notificationUrl();
        String operation = url.substring(url.lastIndexOf('/') + 1);
        OptionalLong firstPoll = simulator.lroOperations().firstPollAfterMillis(operation);
        assertThat(firstPoll).as("first poll of %s", completion.taskId()).isPresent();
        assertThat(firstPoll.getAsLong()).as("first poll of %s, ms after the create call", completion.taskId())
                .isGreaterThanOrEqualTo(millis).isLessThan(millis + 5_000);
    }

    /**
     * The running answers' Retry-After spaced the polls (the configured backoff alone would poll again within 1 s):
     * no two polls of the task's operation came closer than that.
     */
    private void assertPollsApartAtLeast(Completion completion, long millis) {
        String url = completion.upstream().notificationUrl();
        String operation = url.substring(url.lastIndexOf('/') + 1);
        OptionalLong gap = simulator.lroOperations().shortestPollGapMillis(operation);
        assertThat(gap).as("polls of %s", completion.taskId()).isPresent();
        assertThat(gap.getAsLong()).as("shortest gap between polls of %s, ms", completion.taskId())
                .isGreaterThanOrEqualTo(millis);
    }

    private void send(Map<String, Expected> tasks) throws Exception {
        Map<String, String> requests = new LinkedHashMap<>();
        for (Map.Entry<String, Expected> task : tasks.entrySet()) {
            Expected expected = task.getValue();
            String path = expected.provider().equals("azure")
                    ? "/subscriptions/s-1/resourceGroups/rg/providers/Simulator/vms/" + task.getKey()
                    : "/projects/p-1/locations/eu/instances";
            requests.put(task.getKey(), "{\"taskId\":\"" + task.getKey() + "\",\"provider\":\"" + expected.provider() + "\","
                    + "\"method\":\"" + (expected.provider().equals("azure") ? "PUT" : "POST") + "\","
                    + "\"path\":\"" + path + "\",\"body\":{\"name\":\"" + task.getKey() + "\"},"
                    + "\"headers\":{\"X-Simulator-Scenario\":\"" + expected.scenario() + "\"}"
                    + (expected.timeout() == null ? "" : ",\"timeout\":\"" + expected.timeout() + "\"")
                    + ",\"metadata\":{\"scenario\":\"" + expected.scenario() + "\"}}");
        }
        LauncherFixtures.send(kafka, config.topics().requests(), requests);
    }
}
