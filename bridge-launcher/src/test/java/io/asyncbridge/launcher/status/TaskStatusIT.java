package io.asyncbridge.launcher.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.service.RunningServices;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.core.service.ServiceLauncher;
import io.asyncbridge.core.status.TaskStatusRegistry;
import io.asyncbridge.launcher.run.ServiceCatalog;
import io.asyncbridge.launcher.testing.LauncherFixtures;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.UpstreamSimulator;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two bridge instances share the partitions of one bridge: whichever instance is asked, the status of a task is the
 * same, including tasks whose partitions the other instance owns (routed by Kafka Streams metadata), and the
 * in-flight list holds the tasks of both. The management API needs its bearer token.
 */
@WithKafka
class TaskStatusIT {

    static final String TOKEN = "a-status-test-management-token";

    private static final String CONFIG = """
            callbacks:
              host: 127.0.0.1
              port: %1$d
              publicBaseUrl: http://127.0.0.1:%1$d
              tokenSecret: a-status-test-token-secret
            management:
              host: 127.0.0.1
              port: 0
              authToken: %9$s
            providers:
              acquia:
                type: acquia
                baseUrl: %2$s
                tokenUrl: %3$s
                clientId: %4$s
                clientSecret: %5$s
                poll: {initialDelay: 200ms, initialInterval: 500ms, multiplier: 1.5, maxInterval: 2s}
              documents:
                type: cloud-elements
                baseUrl: %6$s
                authorization: "%7$s"
                signatureKey: %8$s
            """;

    @TempDir
    Path stateDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<RunningServices> instances = new ArrayList<>();
    private UpstreamSimulator simulator;

    @AfterEach
    void tearDown() {
        instances.forEach(RunningServices::close);
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void everyInstanceAnswersForEveryTaskWhicheverInstanceOwnsIt(KafkaCluster kafka) throws Exception {
        simulator = UpstreamSimulator.start(SimulatorConfig.builder().port(0).taskDuration(Duration.ofMillis(500))
                .webhookDelay(Duration.ofMillis(200)).build());
        String run = LauncherFixtures.runId();
        BridgeConfig first = config(kafka, run, LauncherFixtures.freeLoopbackPort());
        BridgeConfig second = config(kafka, run, LauncherFixtures.freeLoopbackPort());
        LauncherFixtures.createTopics(kafka, first, 6);

        Map<ServiceContext, RunningServices> started = new LinkedHashMap<>();
        for (BridgeConfig config : List.of(first, second)) {
            ServiceContext context = new ServiceContext(config, stateDir.resolve("i" + started.size()), Vertx.vertx(),
                    Clock.systemUTC());
            RunningServices running = ServiceLauncher.start(context, ServiceCatalog.factory(ServiceCatalog.names()));
            instances.add(running);
            started.put(context, running);
        }
        List<ServiceContext> contexts = new ArrayList<>(started.keySet());
        int portA = instances.get(0).managementPort();
        int portB = instances.get(1).managementPort();

        Map<String, String> requests = new LinkedHashMap<>();
        List<String> polled = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            polled.add("st-poll-" + i + "-" + run);
            waiting.add("st-hook-" + i + "-" + run);
        }
        polled.forEach(id -> requests.put(id, request(id, "acquia", "never")));
        waiting.forEach(id -> requests.put(id, request(id, "documents", "never")));
        String done = "st-done-" + run;
        requests.put(done, request(done, "acquia", "success"));
        String invalid = "st-invalid-" + run;
        requests.put(invalid, "{\"taskId\":\"" + invalid + "\",\"provider\":\"acquia\",\"method\":42}");
        LauncherFixtures.send(kafka, first.topics().requests(), requests);

        // Both instances own some of the six partitions of each service once the group settled.
        await().atMost(Duration.ofSeconds(90)).until(() -> ownsSomething(contexts.get(0), "poller")
                && ownsSomething(contexts.get(1), "poller") && ownsSomething(contexts.get(0), "callbacks")
                && ownsSomething(contexts.get(1), "callbacks"));

        for (String taskId : polled) {
            JsonObject fromA = await().atMost(Duration.ofSeconds(60)).until(() -> status(portA, taskId),
                    answer -> answer != null && "polling".equals(answer.getString("state"))
                            && answer.getJsonObject("poller").containsKey("nextPollAt"));
            JsonObject fromB = await().atMost(Duration.ofSeconds(30)).until(() -> status(portB, taskId),
                    answer -> answer != null && "polling".equals(answer.getString("state")));
            assertThat(fromA.getString("provider")).isEqualTo("acquia");
            assertThat(fromA.getString("mode")).isEqualTo("poll");
            assertThat(fromA.getJsonObject("ingest").getString("outcome")).isEqualTo("handed_over");
            assertThat(fromB.getJsonObject("poller").getString("notification"))
                    .isEqualTo(fromA.getJsonObject("poller").getString("notification"));
            assertThat(fromB.getJsonObject("poller").getString("deadline"))
                    .isEqualTo(fromA.getJsonObject("poller").getString("deadline"));
        }
        assertThat(polled.stream().filter(id -> owner(contexts.get(0), "poller", id).equals(address(portB))))
                .as("some polled task is owned by the other instance").isNotEmpty();

        for (String taskId : waiting) {
            JsonObject fromB = await().atMost(Duration.ofSeconds(60)).until(() -> status(portB, taskId),
                    answer -> answer != null && "waiting_for_webhook".equals(answer.getString("state")));
            JsonObject fromA = status(portA, taskId);
            assertThat(fromA.getString("state")).isEqualTo("waiting_for_webhook");
            assertThat(fromA.getJsonObject("callbacks").getString("correlationId")).isNotBlank()
                    .isEqualTo(fromB.getJsonObject("callbacks").getString("correlationId"));
            assertThat(fromA.encode()).doesNotContain("/callbacks/documents/" + taskId + "/");
        }

        JsonObject ended = await().atMost(Duration.ofSeconds(60)).until(() -> status(portB, done),
                answer -> answer != null && "ended".equals(answer.getString("state")));
        assertThat(ended.getJsonObject("completion").getString("status")).isEqualTo("succeeded");
        assertThat(status(portA, done).getJsonObject("completion").getString("status")).isEqualTo("succeeded");
        JsonObject rejected = await().atMost(Duration.ofSeconds(30)).until(() -> status(portA, invalid),
                answer -> answer != null && answer.getJsonObject("completion") != null);
        assertThat(rejected.getJsonObject("ingest").getString("outcome")).isEqualTo("rejected");

        HttpResponse<String> unknown = get(portB, "/api/tasks/st-unknown-" + run, TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(unknown.body()).getJsonObject("error").getString("code")).isEqualTo("unknown_task");
        assertThat(get(portA, "/api/tasks/" + done, null).statusCode()).isEqualTo(401);

        for (int port : List.of(portA, portB)) {
            HttpResponse<String> list = get(port, "/api/tasks?state=in-flight&limit=100", TOKEN);
            assertThat(list.statusCode()).isEqualTo(200);
            JsonArray tasks = new JsonObject(list.body()).getJsonArray("tasks");
            List<String> ids = new ArrayList<>();
            tasks.forEach(task -> ids.add(((JsonObject) task).getString("taskId")));
            assertThat(ids).containsAll(polled).containsAll(waiting).doesNotContain(done);
            HttpResponse<String> onlyDocuments = get(port, "/api/tasks?state=in-flight&provider=documents&limit=3",
                    TOKEN);
            assertThat(new JsonObject(onlyDocuments.body()).getJsonArray("tasks")).hasSize(3)
                    .allSatisfy(task -> assertThat(((JsonObject) task).getString("provider")).isEqualTo("documents"));
        }
    }

