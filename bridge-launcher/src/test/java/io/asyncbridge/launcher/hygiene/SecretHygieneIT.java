package io.asyncbridge.launcher.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.security.CallbackTokens;
import io.asyncbridge.launcher.testing.BridgeJvm;
import io.asyncbridge.launcher.testing.LauncherFixtures;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.UpstreamSimulator;
import io.asyncbridge.simulator.acquia.AcquiaApi;
import io.asyncbridge.simulator.elements.ElementsApi;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.records.TopicReader;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret hygiene of a full run: the three services in a child JVM (from bridge.jar, so every logger of every backend
 * is captured from its stdout and stderr, Kafka's at INFO, the bridge's at DEBUG), the simulator of both APIs, tasks
 * of both kinds that succeed, fail, are refused, time out, need a retry, meet a 401 and a token refresh, get badly
 * signed and forged webhooks, and invalid requests. Afterwards no secret may appear in the log or in any record of any
 * topic of the run (public, internal and Kafka Streams changelogs, read uncommitted so aborted writes count too).
 *
 * <p>The secrets are random per run, and the ones that only exist on the wire (OAuth2 tokens, Authorization values,
 * per-task callback tokens, webhook signatures) are recorded by two proxies: bridge -> proxy -> simulator and
 * simulator -> proxy -> webhook endpoint. The test first proves that its search finds a planted secret.
 */
@WithKafka
class SecretHygieneIT {

    @TempDir
    Path dir;

