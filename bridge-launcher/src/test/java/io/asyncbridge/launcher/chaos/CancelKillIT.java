package io.asyncbridge.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.security.CallbackTokens;
import io.asyncbridge.launcher.testing.BridgeJvm;
import io.asyncbridge.launcher.testing.LauncherFixtures;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.simulator.elements.ElementsSignature;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.records.TopicReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancel across a crash of the service that owns the task: the poller, or the callbacks service, runs as its own
 * JVM from bridge.jar, gets forwarded cancels for half of its tasks and is killed with SIGKILL right after they were
 * produced. After a restart on the same state directory every cancelled task has exactly one completion, {@code
 * cancelled}, and the others are still followed (none ended).
 */
@WithKafka
class CancelKillIT {

    private static final int TASKS = 40;

    @TempDir
    Path dir;

    /** Every service JVM started, with its log. */
    private final Map<Process, Path> processes = new LinkedHashMap<>();
    private HttpServer upstream;
    private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();

    @AfterEach
    void stopAll() {
        processes.keySet().forEach(Process::destroyForcibly);
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    @Test
    void aCancelReadByAPollerKilledAtOnceEndsItsTaskExactlyOnceAfterTheRestart(KafkaCluster kafka) throws Exception {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/api/n/", exchange -> {
            String taskId = exchange.getRequestURI().getPath().substring("/api/n/".length());
            polls.computeIfAbsent(taskId, id -> new AtomicInteger()).incrementAndGet();
            byte[] body = "{\"status\":\"in-progress\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
        String base = "http://127.0.0.1:" + upstream.getAddress().getPort();
        String run = LauncherFixtures.runId();
        String yaml = LauncherFixtures.kafkaAndTopicsYaml(kafka, "cancel-kill", run) + """
                providers:
                  upstream:
                    type: generic
                    mode: poll
                    baseUrl: %1$s/api
                    auth: {type: none}
                    notificationLinkPointer: /_links/notification/href
                    status: {pointer: /status, succeeded: [completed], failed: [failed], running: [in-progress]}
                    poll: {initialDelay: 0s, initialInterval: 1s, multiplier: 1, maxInterval: 1s, jitter: 0}
                """.formatted(base);
        Path configFile = Files.writeString(dir.resolve("bridge.yaml"), yaml);
        BridgeConfig config = new BridgeConfigLoader(Map.of()).load(configFile);
        LauncherFixtures.createTopics(kafka, config, 3);
        List<String> taskIds = IntStream.range(0, TASKS).mapToObj(i -> "cancel-kill-" + i).toList();
        Set<String> cancelled = Set.copyOf(taskIds.subList(0, TASKS / 2));

        try (TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions())) {
            Process first = startPoller(configFile);
            Instant now = Instant.now();
            LauncherFixtures.send(kafka, taskIds.stream().map(taskId -> handOff(config, new TaskAccepted(taskId,
                    "upstream", TaskMode.POLL, now, now, now.plus(Duration.ofHours(1)), 202,
                    base + "/api/n/" + taskId, null, Map.of("suite", "kill")))).toList());
            completions.readUntil(seen -> taskIds.stream().allMatch(polls::containsKey), Duration.ofSeconds(120));

            LauncherFixtures.send(kafka, cancelled.stream().map(taskId -> handOff(config, TaskAccepted.cancelOf(
                    taskId, "upstream", TaskMode.POLL, null, "kill test", Instant.now()))).toList());
            first.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no commit
            first.waitFor();

            startPoller(configFile);
            completions.readUntil(seen -> LauncherFixtures.keys(seen).containsAll(cancelled), Duration.ofSeconds(180));
            List<ConsumerRecord<String, byte[]>> all = completions.readFor(Duration.ofSeconds(5));

            Map<String, List<Completion>> byTask = LauncherFixtures.completionsByTask(all);
            assertThat(byTask.keySet()).as("only the cancelled tasks ended").isEqualTo(cancelled);
            byTask.forEach((taskId, list) -> {
                assertThat(list).as("completions of %s", taskId).hasSize(1);
                assertThat(list.get(0).status()).as(taskId).isEqualTo(CompletionStatus.CANCELLED);
                assertThat(list.get(0).metadata()).containsEntry("suite", "kill");
            });
        }
    }

