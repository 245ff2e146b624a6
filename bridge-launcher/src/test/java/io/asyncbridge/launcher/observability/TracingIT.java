package io.asyncbridge.launcher.observability;

import io.asyncbridge.launcher.testing.InProcessBridge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.launcher.testing.LauncherFixtures;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.UpstreamSimulator;
import io.asyncbridge.simulator.lro.LroApis;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.otlp.OtlpReceiver;
import io.asyncbridge.testkit.otlp.ReceivedSpan;
import io.asyncbridge.testkit.records.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trace context end to end with OpenTelemetry on: the three services on the real broker against the simulator, their
 * spans exported over OTLP/HTTP to a real receiver on loopback. A traced poll task and a traced callback task each
 * produce their spans (dispatch, polls or the webhook's receipt, completion) in the request's trace, each a child of
 * the request's span; their completion records carry the request's traceparent; an untraced task produces no span.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracingIT {

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
            callbacks:
              host: 127.0.0.1
              port: %d
              publicBaseUrl: http://127.0.0.1:%d
            management:
              enabled: false
            observability:
              tracing:
                otlpEndpoint: %s
                serviceName: tracing-it
            providers:
              azure:
                type: http-lro
                baseUrl: %s
                auth: {type: header, value: "%s"}
                poll: {initialDelay: 200ms, initialInterval: 300ms, multiplier: 1.5, maxInterval: 1s}
              documents:
                type: cloud-elements
                baseUrl: %s
                authorization: "%s"
                signatureKey: %s
            """;

    private KafkaCluster kafka;
    private OtlpReceiver receiver;
    private UpstreamSimulator simulator;
    private BridgeConfig config;
    private InProcessBridge bridge;

    @BeforeAll
    void setUp(KafkaCluster kafka, @TempDir Path stateDir) throws Exception {
        this.kafka = kafka;
        receiver = OtlpReceiver.start();
        simulator = UpstreamSimulator.start(SimulatorConfig.builder().port(0).taskDuration(Duration.ofMillis(1200))
                .webhookDelay(Duration.ofMillis(300)).build());
        int callbackPort = LauncherFixtures.freeLoopbackPort();
        String run = LauncherFixtures.runId();
        config = new BridgeConfigLoader(Map.of()).parse("bridge.yaml", CONFIG.formatted(kafka.bootstrapServers(),
                "trace-" + run, "requests-" + run, "completions-" + run, "progress-" + run, "dlq-" + run,
                "tasks-" + run, "results-" + run, "webhooks-" + run, callbackPort, callbackPort, receiver.baseUrl(),
                simulator.httpLroBaseUrl(), LroApis.HTTP_LRO_AUTHORIZATION, simulator.elementsBaseUrl(),
                SimulatorConfig.DEFAULT_ELEMENTS_AUTHORIZATION, SimulatorConfig.DEFAULT_ELEMENTS_SIGNATURE_KEY));
        LauncherFixtures.createTopics(kafka, config, 3);
        bridge = InProcessBridge.start(config, stateDir.resolve("bridge"));
    }

    @AfterAll
    void tearDown() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void tracedTasksEmitTheirSpansInTheRequestsTraceAndCarryItOnTheirCompletions() throws Exception {
        String pollTrace = randomHex(16);
        String callbackTrace = randomHex(16);
        String requestSpan = randomHex(8);
        Map<String, String> traceparents = Map.of(
                "traced-poll", "00-" + pollTrace + "-" + requestSpan + "-01",
                "traced-callback", "00-" + callbackTrace + "-" + requestSpan + "-01");

        try (TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions())) {
            send("traced-poll", "azure", "PUT", "/subscriptions/s/resourceGroups/rg/providers/Simulator/vms/vm-t",
                    "poll429=1,duration=1200", traceparents.get("traced-poll"));
            send("traced-callback", "documents", "POST", "/hubs/documents/folders/copy", "duration=800",
                    traceparents.get("traced-callback"));
            send("untraced-poll", "azure", "PUT", "/subscriptions/s/resourceGroups/rg/providers/Simulator/vms/vm-u",
                    "duration=800", null);
            Set<String> taskIds = Set.of("traced-poll", "traced-callback", "untraced-poll");
            List<ConsumerRecord<String, byte[]>> ended = completions.readUntil(records -> records.stream()
                    .map(ConsumerRecord::key).filter(taskIds::contains).distinct().count() == 3, Duration.ofSeconds(90));
            Map<String, ConsumerRecord<String, byte[]>> byTask = ended.stream()
                    .filter(record -> taskIds.contains(record.key()))
                    .collect(Collectors.toMap(ConsumerRecord::key, record -> record, (first, second) -> first));
            assertThat(header(byTask.get("traced-poll"), "traceparent")).isEqualTo(traceparents.get("traced-poll"));
            assertThat(header(byTask.get("traced-callback"), "traceparent"))
                    .as("the callbacks service's completion carries the request's trace")
                    .isEqualTo(traceparents.get("traced-callback"));
            assertThat(header(byTask.get("untraced-poll"), "traceparent")).isNull();
        }

        // The poll task: its dispatch, every poll (the first answered 429) and its completion.
        await().atMost(Duration.ofSeconds(30)).until(() -> names(pollTrace).containsAll(
                List.of("dispatch", "poll", "completion")) && count(pollTrace, "poll") >= 2);
        List<ReceivedSpan> poll = receiver.spansOf(pollTrace);
        assertThat(poll).allSatisfy(span -> {
            assertThat(span.parentSpanId()).as("%s is a child of the request's span", span.name()).isEqualTo(requestSpan);
            assertThat(span.attribute("bridge.task.id")).isEqualTo("traced-poll");
        });
        ReceivedSpan dispatch = only(poll, "dispatch");
        assertThat(dispatch.serviceName()).isEqualTo("tracing-it-ingest");
        assertThat(dispatch.kind()).isEqualTo(ReceivedSpan.KIND_CLIENT);
        assertThat(dispatch.attribute("bridge.outcome")).isEqualTo("accepted");
        assertThat(dispatch.attribute("http.response.status_code")).isEqualTo("202");
        List<ReceivedSpan> polls = poll.stream().filter(span -> span.name().equals("poll")).toList();
        assertThat(polls).allSatisfy(span -> {
            assertThat(span.serviceName()).isEqualTo("tracing-it-poller");
            assertThat(span.kind()).isEqualTo(ReceivedSpan.KIND_CLIENT);
        });
        assertThat(polls).extracting(span -> span.attribute("bridge.outcome")).contains("throttled", "succeeded");
        ReceivedSpan pollCompletion = only(poll, "completion");
        assertThat(pollCompletion.serviceName()).isEqualTo("tracing-it-poller");
        assertThat(pollCompletion.kind()).isEqualTo(ReceivedSpan.KIND_PRODUCER);
        assertThat(pollCompletion.attribute("bridge.completion.status")).isEqualTo("succeeded");
        assertThat(pollCompletion.attribute("bridge.completion.via")).isEqualTo("poll");

        // The callback task: its dispatch, the webhook's receipt and its completion, from the callbacks service.
        await().atMost(Duration.ofSeconds(30)).until(() -> names(callbackTrace).containsAll(
                List.of("dispatch", "webhook", "completion")));
        List<ReceivedSpan> callback = receiver.spansOf(callbackTrace);
        assertThat(callback).allSatisfy(span ->
                assertThat(span.parentSpanId()).as("%s is a child of the request's span", span.name()).isEqualTo(requestSpan));
        ReceivedSpan webhook = only(callback, "webhook");
        assertThat(webhook.serviceName()).isEqualTo("tracing-it-callbacks");
        assertThat(webhook.kind()).isEqualTo(ReceivedSpan.KIND_SERVER);
        assertThat(webhook.attribute("bridge.task.id")).isEqualTo("traced-callback");
        ReceivedSpan callbackCompletion = only(callback, "completion");
        assertThat(callbackCompletion.serviceName()).isEqualTo("tracing-it-callbacks");
        assertThat(callbackCompletion.attribute("bridge.completion.via")).isEqualTo("callback");
        assertThat(only(callback, "dispatch").attribute("bridge.outcome")).isEqualTo("accepted");

        assertThat(receiver.spans()).as("no span for the untraced task")
                .noneMatch(span -> "untraced-poll".equals(span.attribute("bridge.task.id")));
        assertThat(receiver.refused()).isZero();
    }

    private List<String> names(String traceId) {
        return receiver.spansOf(traceId).stream().map(ReceivedSpan::name).toList();
    }

    private long count(String traceId, String name) {
        return receiver.spansOf(traceId).stream().filter(span -> span.name().equals(name)).count();
    }

    private static ReceivedSpan only(List<ReceivedSpan> spans, String name) {
        List<ReceivedSpan> named = spans.stream().filter(span -> span.name().equals(name)).toList();
        assertThat(named).as("spans named %s", name).hasSize(1);
        return named.get(0);
    }

    private void send(String taskId, String provider, String method, String path, String scenario, String traceparent)
            throws Exception {
        String request = "{\"taskId\":\"" + taskId + "\",\"provider\":\"" + provider + "\",\"method\":\"" + method
                + "\",\"path\":\"" + path + "\",\"body\":{\"name\":\"" + taskId + "\"},"
                + "\"headers\":{\"X-Simulator-Scenario\":\"" + scenario + "\"}}";
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(config.topics().requests(), taskId,
                request.getBytes(StandardCharsets.UTF_8));
        if (traceparent != null) {
            record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.US_ASCII));
        }
        LauncherFixtures.send(kafka, List.of(record));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.US_ASCII);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        random[0] |= 1; // never all zeros
        return HexFormat.of().formatHex(random);
    }
}
