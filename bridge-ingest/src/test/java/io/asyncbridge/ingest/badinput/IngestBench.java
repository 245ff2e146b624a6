package io.asyncbridge.ingest.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.security.CallbackTokens;
import io.asyncbridge.ingest.dispatch.HttpUpstreamDispatcher;
import io.asyncbridge.ingest.dispatch.UpstreamCallBuilder;
import io.asyncbridge.ingest.topology.DeadLetters;
import io.asyncbridge.ingest.topology.IngestMeters;
import io.asyncbridge.ingest.topology.IngestSettings;
import io.asyncbridge.ingest.topology.IngestTopology;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.request.RequestParser;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import io.asyncbridge.testkit.time.MutableClock;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The real ingest topology (TopologyTestDriver) wired to the real HTTP dispatcher, which calls a {@link FakeUpstream}
 * on loopback; the dispatcher's RESULT records (written to a MockProducer) are piped back into the topology, as Kafka
 * would. A case submits one record and gets everything it caused: dead letters, completions, hand-overs and the
 * upstream calls. Secrets are random per run, so a search for them in the outcomes means something.
 */
final class IngestBench implements AutoCloseable {

  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final Duration STEP = Duration.ofMillis(100);

  /** What one submitted record caused, once it settled. */
  record Outcome(List<TestRecord<byte[], byte[]>> deadLetters, List<Completion> completions,
      List<TaskAccepted> accepted, List<FakeUpstream.Call> calls, int tokenFetches) {

    String deadLetterCode() {
      assertThat(deadLetters).as("dead letters").hasSize(1);
      return header(deadLetters.get(0), DeadLetters.ERROR_CODE);
    }

    String deadLetterMessage() {
      return header(deadLetters.get(0), DeadLetters.ERROR_MESSAGE);
    }
  }

  final String clientSecret = random();
  final String accessToken = random();
  final String ceUserSecret = random();
  final String ceElementSecret = random();
  final String signatureKey = random();
  final String tokenSecret = random();
  final String apiKey = random();
  final String ceAuthorization = "User " + ceUserSecret + ", Element " + ceElementSecret;

  final MutableClock clock = new MutableClock(T0);
  final Vertx vertx = Vertx.vertx();
  final FakeUpstream upstream;
  final BridgeConfig config;
  final CallbackTokens callbackTokens;
  private final Path stateDir;
  private final MockProducer<String, byte[]> results = new MockProducer<>(true, null, new StringSerializer(),
      new ByteArraySerializer());
  private final HttpUpstreamDispatcher dispatcher;
  private final TopologyTestDriver driver;
  private final TestInputTopic<byte[], byte[]> requests;
  private final TestInputTopic<String, byte[]> resultsIn;
  private final TestOutputTopic<byte[], byte[]> deadLetters;
  private final TestOutputTopic<String, Completion> completions;
  private final TestOutputTopic<String, TaskAccepted> tasks;
  private final JsonSerde<Completion> completionSerde;
  private final ObjectMapper json = EventJson.newMapper();
  private final EventSchemaValidator validator = EventSchemaValidator.create();
  private final AtomicInteger validCount = new AtomicInteger();
  private int pumped;

