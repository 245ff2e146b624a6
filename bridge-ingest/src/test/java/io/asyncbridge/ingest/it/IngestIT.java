package io.asyncbridge.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.ingest.IngestService;
import io.asyncbridge.ingest.topology.DeadLetters;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.simulator.UpstreamSimulator;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.kafka.TopicSpec;
import io.asyncbridge.testkit.records.TopicReader;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingest on the real broker against the simulator: every request ends once, handed over or completed. */
@WithKafka
class IngestIT {

    @TempDir
    Path stateDir;

    private UpstreamSimulator simulator;
    private Vertx vertx;
    private BridgeConfig config;
    private KafkaCluster kafka;

    @BeforeEach
    void setUp(KafkaCluster kafka) {
        this.kafka = kafka;
        simulator = UpstreamSimulator.start(SimulatorConfig.builder().port(0).taskDuration(Duration.ofSeconds(2)).build());
        vertx = Vertx.vertx();
        String run = UUID.randomUUID().toString().substring(0, 8);
        config = new BridgeConfigLoader(Map.of()).parse("test", """
                kafka:
                  bootstrapServers: %s
                  applicationPrefix: it-%s
                topics:
                  requests: requests-%s
                  completions: completions-%s
                  progress: progress-%s
                  deadLetter: dlq-%s
                  tasks: tasks-%s
                  dispatchResults: results-%s
                  webhooks: webhooks-%s
                  partitions: 3
                callbacks:
                  publicBaseUrl: http://127.0.0.1:1
                providers:
                  acquia:
                    type: acquia
                    baseUrl: %s
                    tokenUrl: %s
                    clientId: %s
                    clientSecret: %s
                    dispatch: {maxAttempts: 4, initialBackoff: 200ms, maxBackoff: 1s}
                  single:
                    type: acquia
                    baseUrl: %s
                    tokenUrl: %s
                    clientId: %s
                    clientSecret: %s
                    dispatch: {concurrency: 1, maxAttempts: 1, requestTimeout: 60s}
                  wrong-secret:
                    type: acquia
                    baseUrl: %s
                    tokenUrl: %s
                    clientId: %s
                    clientSecret: not-the-secret
                  documents:
                    type: cloud-elements
                    baseUrl: %s
                    authorization: "%s"
                    signatureKey: %s
                """.formatted(kafka.bootstrapServers(), run, run, run, run, run, run, run, run,
                simulator.acquiaBaseUrl(), simulator.acquiaTokenUrl(), SimulatorConfig.DEFAULT_ACQUIA_CLIENT_ID,
                SimulatorConfig.DEFAULT_ACQUIA_CLIENT_SECRET,
                simulator.acquiaBaseUrl(), simulator.acquiaTokenUrl(), SimulatorConfig.DEFAULT_ACQUIA_CLIENT_ID,
                SimulatorConfig.DEFAULT_ACQUIA_CLIENT_SECRET,
                simulator.acquiaBaseUrl(), simulator.acquiaTokenUrl(), SimulatorConfig.DEFAULT_ACQUIA_CLIENT_ID,
                simulator.elementsBaseUrl(), SimulatorConfig.DEFAULT_ELEMENTS_AUTHORIZATION,
                SimulatorConfig.DEFAULT_ELEMENTS_SIGNATURE_KEY));
    }