    private static boolean ownsSomething(ServiceContext context, String service) {
        TaskStatusRegistry registry = context.status();
        return registry.source(service).map(source -> source.streams() != null
                && source.streams().metadataForLocalThreads().stream()
                        .anyMatch(thread -> !thread.activeTasks().isEmpty())).orElse(false);
    }

    private static String owner(ServiceContext context, String service, String taskId) {
        var source = context.status().source(service).orElseThrow();
        KeyQueryMetadata metadata = source.streams().queryMetadataForKey(source.store(), taskId,
                new StringSerializer());
        return metadata.activeHost().host() + ":" + metadata.activeHost().port();
    }

    private static String address(int port) {
        return "127.0.0.1:" + port;
    }

    private JsonObject status(int port, String taskId) throws Exception {
        HttpResponse<String> response = get(port, "/api/tasks/" + taskId, TOKEN);
        return response.statusCode() == 200 ? new JsonObject(response.body()) : null;
    }

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private BridgeConfig config(KafkaCluster kafka, String run, int callbackPort) {
        SimulatorConfig sim = simulator.config();
        String yaml = LauncherFixtures.kafkaAndTopicsYaml(kafka, "status", run, "consumer: {session.timeout.ms: 6000}")
                + CONFIG.formatted(callbackPort, simulator.acquiaBaseUrl(),
                simulator.acquiaTokenUrl(), sim.acquiaClientId(), sim.acquiaClientSecret(), simulator.elementsBaseUrl(),
                sim.elementsAuthorization(), sim.elementsSignatureKey(), TOKEN);
        return new BridgeConfigLoader(Map.of()).parse("bridge.yaml", yaml);
    }

    static String request(String taskId, String provider, String scenario) {
        String path = provider.equals("acquia") ? "/applications/app-1/databases" : "/hubs/documents/folders/copy";
        return "{\"taskId\":\"" + taskId + "\",\"provider\":\"" + provider + "\",\"method\":\"POST\",\"path\":\""
                + path + "\",\"body\":{\"name\":\"x\"},\"headers\":{\"X-Simulator-Scenario\":\"" + scenario + "\"}}";
    }

}