  IngestBench() throws Exception {
    upstream = new FakeUpstream(vertx, accessToken, ceAuthorization);
    upstream.answer("accept", (request, body) -> FakeUpstream.json(request, 202,
        "{\"_links\":{\"notification\":{\"href\":\"" + upstream.base() + "/api/notifications/n-1\"}}}"));
    upstream.answer("ce-accept", (request, body) -> FakeUpstream.json(request, 200, "{\"eventId\":1028}"));
    config = new BridgeConfigLoader(Map.of()).parse("corpus.yaml", """
        callbacks:
          publicBaseUrl: https://bridge.example.com
          tokenSecret: %2$s
        providers:
          acquia:
            type: acquia
            baseUrl: %1$s/api
            tokenUrl: %1$s/token
            clientId: corpus-client
            clientSecret: %3$s
            dispatch: {maxAttempts: 2, initialBackoff: 100ms, maxBackoff: 200ms, requestTimeout: 500ms}
          refused:
            type: acquia
            baseUrl: %1$s/api
            tokenUrl: %1$s/token-refused
            clientId: corpus-client
            clientSecret: %3$s
            dispatch: {maxAttempts: 2, initialBackoff: 100ms, maxBackoff: 200ms, requestTimeout: 500ms}
          documents:
            type: cloud-elements
            baseUrl: %1$s/elements
            authorization: "%4$s"
            signatureKey: %5$s
            dispatch: {maxAttempts: 2, initialBackoff: 100ms, maxBackoff: 200ms, requestTimeout: 500ms}
          azure:
            type: http-lro
            baseUrl: %1$s/lro
            auth: {type: header, header: X-Api-Key, value: %6$s}
            dispatch: {maxAttempts: 2, initialBackoff: 100ms, maxBackoff: 200ms, requestTimeout: 500ms}
          google:
            type: google-lro
            baseUrl: %1$s/ops
            auth: {type: header, header: X-Goog-Api-Key, value: %6$s}
            dispatch: {maxAttempts: 2, initialBackoff: 100ms, maxBackoff: 200ms, requestTimeout: 500ms}
          keyed:
            type: generic
            mode: poll
            baseUrl: %1$s/keyed
            auth: {type: header, header: X-Api-Key, value: %6$s}
            notificationLinkPointer: /link
            status: {succeeded: [done]}
        """.formatted(upstream.base(), tokenSecret, clientSecret, ceAuthorization, signatureKey, apiKey));
    callbackTokens = new CallbackTokens(config.callbacks().tokenSecret().orElseThrow());
    UpstreamCallBuilder calls = new UpstreamCallBuilder(json, config.callbacks().publicBaseUrl(),
        config.callbacks().tokenSecret().map(CallbackTokens::new));
    dispatcher = new HttpUpstreamDispatcher(config, vertx, results, calls, json, clock,
        ServiceMeters.forTests("ingest", config));
    stateDir = Files.createTempDirectory("ingest-corpus");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-corpus");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(IngestTopology.build(config, IngestSettings.defaults(), dispatcher,
        RequestParser.create(), clock, new IngestMeters(ServiceMeters.forTests("ingest", config))), props, T0);
    requests = driver.createInputTopic(config.topics().requests(), new ByteArraySerializer(), new ByteArraySerializer());
    resultsIn = driver.createInputTopic(config.topics().dispatchResults(), new StringSerializer(),
        new ByteArraySerializer());
    deadLetters = driver.createOutputTopic(config.topics().deadLetter(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    completionSerde = new JsonSerde<>(Completion.class, json);
    completions = driver.createOutputTopic(config.topics().completions(), new StringDeserializer(),
        completionSerde.deserializer());
    tasks = driver.createOutputTopic(config.topics().tasks(), new StringDeserializer(),
        new JsonSerde<>(TaskAccepted.class, json).deserializer());
  }

  static String random() {
    SecureRandom random = new SecureRandom();
    StringBuilder text = new StringBuilder("S");
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    for (int i = 0; i < 31; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  /** A valid request of {@code provider} whose call goes to {@code .../answers/<answer>}. */
  static String request(String taskId, String provider, String answer) {
    return "{\"taskId\":\"" + taskId + "\",\"provider\":\"" + provider + "\",\"method\":\"POST\",\"path\":\"/answers/"
        + answer + "\",\"body\":{\"name\":\"db\"},\"metadata\":{\"case\":\"" + taskId + "\"}}";
  }

  /** Pipes one record and drives the bridge until {@code taskId} (when not null) has ended or been handed over. */
  Outcome submit(byte[] key, byte[] value, RecordHeaders headers, String taskId, Duration maxSimulated) {
    int callsBefore = upstream.calls.size();
    int fetchesBefore = upstream.tokenFetches.get();
    List<TestRecord<byte[], byte[]>> dead = new ArrayList<>();
    List<Completion> ended = new ArrayList<>();
    List<TaskAccepted> handedOver = new ArrayList<>();
    requests.pipeInput(new TestRecord<>(key, value, headers == null ? new RecordHeaders() : headers, clock.instant()));
    Instant giveUp = clock.instant().plus(maxSimulated);
    while (true) {
      awaitIdle();
      pumpResults();
      collect(dead, ended, handedOver);
      boolean settled = taskId == null
          || ended.stream().anyMatch(c -> c.taskId().equals(taskId))
          || handedOver.stream().anyMatch(t -> t.taskId().equals(taskId));
      if (settled || !clock.instant().isBefore(giveUp)) {
        break;
      }
      clock.advance(STEP);
      driver.advanceWallClockTime(STEP);
    }
    awaitIdle();
    pumpResults();
    collect(dead, ended, handedOver);
    List<FakeUpstream.Call> calls = List.copyOf(upstream.calls.subList(callsBefore, upstream.calls.size()));
    return new Outcome(dead, ended, handedOver, calls, upstream.tokenFetches.get() - fetchesBefore);
  }

  Outcome submit(String key, String value, String taskId) {
    return submit(utf8(key), utf8(value), null, taskId, Duration.ofSeconds(30));
  }

  /**
   * The invariant after every bad input: a valid request still goes through (nothing blocked, nothing lost), is
   * called upstream exactly once and handed over exactly once.
   */
  void assertAValidRequestStillGoesThrough() {
    String taskId = "valid-" + validCount.incrementAndGet();
    Outcome outcome = submit(taskId, request(taskId, "acquia", "accept"), taskId);
    assertThat(outcome.deadLetters()).as("dead letters of the valid request").isEmpty();
    assertThat(outcome.completions()).as("completions of the valid request").isEmpty();
    assertThat(outcome.accepted()).as("hand-over of the valid request").hasSize(1);
    assertThat(outcome.accepted().get(0).taskId()).isEqualTo(taskId);
    assertThat(outcome.calls()).filteredOn(call -> call.path().equals("/api/answers/accept")).hasSize(1);
  }

  /** Every secret the bridge holds or handled in this run, including per-task callback tokens it sent upstream. */
  List<String> secrets() {
    List<String> secrets = new ArrayList<>(List.of(clientSecret, accessToken, ceUserSecret, ceElementSecret,
        signatureKey, tokenSecret, apiKey));
    String callbacks = config.callbacks().publicBaseUrl().orElseThrow() + "/callbacks/documents/";
    for (FakeUpstream.Call call : upstream.calls) {
      String callbackUrl = call.headers().get("Elements-Async-Callback-Url");
      if (call.path().startsWith("/elements/") && callbackUrl != null && callbackUrl.startsWith(callbacks)) {
        secrets.add(callbackUrl.substring(callbackUrl.lastIndexOf('/') + 1));
      }
    }
    return secrets;
  }

  /** No secret in anything the bridge wrote: dead-letter headers, completions (as JSON), hand-overs. */
  void assertNoSecretIn(Outcome outcome) {
    List<String> texts = new ArrayList<>();
    for (TestRecord<byte[], byte[]> record : outcome.deadLetters()) {
      for (Header header : record.headers()) {
        texts.add(header.key() + "=" + new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    outcome.completions().forEach(c -> texts.add(new String(completionSerde.serialize("c", c), StandardCharsets.UTF_8)));
    outcome.accepted().forEach(t -> texts.add(t.toString()));
    for (String secret : secrets()) {
      assertThat(texts).as("outcomes hold no secret").noneMatch(text -> text.contains(secret));
    }
  }

  /** Every completion matches the contract's schema. */
  void assertSchemaValid(Outcome outcome) {
    for (Completion completion : outcome.completions()) {
      assertThat(validator.validate(EventType.COMPLETION, completionSerde.serialize("c", completion)))
          .as("completion of %s matches the schema", completion.taskId()).isEmpty();
    }
  }

  private void awaitIdle() {
    assertThat(dispatcher.awaitIdle(Duration.ofSeconds(20))).as("the dispatcher settles").isTrue();
  }

  private void pumpResults() {
    List<ProducerRecord<String, byte[]>> history = results.history();
    for (; pumped < history.size(); pumped++) {
      ProducerRecord<String, byte[]> result = history.get(pumped);
      resultsIn.pipeInput(new TestRecord<>(result.key(), result.value(), clock.instant()));
    }
  }

  private void collect(List<TestRecord<byte[], byte[]>> dead, List<Completion> ended, List<TaskAccepted> handedOver) {
    dead.addAll(deadLetters.readRecordsToList());
    ended.addAll(completions.readValuesToList());
    handedOver.addAll(tasks.readValuesToList());
  }

  static String header(TestRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws Exception {
    driver.close();
    dispatcher.close();
    upstream.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (var files = Files.walk(stateDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