    @AfterEach
    void tearDown() throws Exception {
        simulator.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private IngestService ingest(String instance) {
        IngestService service = new IngestService(new ServiceContext(config, stateDir.resolve(instance), vertx,
                Clock.systemUTC()));
        service.start();
        return service;
    }

    private void send(List<Map.Entry<String, String>> requests) throws Exception {
        Map<String, Object> props = new HashMap<>(kafka.producerConfig());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (Map.Entry<String, String> request : requests) {
                producer.send(new ProducerRecord<>(config.topics().requests(), request.getKey(),
                        request.getValue().getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    private static Map.Entry<String, String> request(String taskId, String provider, String scenario) {
        return Map.entry(taskId, "{\"taskId\":\"" + taskId + "\",\"provider\":\"" + provider + "\",\"method\":\"POST\","
                + "\"path\":\"/applications/app-1/databases\",\"body\":{\"name\":\"db\"},"
                + "\"headers\":{\"X-Simulator-Scenario\":\"" + scenario + "\"}}");
    }

    private static <T> Map<String, List<T>> byKey(List<ConsumerRecord<String, byte[]>> records, Class<T> type) {
        JsonSerde<T> serde = new JsonSerde<>(type, EventJson.newMapper());
        return records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                Collectors.mapping(record -> serde.deserialize(record.topic(), record.value()), Collectors.toList())));
    }

    @Test
    void aMixedBatchEndsOnceEach() throws Exception {
        try (IngestService ingest = ingest("a");
                TopicReader tasks = new TopicReader(kafka.bootstrapServers(), config.topics().tasks());
                TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions())) {
            send(List.of(
                    request("ok-1", "acquia", "success"),
                    request("throttled-1", "acquia", "create429=2"),
                    request("flaky-1", "acquia", "create5xx=1"),
                    request("refused-1", "acquia", "reject"),
                    request("nolink-1", "acquia", "no-link"),
                    request("ssrf-1", "acquia", "bad-link"),
                    request("ok-1", "acquia", "success"),
                    request("badsecret-1", "wrong-secret", "success"),
                    request("copy-1", "documents", "success"),
                    Map.entry("broken-1", "{\"taskId\":\"broken-1\",\"provider\":\"acquia\",\"method\":42}")));

            tasks.readUntil(seen -> seen.size() >= 4, Duration.ofSeconds(60));
            completions.readUntil(seen -> seen.size() >= 5, Duration.ofSeconds(60));
            Map<String, List<TaskAccepted>> accepted = byKey(tasks.readFor(Duration.ofSeconds(2)), TaskAccepted.class);
            Map<String, List<Completion>> ended = byKey(completions.readFor(Duration.ofSeconds(1)), Completion.class);

            assertThat(accepted).containsOnlyKeys("ok-1", "throttled-1", "flaky-1", "copy-1");
            assertThat(accepted.values()).allSatisfy(list -> assertThat(list).hasSize(1));
            assertThat(accepted.get("ok-1").get(0).notificationUrl()).startsWith(simulator.acquiaBaseUrl() + "/notifications/");
            assertThat(accepted.get("copy-1").get(0).correlationId()).matches("\\d+");
            assertThat(ended).containsOnlyKeys("refused-1", "nolink-1", "ssrf-1", "badsecret-1", "broken-1");
            assertThat(ended.values()).allSatisfy(list -> assertThat(list).hasSize(1));
            Function<String, Completion> one = id -> ended.get(id).get(0);
            assertThat(one.apply("refused-1").status()).isEqualTo(CompletionStatus.REJECTED);
            assertThat(one.apply("refused-1").upstream().httpStatus()).isEqualTo(422);
            assertThat(one.apply("nolink-1").error().code()).isEqualTo("missing_notification_link");
            assertThat(one.apply("ssrf-1").error().code()).isEqualTo("notification_host_not_allowed");
            assertThat(one.apply("badsecret-1").status()).isEqualTo(CompletionStatus.REJECTED);
            assertThat(one.apply("badsecret-1").error().code()).isEqualTo("upstream_auth_rejected");
            assertThat(one.apply("badsecret-1").error().message()).doesNotContain("not-the-secret");
            assertThat(one.apply("broken-1").error().code()).isEqualTo("invalid_request");
            assertThat(simulator.stats().createCalls("success")).as("the duplicate was not sent").isEqualTo(2);
        }
    }

    @Test
    void aCancelEndsATaskBeforeOrDuringItsCallOnceAndLeavesEndedAndUnknownTasksAlone() throws Exception {
        String slow = "slow=15000";
        try (IngestService ingest = ingest("a");
                TopicReader tasks = new TopicReader(kafka.bootstrapServers(), config.topics().tasks());
                TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions())) {
            send(List.of(request("refused-1", "acquia", "reject")));
            completions.readUntil(seen -> seen.size() >= 1, Duration.ofSeconds(60));
            // The provider takes one call at a time: the first task's call is in flight for 15 s, the second waits.
            send(List.of(request("in-flight-1", "single", slow)));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> simulator.stats().createCalls(slow) == 1);
            send(List.of(request("waiting-1", "single", slow)));

            send(List.of(cancel("waiting-1", "not needed any more"), cancel("in-flight-1", "changed my mind"),
                    cancel("refused-1", "too late"), cancel("ghost-1", "never submitted")));

            completions.readUntil(seen -> seen.size() >= 3, Duration.ofSeconds(60));
            Map<String, List<Completion>> ended = byKey(completions.readFor(Duration.ofSeconds(20)), Completion.class);
            assertThat(ended).containsOnlyKeys("refused-1", "in-flight-1", "waiting-1");
            assertThat(ended.values()).allSatisfy(list -> assertThat(list).as("exactly once").hasSize(1));
            assertThat(ended.get("refused-1").get(0).status()).isEqualTo(CompletionStatus.REJECTED);
            Completion waiting = ended.get("waiting-1").get(0);
            assertThat(waiting.status()).isEqualTo(CompletionStatus.CANCELLED);
            assertThat(waiting.error().code()).isEqualTo("cancelled");
            assertThat(waiting.error().message()).isEqualTo("cancelled before it was sent upstream: not needed any more");
            Completion inFlight = ended.get("in-flight-1").get(0);
            assertThat(inFlight.status()).isEqualTo(CompletionStatus.CANCELLED);
            assertThat(inFlight.error().message()).contains("may have started it", "changed my mind");
            assertThat(simulator.stats().createCalls(slow)).as("the waiting task was never sent").isEqualTo(1);
            assertThat(tasks.readFor(Duration.ofSeconds(1))).as("no cancelled task is handed over, even after the"
                    + " in-flight call's answer came back").isEmpty();
        }
    }