    @Test
    void aCancelReadByACallbacksServiceKilledAtOnceEndsItsTaskExactlyOnceAfterTheRestart(KafkaCluster kafka)
            throws Exception {
        int port = LauncherFixtures.freeLoopbackPort();
        String run = LauncherFixtures.runId();
        String yaml = LauncherFixtures.kafkaAndTopicsYaml(kafka, "cancel-kill-cb", run) + """
                callbacks:
                  host: 127.0.0.1
                  port: %1$d
                  publicBaseUrl: http://127.0.0.1:%1$d
                  tokenSecret: a-callback-token-secret-for-the-cancel-kill-test
                providers:
                  documents:
                    type: cloud-elements
                    baseUrl: http://127.0.0.1:1/elements/api-v2
                    authorization: User u, Element e
                    signatureKey: %2$s
                """.formatted(port, SIGNATURE_KEY);
        Path configFile = Files.writeString(dir.resolve("bridge-callbacks.yaml"), yaml);
        BridgeConfig config = new BridgeConfigLoader(Map.of()).load(configFile);
        LauncherFixtures.createTopics(kafka, config, 3);
        List<String> taskIds = IntStream.range(0, TASKS).mapToObj(i -> "cancel-kill-cb-" + i).toList();
        Set<String> cancelled = Set.copyOf(taskIds.subList(0, TASKS / 2));

        try (TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions());
                TopicReader webhooks = new TopicReader(kafka.bootstrapServers(), config.topics().webhooks())) {
            Process first = startService("io.asyncbridge.callbacks.CallbacksApplication", configFile, "cb-state");
            awaitReady(first, port);
            Instant now = Instant.now();
            LauncherFixtures.send(kafka, IntStream.range(0, TASKS).mapToObj(i -> handOff(config, new TaskAccepted(
                    taskIds.get(i), "documents", TaskMode.CALLBACK, now, now, now.plus(Duration.ofHours(1)), 200, null,
                    Integer.toString(30_000 + i), Map.of("suite", "kill")))).toList());
            // Every task re-keyed to the webhooks topic: the service holds them all as waiting.
            webhooks.readUntil(seen -> seen.size() >= TASKS, Duration.ofSeconds(120));

            LauncherFixtures.send(kafka, cancelled.stream().map(taskId -> handOff(config, TaskAccepted.cancelOf(
                    taskId, "documents", TaskMode.CALLBACK, Integer.toString(30_000 + taskIds.indexOf(taskId)),
                    "kill test", Instant.now()))).toList());
            first.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no commit
            first.waitFor();

            Process second = startService("io.asyncbridge.callbacks.CallbacksApplication", configFile, "cb-state");
            awaitReady(second, port);
            completions.readUntil(seen -> LauncherFixtures.keys(seen).containsAll(cancelled), Duration.ofSeconds(180));
            // A cancelled task's webhook still comes: answered 2xx, it produces nothing.
            String late = taskIds.get(0);
            assertThat(deliver(config, port, late, 30_000)).isEqualTo(202);
            List<ConsumerRecord<String, byte[]>> all = completions.readFor(Duration.ofSeconds(5));

            Map<String, List<Completion>> byTask = LauncherFixtures.completionsByTask(all);
            assertThat(byTask.keySet()).as("only the cancelled tasks ended").isEqualTo(cancelled);
            byTask.forEach((taskId, list) -> {
                assertThat(list).as("completions of %s", taskId).hasSize(1);
                assertThat(list.get(0).status()).as(taskId).isEqualTo(CompletionStatus.CANCELLED);
            });
        }
    }

    @Test
    void aCancelCallOutWhenTheCallbacksServiceIsKilledIsMadeAgainAfterTheRestartAndEndsItsTaskOnce(
            KafkaCluster kafka) throws Exception {
        int cancelledTasks = 5;
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicBoolean answering = new java.util.concurrent.atomic.AtomicBoolean();
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        upstream.createContext("/api/jobs/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String jobId = path.substring("/api/jobs/".length(), path.length() - "/cancel".length());
            calls.computeIfAbsent(jobId, id -> new AtomicInteger()).incrementAndGet();
            if (!answering.get()) {
                return; // the first instance's calls hang until it is killed
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        upstream.start();
        int port = LauncherFixtures.freeLoopbackPort();
        String run = LauncherFixtures.runId();
        String yaml = LauncherFixtures.kafkaAndTopicsYaml(kafka, "cancel-call-kill", run) + """
                callbacks:
                  host: 127.0.0.1
                  port: %1$d
                  publicBaseUrl: http://127.0.0.1:%1$d
                  tokenSecret: a-callback-token-secret-for-the-cancel-kill-test
                providers:
                  jobs:
                    type: generic
                    mode: callback
                    baseUrl: http://127.0.0.1:%2$d/api
                    status: {pointer: /status, succeeded: [done]}
                    callback: {requestHeaders: {X-Callback: '{callbackUrl}'}, correlationIdPointer: /id}
                    cancel: {path: '/jobs/{correlationId}/cancel'}
                    dispatch: {requestTimeout: 120s}
                """.formatted(port, upstream.getAddress().getPort());
        Path configFile = Files.writeString(dir.resolve("bridge-cancel-call.yaml"), yaml);
        BridgeConfig config = new BridgeConfigLoader(Map.of()).load(configFile);
        LauncherFixtures.createTopics(kafka, config, 3);
        List<String> taskIds = IntStream.range(0, cancelledTasks * 2).mapToObj(i -> "cancel-call-kill-" + i).toList();
        Set<String> cancelled = Set.copyOf(taskIds.subList(0, cancelledTasks));

        try (TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions());
                TopicReader webhooks = new TopicReader(kafka.bootstrapServers(), config.topics().webhooks())) {
            Process first = startService("io.asyncbridge.callbacks.CallbacksApplication", configFile, "cc-state");
            awaitReady(first, port);
            Instant now = Instant.now();
            LauncherFixtures.send(kafka, taskIds.stream().map(taskId -> handOff(config, new TaskAccepted(taskId, "jobs",
                    TaskMode.CALLBACK, now, now, now.plus(Duration.ofHours(1)), 202, null, "job-" + taskId,
                    Map.of("suite", "kill")))).toList());
            webhooks.readUntil(seen -> seen.size() >= taskIds.size(), Duration.ofSeconds(120));
            LauncherFixtures.send(kafka, cancelled.stream().map(taskId -> handOff(config, TaskAccepted.cancelOf(
                    taskId, "jobs", TaskMode.CALLBACK, "job-" + taskId, "kill test", Instant.now()))).toList());
            // Every cancel call is out, and hangs: the instance dies while they are.
            completions.readUntil(seen -> calls.size() == cancelledTasks, Duration.ofSeconds(120));
            first.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no commit
            first.waitFor();
            assertThat(completions.readFor(Duration.ofSeconds(1))).as("no completion before the answers").isEmpty();

            answering.set(true);
            Process second = startService("io.asyncbridge.callbacks.CallbacksApplication", configFile, "cc-state");
            awaitReady(second, port);
            completions.readUntil(seen -> LauncherFixtures.keys(seen).containsAll(cancelled), Duration.ofSeconds(180));
            List<ConsumerRecord<String, byte[]>> all = completions.readFor(Duration.ofSeconds(5));

            Map<String, List<Completion>> byTask = LauncherFixtures.completionsByTask(all);
            assertThat(byTask.keySet()).as("only the cancelled tasks ended").isEqualTo(cancelled);
            byTask.forEach((taskId, list) -> {
                assertThat(list).as("completions of %s", taskId).hasSize(1);
                assertThat(list.get(0).status()).as(taskId).isEqualTo(CompletionStatus.CANCELLED);
                assertThat(list.get(0).error().message()).as(taskId)
                        .contains("the upstream accepted the cancel call (HTTP 200)");
            });
            assertThat(calls).as("once before the crash, once after").hasSize(cancelledTasks)
                    .allSatisfy((jobId, count) -> assertThat(count.get()).as(jobId).isEqualTo(2));
        }
    }

    private static final String SIGNATURE_KEY = "cancel-kill-signature-key";

    private int deliver(BridgeConfig config, int port, String taskId, int eventId) throws Exception {
        byte[] body = ("{\"eventId\":" + eventId + ",\"instanceId\":30,\"response\":{\"events\":[]}}")
                .getBytes(StandardCharsets.UTF_8);
        URI url = new CallbackTokens(config.callbacks().tokenSecret().orElseThrow())
                .callbackUrl(config.callbacks().publicBaseUrl().orElseThrow(), "documents", taskId);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .header(ElementsSignature.HEADER, ElementsSignature.sign(SIGNATURE_KEY, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private void awaitReady(Process process, int port) {
        BridgeJvm.awaitReady(process, port, processes.get(process), Duration.ofSeconds(90));
    }

    /** The hand-off as ingest makes it, keyed by its task id, for the tasks topic the poller and callbacks read. */
    private static ProducerRecord<String, byte[]> handOff(BridgeConfig config, TaskAccepted task) {
        JsonSerde<TaskAccepted> serde = new JsonSerde<>(TaskAccepted.class, EventJson.newMapper());
        String topic = config.topics().tasks();
        return new ProducerRecord<>(topic, task.taskId(), serde.serialize(topic, task));
    }

    private Process startPoller(Path configFile) throws Exception {
        return startService("io.asyncbridge.poller.PollerApplication", configFile, "state");
    }

    private Process startService(String main, Path configFile, String stateDir) throws Exception {
        Path log = dir.resolve("service-" + processes.size() + ".log");
        Process process = BridgeJvm.start(log, List.of("-Xmx256m"), main,
                "--config", configFile.toString(), "--state-dir", dir.resolve(stateDir).toString());
        processes.put(process, log);
        return process;
    }
}
