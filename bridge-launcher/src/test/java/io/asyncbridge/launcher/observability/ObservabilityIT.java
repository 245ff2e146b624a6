package io.asyncbridge.launcher.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.service.RunningServices;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.core.service.ServiceLauncher;
import io.asyncbridge.launcher.run.ServiceCatalog;
import io.asyncbridge.launcher.testing.LauncherFixtures;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.UpstreamSimulator;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.records.TopicReader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * All three services in one process, as {@code bridge run} starts them, against the simulator: after a small batch
 * the management endpoint's scrape shows the meters moved (completions by status, polls, webhook answers, token
 * refreshes, dead letters, tasks in flight, Kafka client metrics), and health answers 200.
 */
@WithKafka
class ObservabilityIT {

    private static final String CONFIG = """
            callbacks:
              host: 127.0.0.1
              port: %1$d
              publicBaseUrl: http://127.0.0.1:%1$d
              tokenSecret: an-observability-test-token-secret
            management:
              host: 127.0.0.1
              port: 0
            providers:
              acquia:
                type: acquia
                baseUrl: %2$s
                tokenUrl: %3$s
                clientId: %4$s
                clientSecret: %5$s
                poll: {initialDelay: 200ms, initialInterval: 300ms, multiplier: 1.5, maxInterval: 1s}
              documents:
                type: cloud-elements
                baseUrl: %6$s
                authorization: "%7$s"
                signatureKey: %8$s
            """;

    @TempDir
    Path stateDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
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
    void theMetersMoveAndHealthAnswersWhenTheServicesRunTogether(KafkaCluster kafka) throws Exception {
        simulator = UpstreamSimulator.start(SimulatorConfig.builder().port(0).taskDuration(Duration.ofMillis(1000))
                .webhookDelay(Duration.ofMillis(300)).build());
        String run = LauncherFixtures.runId();
        int callbackPort = LauncherFixtures.freeLoopbackPort();
        SimulatorConfig sim = simulator.config();
        String yaml = LauncherFixtures.kafkaAndTopicsYaml(kafka, "obs", run) + CONFIG.formatted(callbackPort,
                simulator.acquiaBaseUrl(),
                simulator.acquiaTokenUrl(), sim.acquiaClientId(), sim.acquiaClientSecret(), simulator.elementsBaseUrl(),
                sim.elementsAuthorization(), sim.elementsSignatureKey());
        BridgeConfig config = new BridgeConfigLoader(Map.of()).parse("bridge.yaml", yaml);
        LauncherFixtures.createTopics(kafka, config, 3);

        running = ServiceLauncher.start(new ServiceContext(config, stateDir, Vertx.vertx(), Clock.systemUTC()),
                ServiceCatalog.factory(ServiceCatalog.names()));
        int port = running.managementPort();
        assertThat(port).isPositive();

        Map<String, String> requests = new LinkedHashMap<>();
        requests.put("obs-ok-1", request("obs-ok-1", "acquia", "success"));
        requests.put("obs-ok-2", request("obs-ok-2", "acquia", "success"));
        requests.put("obs-fail", request("obs-fail", "acquia", "fail"));
        requests.put("obs-refused", request("obs-refused", "acquia", "reject"));
        requests.put("obs-doc", request("obs-doc", "documents", "success"));
        requests.put("obs-invalid", "{\"taskId\":\"obs-invalid\",\"provider\":\"acquia\",\"method\":42}");
        requests.put("obs-poll-never", request("obs-poll-never", "acquia", "never"));
        requests.put("obs-doc-never", request("obs-doc-never", "documents", "never"));
        try (TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions())) {
            LauncherFixtures.send(kafka, config.topics().requests(), requests);
            completions.readUntil(seen -> seen.stream().map(ConsumerRecord::key).distinct().count() == 6,
                    Duration.ofSeconds(90));
        }

        // The completions are committed; the two "never" tasks are still followed by the poller and callbacks.
        Scrape scrape = await().atMost(Duration.ofSeconds(30)).until(() -> scrape(port),
                s -> s.sum("bridge_tasks_in_flight", "service", "poller", "provider", "acquia", "mode", "poll") == 1
                        && s.sum("bridge_tasks_in_flight", "service", "callbacks", "provider", "documents") == 1);

        assertThat(scrape.sum("bridge_completions_total", "service", "poller", "provider", "acquia", "status",
                "succeeded")).isGreaterThanOrEqualTo(2);
        assertThat(scrape.sum("bridge_completions_total", "service", "poller", "status", "failed"))
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("bridge_completions_total", "service", "ingest", "status", "rejected"))
                .as("refused upstream, and invalid").isGreaterThanOrEqualTo(2);
        assertThat(scrape.sum("bridge_completions_total", "service", "callbacks", "provider", "documents", "status",
                "succeeded")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("bridge_completions_total", "status", "timed_out")).isZero();
        assertThat(scrape.sum("bridge_dead_letters_total", "service", "ingest", "code", "invalid_request"))
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("bridge_poll_duration_seconds_count", "provider", "acquia", "outcome", "succeeded"))
                .isGreaterThanOrEqualTo(2);
        assertThat(scrape.sum("bridge_poll_duration_seconds_count", "provider", "acquia")).isGreaterThanOrEqualTo(4);
        assertThat(scrape.sum("bridge_dispatch_duration_seconds_count", "provider", "acquia", "outcome", "accepted"))
                .isGreaterThanOrEqualTo(4);
        assertThat(scrape.sum("bridge_dispatch_duration_seconds_count", "provider", "acquia", "outcome", "rejected"))
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("bridge_webhook_answers_total", "service", "callbacks", "provider", "documents",
                "status", "202")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("bridge_oauth2_token_refreshes_total", "service", "ingest", "provider", "acquia",
                "outcome", "success")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("bridge_oauth2_token_refreshes_total", "service", "poller", "provider", "acquia",
                "outcome", "success")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("bridge_oauth2_token_refreshes_total", "outcome", "rejected")).isZero();
        assertThat(scrape.count("bridge_upstream_errors_total", "kind", "timeout")).as("every kind has a series")
                .isGreaterThanOrEqualTo(2);
        assertThat(scrape.count("kafka_producer_", "service", "callbacks")).as("the webhook sink's producer")
                .isPositive();
        assertThat(scrape.count("kafka_producer_", "service", "ingest")).isPositive();
        assertThat(scrape.count("kafka_consumer_", "service", "poller")).as("Kafka Streams' own clients").isPositive();
        assertThat(scrape.count("kafka_stream_", "service", "callbacks")).isPositive();
        assertThat(scrape.count("jvm_memory_used_bytes")).isPositive();

        HttpResponse<String> ready = get(port, "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonObject services = new JsonObject(ready.body()).getJsonObject("services");
        assertThat(services.fieldNames()).containsExactly("ingest", "poller", "callbacks");
        assertThat(services.getJsonObject("callbacks").getMap()).containsEntry("ready", true)
                .containsEntry("kafka", "reachable").containsEntry("sink", "accepting");
        assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);

    }

    private Scrape scrape(int port) throws Exception {
        HttpResponse<String> response = get(port, "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return Scrape.parse(response.body());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String request(String taskId, String provider, String scenario) {
        String path = provider.equals("acquia") ? "/applications/app-1/databases" : "/hubs/documents/folders/copy";
        return "{\"taskId\":\"" + taskId + "\",\"provider\":\"" + provider + "\",\"method\":\"POST\",\"path\":\""
                + path + "\",\"body\":{\"name\":\"x\"},\"headers\":{\"X-Simulator-Scenario\":\"" + scenario + "\"}}";
    }

}