    private static Map.Entry<String, String> cancel(String taskId, String reason) {
        return Map.entry(taskId, "{\"taskId\":\"" + taskId + "\",\"cancel\":true,\"reason\":\"" + reason + "\"}");
    }

    @Test
    void anIngestStoppedMidBatchIsReplacedWithoutLosingOrDoublingATask() throws Exception {
        kafka.createTopics(config.topics().all().stream()
                .map(topic -> new TopicSpec(topic.name(), topic.partitions(), topic.compacted())).toArray(TopicSpec[]::new));
        int count = 60;
        List<Map.Entry<String, String>> batch = java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> request("batch-" + i, "acquia", "slow=150")).toList();
        try (TopicReader tasks = new TopicReader(kafka.bootstrapServers(), config.topics().tasks())) {
            IngestService first = ingest("first");
            send(batch.subList(0, count / 2));
            tasks.readUntil(seen -> seen.size() >= 5, Duration.ofSeconds(60));
            first.close(); // mid-batch: calls in flight, results unread
            send(batch.subList(count / 2, count));
            try (IngestService second = ingest("second")) {
                tasks.readUntil(seen -> seen.stream().map(ConsumerRecord::key).distinct().count() == count,
                        Duration.ofSeconds(120));
                Map<String, List<TaskAccepted>> accepted = byKey(tasks.readFor(Duration.ofSeconds(2)), TaskAccepted.class);
                assertThat(accepted).hasSize(count);
                assertThat(accepted.values()).allSatisfy(list -> assertThat(list).as("exactly once").hasSize(1));
            }
        }
    }

    @Test
    void aTokenExpiryMidBatchCausesOneRefresh() throws Exception {
        try (IngestService ingest = ingest("token");
                TopicReader tasks = new TopicReader(kafka.bootstrapServers(), config.topics().tasks())) {
            send(java.util.stream.IntStream.range(0, 20).mapToObj(i -> request("early-" + i, "acquia", "success")).toList());
            tasks.readUntil(seen -> seen.size() == 20, Duration.ofSeconds(60));
            long before = simulator.stats().tokensIssued();

            simulator.expireAllTokens();
            send(java.util.stream.IntStream.range(0, 20).mapToObj(i -> request("late-" + i, "acquia", "success")).toList());
            tasks.readUntil(seen -> seen.size() == 40, Duration.ofSeconds(60));

            assertThat(before).isEqualTo(1);
            assertThat(simulator.stats().tokensIssued()).as("one refresh for the batch, not one token per call").isEqualTo(2);
        }
    }

    @Test
    void aRequestLargerThanTheDeadLetterTopicTakesIsDeadLetteredWithoutBlockingItsPartition() throws Exception {
        kafka.createTopics(config.topics().all().stream()
                .map(topic -> new TopicSpec(topic.name(), topic.partitions(), topic.compacted())).toArray(TopicSpec[]::new));
        int large = 6 * 1024 * 1024; // the requests topic allows it below; the dead-letter topic takes 2 MiB at most
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, config.topics().requests()),
                    List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", Integer.toString(2 * large)),
                            AlterConfigOp.OpType.SET)))).all().get();
        }
        String padding = "x".repeat(large);
        byte[] huge = ("{\"taskId\":\"huge-1\",\"provider\":\"acquia\",\"method\":\"POST\",\"body\":\"" + padding + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Map<String, Object> props = new HashMap<>(kafka.producerConfig());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * large);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * large);
        Map.Entry<String, String> after = request("after-huge-1", "acquia", "success");
        try (IngestService ingest = ingest("huge");
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props);
                TopicReader deadLetters = new TopicReader(kafka.bootstrapServers(), config.topics().deadLetter());
                TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions());
                TopicReader tasks = new TopicReader(kafka.bootstrapServers(), config.topics().tasks())) {
            // Both on partition 0: the valid request behind the huge one proves the partition goes on.
            producer.send(new ProducerRecord<>(config.topics().requests(), 0, "huge-1", huge)).get();
            producer.send(new ProducerRecord<>(config.topics().requests(), 0, after.getKey(),
                    after.getValue().getBytes(StandardCharsets.UTF_8))).get();

            List<ConsumerRecord<String, byte[]>> dead = deadLetters.readUntil(seen -> !seen.isEmpty(), Duration.ofSeconds(60));
            tasks.readUntil(seen -> seen.stream().anyMatch(r -> r.key().equals("after-huge-1")), Duration.ofSeconds(60));
            List<ConsumerRecord<String, byte[]>> ended = completions.readUntil(
                    seen -> seen.stream().anyMatch(r -> r.key().equals("huge-1")), Duration.ofSeconds(30));

            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).key()).isEqualTo("huge-1");
            assertThat(dead.get(0).value()).isEqualTo(java.util.Arrays.copyOf(huge, DeadLetters.MAX_VALUE_BYTES));
            assertThat(new String(dead.get(0).headers().lastHeader(DeadLetters.VALUE_TRUNCATED).value(),
                    StandardCharsets.UTF_8)).isEqualTo(Integer.toString(huge.length));
            assertThat(new String(dead.get(0).headers().lastHeader(DeadLetters.ERROR_CODE).value(), StandardCharsets.UTF_8))
                    .isEqualTo("request_too_large");
            Completion rejected = byKey(ended, Completion.class).get("huge-1").get(0);
            assertThat(rejected.status()).isEqualTo(CompletionStatus.REJECTED);
            assertThat(rejected.error().code()).isEqualTo("request_too_large");
        }
    }
}