    private Process bridge;
    private UpstreamSimulator simulator;
    private Vertx vertx;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stopAll() throws Exception {
        if (bridge != null) {
            bridge.destroyForcibly();
        }
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void noSecretAppearsInAnyLogLineOrAnyRecordOfAFullRun(KafkaCluster kafka) throws Exception {
        String run = LauncherFixtures.runId();
        String clientId = "client-" + random();
        String clientSecret = random();
        String ceUser = random();
        String ceElement = random();
        String ceAuthorization = "User " + ceUser + ", Element " + ceElement;
        String signatureKey = random();
        String tokenSecret = random();

        vertx = Vertx.vertx();
        int simulatorPort = LauncherFixtures.freeLoopbackPort();
        int callbackPort = LauncherFixtures.freeLoopbackPort();
        // bridge -> proxy -> simulator, and the simulator's links lead back through the proxy (its public base URL)
        RecordingProxy upstream = new RecordingProxy(vertx, simulatorPort,
                Set.of("authorization", "elements-async-callback-url"));
        // simulator -> proxy -> webhook endpoint: the bridge tells upstreams to call back through it
        RecordingProxy callbacks = new RecordingProxy(vertx, callbackPort, Set.of("elements-webhook-signature"));
        closeables.add(upstream);
        closeables.add(callbacks);
        simulator = UpstreamSimulator.start(SimulatorConfig.builder().port(simulatorPort).publicBaseUrl(upstream.base())
                .acquiaClientId(clientId).acquiaClientSecret(clientSecret).elementsAuthorization(ceAuthorization)
                .elementsSignatureKey(signatureKey).taskDuration(Duration.ofMillis(800)).webhookDelay(Duration.ofMillis(300))
                .webhookRetrySchedule(List.of(Duration.ofMillis(300), Duration.ofMillis(300))).build());

        Path configFile = writeConfig(kafka, run, callbackPort, callbacks.base(), upstream.base(), clientId, clientSecret,
                ceAuthorization, signatureKey, tokenSecret);
        BridgeConfig config = new BridgeConfigLoader(Map.of()).load(configFile);
        LauncherFixtures.createTopics(kafka, config, 3);
        Path log = dir.resolve("bridge.log");
        bridge = startBridge(configFile, log, callbackPort);

        Map<String, String> batch = new LinkedHashMap<>();
        Set<String> expected = new LinkedHashSet<>();
        String[][] acquia = {{"ok", "success", null}, {"fail", "fail", null}, {"refused", "reject", null},
            {"retry", "create5xx=1", null}, {"throttled", "poll429=1", null}, {"lag", "lag404=500", null},
            {"ssrf-link", "bad-link", null}, {"no-link", "no-link", null}, {"not-json", "non-json", null},
            {"odd-word", "unknown-word", null}, {"never", "never", "PT3S"}};
        for (String[] task : acquia) {
            add(batch, expected, run + "-acquia-" + task[0], "acquia", "/applications/app-1/databases", task[1], task[2]);
        }
        String[][] documents = {{"ok", "success", null}, {"fail", "fail", null}, {"early", "early", null},
            {"dups", "duplicate=2", null}, {"badsig", "badsig", "PT3S"}, {"refused", "reject", null},
            {"never", "never", "PT3S"}};
        for (String[] task : documents) {
            add(batch, expected, run + "-documents-" + task[0], "documents", "/hubs/documents/folders/copy", task[1], task[2]);
        }
        String requests = config.topics().requests();
        List<ProducerRecord<String, byte[]>> invalid = List.of(
                new ProducerRecord<>(requests, run + "-bad-1", "not json at all".getBytes(StandardCharsets.UTF_8)),
                new ProducerRecord<>(requests, run + "-bad-2", ("{\"taskId\":\"" + run + "-bad-2\","
                        + "\"provider\":\"nobody\",\"method\":\"GET\"}").getBytes(StandardCharsets.UTF_8)),
                new ProducerRecord<>(requests, run + "-bad-3", ("{\"taskId\":\"" + run + "-bad-3\","
                        + "\"provider\":\"acquia\",\"method\":\"GET\","
                        + "\"headers\":{\"Authorization\":\"Bearer from-the-request\"}}")
                        .getBytes(StandardCharsets.UTF_8)));
        expected.add(run + "-bad-2");
        expected.add(run + "-bad-3");

        CallbackTokens tokens = new CallbackTokens(config.callbacks().tokenSecret().orElseThrow());
        try (TopicReader completions = new TopicReader(kafka.bootstrapServers(), config.topics().completions())) {
            LauncherFixtures.send(kafka, requests, batch);
            LauncherFixtures.send(kafka, invalid);
            forgeWebhooks(callbackPort, tokens, run);
            completions.readUntil(seen -> LauncherFixtures.keys(seen).containsAll(firstBatch(expected)),
                    Duration.ofSeconds(90));

            simulator.expireAllTokens(); // the next Acquia call meets a 401 and the bridge refreshes its token
            Map<String, String> afterExpiry = new LinkedHashMap<>();
            add(afterExpiry, expected, run + "-acquia-refresh-1", "acquia", "/applications/app-1/databases", "success", null);
            add(afterExpiry, expected, run + "-acquia-refresh-2", "acquia", "/applications/app-1/databases", "success", null);
            LauncherFixtures.send(kafka, requests, afterExpiry);
            List<ConsumerRecord<String, byte[]>> seen = completions.readUntil(
                    s -> LauncherFixtures.keys(s).containsAll(expected), Duration.ofSeconds(90));
            assertThat(statusOf(seen, run + "-acquia-refresh-1")).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(statusOf(seen, run + "-acquia-ok")).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(statusOf(seen, run + "-documents-ok")).isEqualTo(CompletionStatus.SUCCEEDED);
        }
        assertThat(simulator.stats().unauthorizedRequests()).as("a 401 happened").isPositive();
        assertThat(simulator.stats().tokensIssued()).as("and the token was refreshed").isGreaterThanOrEqualTo(2);

        bridge.destroy(); // SIGTERM: the shutdown path logs too
        assertThat(bridge.waitFor(60, TimeUnit.SECONDS)).as("the bridge stops on SIGTERM").isTrue();
        String logText = Files.readString(log, StandardCharsets.UTF_8);
        List<String> records = readAllRecords(kafka, run);

        Set<String> secrets = new LinkedHashSet<>(List.of(clientSecret, ceUser, ceElement, ceAuthorization, signatureKey,
                tokenSecret, Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8))));
        Set<String> tokensSeen = accessTokens(upstream.answers);
        Set<String> authorizations = Set.copyOf(upstream.headerValues.stream().filter(v -> !v.startsWith("http")).toList());
        Set<String> callbackTokens = new LinkedHashSet<>();
        upstream.headerValues.stream().filter(v -> v.startsWith("http")).forEach(url -> callbackTokens.add(lastSegment(url)));
        callbacks.paths.stream().filter(path -> path.split("/").length == 5).forEach(path -> callbackTokens.add(lastSegment(path)));
        for (String taskId : expected) {
            callbackTokens.add(tokens.tokenFor("documents", taskId));
        }
        Set<String> signatures = Set.copyOf(callbacks.headerValues);
        secrets.addAll(tokensSeen);
        secrets.addAll(authorizations);
        secrets.addAll(callbackTokens);
        secrets.addAll(signatures);

