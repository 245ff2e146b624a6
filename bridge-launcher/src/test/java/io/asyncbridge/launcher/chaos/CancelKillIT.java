package io.asyncbridge.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.config.TaskMode;
import io.asyncbridge.core.task.TaskAccepted;
import io.asyncbridge.launcher.cluster.DefaultTopics;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.kafka.TopicSpec;
import io.asyncbridge.testkit.records.TopicReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
 * A cancel across a crash of the service that owns the task: the poller runs as its own JVM from bridge.jar, reads
 * forwarded cancels for half of its tasks and is killed with SIGKILL right after they were produced. After a restart
 * on the same state directory every cancelled task has exactly one completion, {@code cancelled}, and the others are
 * still followed (none ended).
 */
@WithKafka
class CancelKillIT {

    private static final Path JAR = Path.of("target", "bridge.jar").toAbsolutePath();
    private static final int TASKS = 40;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private HttpServer upstream;
    private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();

    @AfterEach
    void stopAll() {
        processes.forEach(Process::destroyForcibly);
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
        String run = UUID.randomUUID().toString().substring(0, 8);
        String yaml = """
                kafka:
                  bootstrapServers: %1$s
                  applicationPrefix: cancel-kill-%2$s
                topics:
                  requests: requests-%2$s
                  completions: completions-%2$s
                  progress: progress-%2$s
                  deadLetter: dlq-%2$s
                  tasks: tasks-%2$s
                  dispatchResults: results-%2$s
                  webhooks: webhooks-%2$s
                providers:
                  upstream:
                    type: generic
                    mode: poll
                    baseUrl: %3$s/api
                    auth: {type: none}
                    notificationLinkPointer: /_links/notification/href
                    status: {pointer: /status, succeeded: [completed], failed: [failed], running: [in-progress]}
                    poll: {initialDelay: 0s, initialInterval: 1s, multiplier: 1, maxInterval: 1s, jitter: 0}
                """.formatted(kafka.bootstrapServers(), run, base);
        Path configFile = Files.writeString(dir.resolve("bridge.yaml"), yaml);
        BridgeConfig config = new BridgeConfigLoader(Map.of()).load(configFile);
        kafka.createTopics(DefaultTopics.withPartitions(config.topics(), 3).toArray(TopicSpec[]::new));
        List<String> taskIds = IntStream.range(0, TASKS).mapToObj(i -> "cancel-kill-" + i).toList();
        Set<String> cancelled = Set.copyOf(taskIds.subList(0, TASKS / 2));

        try (TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions());
                KafkaProducer<String, byte[]> producer = producer(kafka)) {
            Process first = startPoller(configFile);
            Instant now = Instant.now();
            for (String taskId : taskIds) {
                send(producer, config, taskId, new TaskAccepted(taskId, "upstream", TaskMode.POLL, now, now,
                        now.plus(Duration.ofHours(1)), 202, base + "/api/n/" + taskId, null, Map.of("suite", "kill")));
            }
            completions.readUntil(seen -> taskIds.stream().allMatch(polls::containsKey), Duration.ofSeconds(120));

            for (String taskId : cancelled) {
                send(producer, config, taskId, TaskAccepted.cancelOf(taskId, "upstream", TaskMode.POLL, null,
                        "kill test", Instant.now()));
            }
            first.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no commit
            first.waitFor();

            startPoller(configFile);
            completions.readUntil(seen -> seen.stream().map(ConsumerRecord::key).collect(Collectors.toSet())
                    .containsAll(cancelled), Duration.ofSeconds(180));
            List<ConsumerRecord<String, byte[]>> all = completions.readFor(Duration.ofSeconds(5));

            JsonSerde<Completion> serde = new JsonSerde<>(Completion.class, EventJson.newMapper());
            Map<String, List<Completion>> byTask = all.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                    Collectors.mapping(record -> serde.deserialize(record.topic(), record.value()),
                            Collectors.toList())));
            assertThat(byTask.keySet()).as("only the cancelled tasks ended").isEqualTo(cancelled);
            byTask.forEach((taskId, list) -> {
                assertThat(list).as("completions of %s", taskId).hasSize(1);
                assertThat(list.get(0).status()).as(taskId).isEqualTo(CompletionStatus.CANCELLED);
                assertThat(list.get(0).metadata()).containsEntry("suite", "kill");
            });
        }
    }

    private static KafkaProducer<String, byte[]> producer(KafkaCluster kafka) {
        Map<String, Object> props = new HashMap<>(kafka.producerConfig());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static void send(KafkaProducer<String, byte[]> producer, BridgeConfig config, String taskId,
            TaskAccepted record) throws Exception {
        JsonSerde<TaskAccepted> serde = new JsonSerde<>(TaskAccepted.class, EventJson.newMapper());
        producer.send(new ProducerRecord<>(config.topics().tasks(), taskId,
                serde.serialize(config.topics().tasks(), record))).get();
    }

    private Process startPoller(Path configFile) throws Exception {
        Path log = dir.resolve("poller-" + processes.size() + ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", JAR.toString(), "io.asyncbridge.poller.PollerApplication",
                "--config", configFile.toString(), "--state-dir", dir.resolve("state").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        return process;
    }
}
