package io.asyncbridge.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.security.CallbackTokens;
import io.asyncbridge.launcher.cluster.DefaultTopics;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.simulator.elements.ElementsSignature;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.kafka.TopicSpec;
import io.asyncbridge.testkit.records.TopicReader;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 3 with a real crash: the callbacks service runs as its own JVM from bridge.jar and is killed with
 * SIGKILL in the middle of a stream of signed webhooks. Every webhook it answered 202 must end in a completion;
 * the ones it never answered are retried by the sender (as Cloud Elements does) against a new instance; no task
 * gets two completions.
 */
@WithKafka
class CallbacksKillIT {

    private static final Path JAR = Path.of("target", "bridge.jar").toAbsolutePath();
    private static final String SIGNATURE_KEY = "kill-test-signature-key";
    private static final int TASKS = 150;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stopAll() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void aKilledInstanceLosesNothingItAcknowledged(KafkaCluster kafka) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        String yaml = """
                kafka:
                  bootstrapServers: %s
                  applicationPrefix: kill-%s
                topics:
                  requests: requests-%s
                  completions: completions-%s
                  progress: progress-%s
                  deadLetter: dlq-%s
                  tasks: tasks-%s
                  dispatchResults: results-%s
                  webhooks: webhooks-%s
                callbacks:
                  host: 127.0.0.1
                  port: %d
                  publicBaseUrl: http://127.0.0.1:%d
                  tokenSecret: a-callback-token-secret-for-the-kill-test
                providers:
                  documents:
                    type: cloud-elements
                    baseUrl: http://127.0.0.1:1/elements/api-v2
                    authorization: User u, Element e
                    signatureKey: %s
                """.formatted(kafka.bootstrapServers(), run, run, run, run, run, run, run, run, port, port,
                SIGNATURE_KEY);
        Path configFile = Files.writeString(dir.resolve("bridge.yaml"), yaml);
        BridgeConfig config = new BridgeConfigLoader(Map.of()).load(configFile);
        kafka.createTopics(DefaultTopics.withPartitions(config.topics(), 3).toArray(TopicSpec[]::new));
        produceTasks(kafka, config);

        CallbackTokens tokens = new CallbackTokens(config.callbacks().tokenSecret().orElseThrow());
        Set<String> acknowledged = new LinkedHashSet<>();
        Set<String> acknowledgedBeforeKill;
        try (TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions())) {
            Process first = startCallbacks(configFile, "first", port);
            deliverAll(config, tokens, acknowledged, TASKS / 2);
            first.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no commit
            first.waitFor();
            acknowledgedBeforeKill = Set.copyOf(acknowledged);

            Process second = startCallbacks(configFile, "second", port);
            deliverAll(config, tokens, acknowledged, TASKS); // the sender retries whatever was not acknowledged
            assertThat(acknowledged).hasSize(TASKS);

            completions.readUntil(seen -> seen.stream().map(ConsumerRecord::key).distinct().count() == TASKS,
                    Duration.ofSeconds(120));
            Map<String, Long> perTask = completions.readFor(Duration.ofSeconds(3)).stream()
                    .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));

            assertThat(acknowledgedBeforeKill).as("the kill happened mid-batch").hasSizeGreaterThanOrEqualTo(TASKS / 2);
            assertThat(perTask.keySet()).containsAll(acknowledgedBeforeKill).hasSize(TASKS);
            assertThat(perTask.values()).as("exactly one completion per task").allMatch(count -> count == 1);
            second.destroy();
        }
    }

    private void produceTasks(KafkaCluster kafka, BridgeConfig config) throws Exception {
        Map<String, Object> props = new HashMap<>(kafka.producerConfig());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        JsonSerde<TaskAccepted> serde = new JsonSerde<>(TaskAccepted.class, EventJson.newMapper());
        Instant now = Instant.now();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < TASKS; i++) {
                TaskAccepted task = new TaskAccepted(taskId(i), "documents", TaskMode.CALLBACK, now, now,
                        now.plus(Duration.ofHours(1)), 200, null, Integer.toString(10_000 + i), Map.of());
                producer.send(new ProducerRecord<>(config.topics().tasks(), task.taskId(),
                        serde.serialize(config.topics().tasks(), task))).get();
            }
        }
    }

    private static String taskId(int i) {
        return "kill-task-" + i;
    }

    private Process startCallbacks(Path configFile, String name, int port) throws Exception {
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", JAR.toString(), "io.asyncbridge.callbacks.CallbacksApplication",
                "--config", configFile.toString(), "--state-dir", dir.resolve("state-" + name).toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(giveUp)) {
            assertThat(process.isAlive()).as("callbacks %s is running; log:%n%s", name, Files.readString(log)).isTrue();
            if (status(URI.create("http://127.0.0.1:" + port + "/health/ready")) == 200) {
                return process;
            }
            Thread.sleep(200); // readiness poll: the only way to learn a child JVM is ready
        }
        throw new AssertionError("callbacks " + name + " not ready within 90 s; log:\n" + Files.readString(log));
    }

    /** Sends each unacknowledged webhook once per pass, like a sender that retries non-2xx, until {@code goal}. */
    private void deliverAll(BridgeConfig config, CallbackTokens tokens, Set<String> acknowledged, int goal)
            throws Exception {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(90));
        while (acknowledged.size() < goal && Instant.now().isBefore(giveUp)) {
            for (int i = 0; i < TASKS && acknowledged.size() < goal; i++) {
                if (acknowledged.contains(taskId(i))) {
                    continue;
                }
                byte[] body = ("{\"eventId\":" + (10_000 + i) + ",\"instanceId\":30,\"response\":{\"events\":[{\"path\":\"/f"
                        + i + "\"}]},\"notificationId\":" + (20_000 + i) + "}").getBytes(StandardCharsets.UTF_8);
                URI url = tokens.callbackUrl(config.callbacks().publicBaseUrl().orElseThrow(), "documents", taskId(i));
                HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(15))
                        .header("Content-Type", "application/json")
                        .header(ElementsSignature.HEADER, ElementsSignature.sign(SIGNATURE_KEY, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                try {
                    if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 202) {
                        acknowledged.add(taskId(i));
                    }
                } catch (ConnectException | java.net.http.HttpTimeoutException e) {
                    return; // the instance is gone: the caller decides what happens next
                } catch (IOException e) {
                    return;
                }
            }
        }
    }

    private int status(URI url) {
        try {
            return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