        // The search is meaningful: the secrets were really used, and a planted one is found.
        assertThat(tokensSeen).as("OAuth2 tokens issued through the proxy").hasSizeGreaterThanOrEqualTo(2);
        assertThat(authorizations).as("Authorization values on the wire")
                .anyMatch(value -> value.startsWith("Bearer ")).contains(ceAuthorization);
        assertThat(signatures).as("webhook signatures on the wire").hasSizeGreaterThanOrEqualTo(3);
        assertThat(callbacks.paths).as("webhooks through the proxy").hasSizeGreaterThanOrEqualTo(3);
        assertThat(logText).as("the log is the services' log").contains("callbacks: listening for webhooks",
                run + "-acquia-ok", "webhook refused");
        assertThat(records).as("records of the run").hasSizeGreaterThan(50);
        String planted = "log line with " + tokensSeen.iterator().next() + " inside";
        assertThat(leaks(List.of(planted), secrets)).as("the search finds a planted secret").isNotEmpty();

        System.out.printf("SecretHygieneIT: %d secrets (%d OAuth2 tokens, %d Authorization values, %d callback tokens,"
                + " %d webhook signatures) searched in %d log lines and %d records of %d topics%n", secrets.size(),
                tokensSeen.size(), authorizations.size(), callbackTokens.size(), signatures.size(), logText.lines().count(),
                records.size(), records.stream().map(r -> r.substring(0, r.indexOf(' '))).distinct().count());
        assertThat(leaks(List.of(logText), secrets)).as("secrets in the log").isEmpty();
        assertThat(leaks(records, secrets)).as("secrets in records").isEmpty();
    }

    // ---- the run

    private Path writeConfig(KafkaCluster kafka, String run, int callbackPort, String callbackProxy, String upstream,
            String clientId, String clientSecret, String ceAuthorization, String signatureKey, String tokenSecret)
            throws IOException {
        String yaml = LauncherFixtures.kafkaAndTopicsYaml(kafka, "hygiene", run) + """
                callbacks:
                  host: 127.0.0.1
                  port: %1$d
                  publicBaseUrl: %2$s
                  tokenSecret: %3$s
                providers:
                  acquia:
                    type: acquia
                    baseUrl: %4$s/api
                    tokenUrl: %4$s%5$s
                    clientId: %6$s
                    clientSecret: %7$s
                    poll: {initialDelay: 200ms, initialInterval: 300ms, multiplier: 1.5, maxInterval: 1s}
                    dispatch: {initialBackoff: 200ms}
                  documents:
                    type: cloud-elements
                    baseUrl: %4$s%8$s
                    authorization: "%9$s"
                    signatureKey: %10$s
                """.formatted(callbackPort, callbackProxy, tokenSecret, upstream,
                AcquiaApi.TOKEN_PATH, clientId, clientSecret, ElementsApi.BASE_PATH, ceAuthorization, signatureKey);
        return Files.writeString(dir.resolve("bridge.yaml"), yaml);
    }

    private Process startBridge(Path configFile, Path log, int callbackPort) throws Exception {
        Process process = BridgeJvm.start(log, List.of("-Xmx384m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info", "-Dorg.slf4j.simpleLogger.log.io.asyncbridge=debug"),
                "io.asyncbridge.launcher.BridgeCli", "run", "--config", configFile.toString(),
                "--state-dir", dir.resolve("state").toString());
        try {
            BridgeJvm.awaitReady(process, callbackPort, log, Duration.ofSeconds(90));
        } catch (AssertionError notReady) {
            process.destroyForcibly(); // not yet the test's to stop
            throw notReady;
        }
        return process;
    }

    private static void add(Map<String, String> batch, Set<String> expected, String taskId, String provider, String path,
            String scenario, String timeout) {
        batch.put(taskId, LauncherFixtures.simulatorRequest(taskId, provider, path, scenario, timeout, Map.of()));
        expected.add(taskId);
    }

    private static Set<String> firstBatch(Set<String> expected) {
        Set<String> first = new LinkedHashSet<>(expected);
        first.removeIf(taskId -> taskId.contains("-refresh-"));
        return first;
    }

    /** Webhooks nobody should accept, straight to the endpoint: they must be refused and logged without secrets. */
    private void forgeWebhooks(int callbackPort, CallbackTokens tokens, String run) throws Exception {
        String base = "http://127.0.0.1:" + callbackPort;
        byte[] body = "{\"eventId\":1,\"response\":{}}".getBytes(StandardCharsets.UTF_8);
        String taskId = run + "-documents-ok";
        assertThat(post(base + "/callbacks/documents/" + taskId + "/" + tokens.tokenFor("documents", "someone-else"),
                "sha256=AAAA", body)).isEqualTo(401);
        assertThat(post(base + "/callbacks/documents/" + taskId + "/" + tokens.tokenFor("documents", taskId),
                "sha256=" + Base64.getEncoder().encodeToString("forged".getBytes(StandardCharsets.UTF_8)), body)).isEqualTo(401);
        assertThat(post(base + "/callbacks/documents", null, body)).isEqualTo(401);
    }

    private int post(String url, String signature, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("Elements-Webhook-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    // ---- what the run left behind

    /** Every record of every topic of this run (the run id is in each name), key, value and headers as text. */
    private static List<String> readAllRecords(KafkaCluster kafka, String run) throws Exception {
        List<String> topics;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().filter(name -> name.contains(run)).toList();
        }
        assertThat(topics).as("public, internal and changelog topics of the run")
                .anyMatch(name -> name.startsWith("completions-")).anyMatch(name -> name.endsWith("-changelog"));
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"); // aborted writes count too
        List<String> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && Instant.now().isBefore(giveUp)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    StringBuilder text = new StringBuilder(record.topic()).append(' ').append(text(record.key()))
                            .append(' ').append(text(record.value()));
                    for (Header header : record.headers()) {
                        text.append(' ').append(header.key()).append('=').append(text(header.value()));
                    }
                    records.add(text.toString());
                }
            }
        }
        return records;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1); // byte for byte: ASCII secrets match
    }

    private static Set<String> accessTokens(List<String> answers) {
        Set<String> tokens = new LinkedHashSet<>();
        for (String answer : answers) {
            try {
                var node = EventJson.newMapper().readTree(answer);
                if (node != null && node.hasNonNull("access_token")) {
                    tokens.add(node.get("access_token").asText());
                }
            } catch (IOException notJson) {
                // not a token answer
            }
        }
        return tokens;
    }

    /** The secrets found in any of the texts; secrets shorter than 8 characters cannot be told from ordinary text. */
    private static Set<String> leaks(List<String> texts, Set<String> secrets) {
        Set<String> found = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret.length() >= 8 && texts.stream().anyMatch(text -> text.contains(secret))) {
                found.add(secret);
            }
        }
        return found;
    }

    private static CompletionStatus statusOf(List<ConsumerRecord<String, byte[]>> records, String taskId) {
        JsonSerde<Completion> serde = new JsonSerde<>(Completion.class, EventJson.newMapper());
        return records.stream().filter(record -> taskId.equals(record.key()))
                .map(record -> serde.deserialize(record.topic(), record.value()).status()).findFirst().orElse(null);
    }

    private static String lastSegment(String pathOrUrl) {
        return pathOrUrl.substring(pathOrUrl.lastIndexOf('/') + 1);
    }

    private static String random() {
        SecureRandom random = new SecureRandom();
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder text = new StringBuilder("H");
        for (int i = 0; i < 31; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
