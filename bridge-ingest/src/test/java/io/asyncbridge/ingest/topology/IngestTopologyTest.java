package io.asyncbridge.ingest.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.ingest.dispatch.DispatchEvent;
import io.asyncbridge.ingest.dispatch.DispatchJob;
import io.asyncbridge.ingest.dispatch.UpstreamDispatcher;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.request.RequestParser;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import io.asyncbridge.testkit.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTopologyTest {

  private static final String CONFIG = """
      callbacks:
        publicBaseUrl: https://bridge.example.com
        tokenSecret: test-secret-of-enough-length
      providers:
        acquia:
          type: acquia
          baseUrl: https://cloud.acquia.com/api
          clientId: id
          clientSecret: secret
          dispatch: {maxAttempts: 3, initialBackoff: 1s, maxBackoff: 10s}
        acquia-keyed:
          type: acquia
          baseUrl: https://cloud.acquia.com/api
          clientId: id
          clientSecret: secret
          dispatch: {idempotencyKey: Idempotency-Key}
        documents:
          type: cloud-elements
          baseUrl: https://api.cloud-elements.com/elements/api-v2
          authorization: User a, Element b
      """;

  @TempDir
  Path stateDir;

  private final ObjectMapper json = EventJson.newMapper();
  private final EventSchemaValidator validator = EventSchemaValidator.create();
  // Sub-millisecond on purpose: real clocks have it, and the due index keeps milliseconds.
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00.123456789Z"));
  private final FakeDispatcher dispatcher = new FakeDispatcher();
  private BridgeConfig config;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> requests;
  private TestInputTopic<String, DispatchEvent> results;
  private TestOutputTopic<String, Completion> completions;
  private TestOutputTopic<String, TaskAccepted> tasks;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private IngestMeters meters;

  @BeforeEach
  void start() {
    config = new BridgeConfigLoader(Map.of()).parse("test", CONFIG);
    startDriver(new IngestSettings(Duration.ofHours(1), 64 * 1024, Duration.ofMillis(100)));
  }

  private void startDriver(IngestSettings settings) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    meters = new IngestMeters(ServiceMeters.forTests("ingest", config));
    driver = new TopologyTestDriver(IngestTopology.build(config, settings, dispatcher, RequestParser.create(), clock,
        meters), props, clock.instant());
    requests = driver.createInputTopic(config.topics().requests(), new ByteArraySerializer(), new ByteArraySerializer());
    results = driver.createInputTopic(config.topics().dispatchResults(), new StringSerializer(),
        new JsonSerde<>(DispatchEvent.class, json).serializer());
    completions = driver.createOutputTopic(config.topics().completions(), new StringDeserializer(),
        new JsonSerde<>(Completion.class, json).deserializer());
    tasks = driver.createOutputTopic(config.topics().tasks(), new StringDeserializer(),
        new JsonSerde<>(TaskAccepted.class, json).deserializer());
    deadLetters = driver.createOutputTopic(config.topics().deadLetter(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private void send(String key, String value) {
    requests.pipeInput(new TestRecord<>(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8), clock.instant()));
  }

  private static String request(String taskId, String provider, String extra) {
    return "{\"taskId\":\"" + taskId + "\",\"provider\":\"" + provider + "\",\"method\":\"POST\","
        + "\"path\":\"/applications/app-1/databases\",\"body\":{\"name\":\"db\"},\"metadata\":{\"team\":\"blue\"}"
        + extra + "}";
  }

  private Instant submitted() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  private void advance(Duration duration) {
    clock.advance(duration);
    driver.advanceWallClockTime(duration);
  }

  private Completion onlyCompletion() {
    List<TestRecord<String, Completion>> all = completions.readRecordsToList();
    assertThat(all).hasSize(1);
    Completion completion = all.get(0).value();
    String text = new String(new JsonSerde<>(Completion.class, json).serialize("t", completion), StandardCharsets.UTF_8);
    assertThat(validator.validate(EventType.COMPLETION, text)).as("completion matches the schema").isEmpty();
    assertThat(all.get(0).headers().lastHeader("ce_subject").value()).isEqualTo(completion.taskId().getBytes());
    return completion;
  }

  private void answer(DispatchJob job, DispatchEvent event) {
    results.pipeInput(job.taskId(), event);
  }

  @Test
  void aValidRequestIsSentOnceItsIntentIsReadBackAndHandedOverWhenAccepted() {
    send("db-1", request("db-1", "acquia", ""));

    assertThat(dispatcher.jobs).hasSize(1);
    DispatchJob job = dispatcher.jobs.get(0);
    assertThat(job.attempt()).isEqualTo(1);
    assertThat(job.request().path()).isEqualTo("/applications/app-1/databases");

    answer(job, DispatchEvent.accepted(job, 202, "https://cloud.acquia.com/api/notifications/n-1", null));

    TaskAccepted accepted = tasks.readValue();
    assertThat(accepted.taskId()).isEqualTo("db-1");
    assertThat(accepted.mode()).isEqualTo(TaskMode.POLL);
    assertThat(accepted.notificationUrl()).isEqualTo("https://cloud.acquia.com/api/notifications/n-1");
    assertThat(accepted.deadline()).as("from the record's timestamp, which Kafka keeps in milliseconds")
        .isEqualTo(submitted().plus(Duration.ofHours(1)));
    assertThat(accepted.metadata()).containsEntry("team", "blue");
    assertThat(completions.isEmpty()).as("the poll path owns the completion now").isTrue();
  }

  static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private void sendWithHeaders(String key, String value, String... headers) {
    org.apache.kafka.common.header.internals.RecordHeaders recordHeaders =
        new org.apache.kafka.common.header.internals.RecordHeaders();
    for (int i = 0; i < headers.length; i += 2) {
      recordHeaders.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    requests.pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
        recordHeaders, clock.instant()));
  }

  @Test
  void theRequestsTraceContextGoesToTheUpstreamCallTheHandOverAndIngestsCompletions() {
    sendWithHeaders("tr-1", request("tr-1", "acquia", ""), "traceparent", TRACEPARENT, "tracestate", "vendor=abc");
    sendWithHeaders("tr-2", request("tr-2", "acquia", ""), "traceparent", TRACEPARENT);
    sendWithHeaders("tr-3", request("tr-3", "nobody", ""), "traceparent", TRACEPARENT);

    DispatchJob job = dispatcher.jobs.get(0);
    assertThat(job.trace().traceparent()).isEqualTo(TRACEPARENT);
    assertThat(job.trace().tracestate()).isEqualTo("vendor=abc");
    answer(job, DispatchEvent.accepted(job, 202, "https://cloud.acquia.com/api/notifications/n-1", null));
    assertThat(tasks.readValue().trace().traceparent()).isEqualTo(TRACEPARENT);

    DispatchJob refused = dispatcher.jobs.get(1);
    answer(refused, DispatchEvent.ended(refused, DispatchEvent.Outcome.REJECTED, 400, "upstream_rejected", "no",
        null));
    List<TestRecord<String, Completion>> ended = completions.readRecordsToList();
    assertThat(ended).hasSize(2).allSatisfy(record -> assertThat(new String(record.headers().lastHeader("traceparent")
        .value(), StandardCharsets.US_ASCII)).isEqualTo(TRACEPARENT));
  }

  @Test
  void aReplayedRequestRestartsATaskThatWasOnlyRejectedButNoOther() {
    send("rp-1", request("rp-1", "nobody", ""));
    send("rp-2", request("rp-2", "acquia", ""));
    assertThat(completions.readValue().status()).isEqualTo(CompletionStatus.REJECTED);
    assertThat(dispatcher.jobs).hasSize(1);

    send("rp-1", request("rp-1", "acquia", ""));
    assertThat(dispatcher.jobs).as("without the replay header it is a duplicate").hasSize(1);

    sendWithHeaders("rp-1", request("rp-1", "acquia", ""), DeadLetters.REPLAY, "at=now");
    assertThat(dispatcher.jobs).hasSize(2);
    assertThat(dispatcher.jobs.get(1).taskId()).isEqualTo("rp-1");

    sendWithHeaders("rp-2", request("rp-2", "acquia", ""), DeadLetters.REPLAY, "at=now");
    sendWithHeaders("rp-1", request("rp-1", "acquia", ""), DeadLetters.REPLAY, "at=now");
    assertThat(dispatcher.jobs).as("a task that is running or was sent is never restarted").hasSize(2);
    assertThat(completions.isEmpty()).isTrue();
  }

  private static String cancel(String taskId, String reason) {
    return "{\"taskId\":\"" + taskId + "\",\"cancel\":true" + (reason == null ? "" : ",\"reason\":\"" + reason + "\"")
        + "}";
  }

  @Test
  void aCancelBeforeDispatchEndsTheTaskWhichIsNeverSent() {
    dispatcher.capacity = false; // the provider's lane is full: the task waits, its call not made
    send("c-1", request("c-1", "acquia", ""));
    assertThat(dispatcher.jobs).isEmpty();

    send("c-1", cancel("c-1", "the customer closed the ticket"));

    Completion cancelled = onlyCompletion();
    assertThat(cancelled.status()).isEqualTo(CompletionStatus.CANCELLED);
    assertThat(cancelled.via()).isEqualTo(Via.INGEST);
    assertThat(cancelled.error().code()).isEqualTo("cancelled");
    assertThat(cancelled.error().message()).isEqualTo("cancelled before it was sent upstream: the customer closed the"
        + " ticket");
    assertThat(cancelled.metadata()).containsEntry("team", "blue");
    dispatcher.capacity = true;
    advance(Duration.ofSeconds(5));
    assertThat(dispatcher.jobs).as("never sent upstream").isEmpty();

    send("c-1", cancel("c-1", null));
    send("c-1", request("c-1", "acquia", ""));
    assertThat(completions.isEmpty()).as("no second completion").isTrue();
    assertThat(dispatcher.jobs).isEmpty();
    assertThat(meters.cancelsIgnored("ended")).isEqualTo(1);
  }

  @Test
  void aCancelWhileTheCallIsInFlightEndsTheTaskAndItsLateAnswerIsIgnored() {
    send("c-2", request("c-2", "acquia", ""));
    DispatchJob job = dispatcher.jobs.get(0);

    send("c-2", cancel("c-2", null));
    Completion cancelled = onlyCompletion();
    assertThat(cancelled.status()).isEqualTo(CompletionStatus.CANCELLED);
    assertThat(cancelled.error().message()).contains("may have started it", "cancelled by request");

    answer(job, DispatchEvent.accepted(job, 202, "https://cloud.acquia.com/api/notifications/n-2", null));
    assertThat(tasks.isEmpty()).as("not handed over: nobody follows a cancelled task").isTrue();
    assertThat(completions.isEmpty()).isTrue();
  }

  @Test
  void aCancelAfterTheEndOrForAnUnknownTaskChangesNothing() {
    send("c-3", request("c-3", "acquia", ""));
    DispatchJob job = dispatcher.jobs.get(0);
    answer(job, DispatchEvent.ended(job, DispatchEvent.Outcome.REJECTED, 400, "upstream_rejected", "no", null));
    assertThat(onlyCompletion().status()).isEqualTo(CompletionStatus.REJECTED);
    send("c-4", request("c-4", "acquia", ""));
    DispatchJob handed = dispatcher.jobs.get(1);
    answer(handed, DispatchEvent.accepted(handed, 202, "https://cloud.acquia.com/api/notifications/n-4", null));
    assertThat(tasks.readValuesToList()).hasSize(1);

    send("c-3", cancel("c-3", "too late"));
    send("nobody-knows", cancel("nobody-knows", "unknown"));

    assertThat(completions.isEmpty()).isTrue();
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(tasks.isEmpty()).isTrue();
    assertThat(meters.cancelsIgnored("ended")).isEqualTo(1);
    assertThat(meters.cancelsIgnored("unknown")).isEqualTo(1);
    send("nobody-knows", request("nobody-knows", "acquia", ""));
    assertThat(dispatcher.jobs).as("an unknown task's cancel does not block a later request").hasSize(3);
  }

  @Test
  void aCancelOfAHandedOverTaskIsForwardedToTheServiceThatFollowsIt() {
    send("c-4", request("c-4", "acquia", ""));
    DispatchJob polled = dispatcher.jobs.get(0);
    answer(polled, DispatchEvent.accepted(polled, 202, "https://cloud.acquia.com/api/notifications/n-4", null));
    send("c-5", request("c-5", "documents", ""));
    DispatchJob called = dispatcher.jobs.get(1);
    answer(called, DispatchEvent.accepted(called, 202, null, "evt-5"));
    assertThat(tasks.readValuesToList()).hasSize(2);

    send("c-4", cancel("c-4", "handed over"));
    send("c-5", cancel("c-5", null));

    assertThat(completions.isEmpty()).as("the owner publishes the completion, not ingest").isTrue();
    var forwarded = tasks.readKeyValuesToList();
    assertThat(forwarded).extracting(record -> record.key).containsExactly("c-4", "c-5");
    TaskAccepted poll = forwarded.get(0).value;
    assertThat(poll.cancels()).isTrue();
    assertThat(poll.mode()).as("no mode: readers from before cancels skip it").isNull();
    assertThat(poll.cancel().mode()).isEqualTo(io.asyncbridge.schemas.task.TaskMode.POLL);
    assertThat(poll.cancel().reason()).isEqualTo("handed over");
    assertThat(poll.provider()).isEqualTo("acquia");
    TaskAccepted callback = forwarded.get(1).value;
    assertThat(callback.cancel().mode()).isEqualTo(io.asyncbridge.schemas.task.TaskMode.CALLBACK);
    assertThat(callback.cancel().reason()).isNull();
    assertThat(callback.correlationId()).as("the callbacks service keys the task by it").isEqualTo("evt-5");
    assertThat(meters.cancelsForwarded()).isEqualTo(2);
    assertThat(meters.cancelsIgnored("handed_over")).isZero();
  }

  @Test
  void aBrokenCancelIsDeadLetteredAndEndsNothing() {
    dispatcher.capacity = false;
    send("c-5", request("c-5", "acquia", ""));

    send("c-5", "{\"taskId\":\"c-5\",\"cancel\":\"yes\"}");
    send("other-key", cancel("c-5", "wrong key"));
    send("c-6", "{\"taskId\":\"c-6\",\"cancel\":true,\"provider\":\"acquia\"}");

    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
    assertThat(dead).extracting(record -> header(record, DeadLetters.ERROR_CODE))
        .containsExactly("invalid_request", "invalid_key", "invalid_request");
    assertThat(completions.isEmpty()).as("neither c-5 nor the unknown c-6 gets a completion").isTrue();
    dispatcher.capacity = true;
    advance(Duration.ofSeconds(1));
    assertThat(dispatcher.jobs).extracting(DispatchJob::taskId).containsExactly("c-5");
  }

  @Test
  void aDuplicateTaskIdIsNotSentAgain() {
    send("db-1", request("db-1", "acquia", ""));
    send("db-1", request("db-1", "acquia", ""));
    answer(dispatcher.jobs.get(0), DispatchEvent.accepted(dispatcher.jobs.get(0), 202, "https://cloud.acquia.com/n", null));
    send("db-1", request("db-1", "acquia", ""));

    assertThat(dispatcher.jobs).hasSize(1);
    assertThat(tasks.readValuesToList()).hasSize(1);
    assertThat(completions.isEmpty()).isTrue();
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void unreadableRecordsGoToTheDeadLetterTopicWithTheReason() {
    requests.pipeInput(new TestRecord<>("k".getBytes(), new byte[] {0, 1, 2, (byte) 0xff}, clock.instant()));
    send(null, null);

    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
    assertThat(dead).hasSize(2);
    assertThat(header(dead.get(0), DeadLetters.ERROR_CODE)).isEqualTo("invalid_request");
    assertThat(header(dead.get(0), DeadLetters.ERROR_MESSAGE)).contains("not JSON");
    assertThat(header(dead.get(0), DeadLetters.ORIGINAL_TOPIC)).isEqualTo(config.topics().requests());
    assertThat(header(dead.get(0), DeadLetters.ORIGINAL_OFFSET)).isEqualTo("0");
    assertThat(dead.get(0).value()).containsExactly(0, 1, 2, (byte) 0xff);
    assertThat(completions.isEmpty()).as("no taskId, no completion").isTrue();
    assertThat(dispatcher.jobs).isEmpty();
  }

  @Test
  void anInvalidRequestWithAReadableTaskIdIsRejectedOnce() {
    send("bad-1", "{\"taskId\":\"bad-1\",\"provider\":\"acquia\",\"method\":42}");
    send("bad-1", "{\"taskId\":\"bad-1\",\"provider\":\"acquia\",\"method\":43}");

    Completion rejected = onlyCompletion();
    assertThat(rejected.status()).isEqualTo(CompletionStatus.REJECTED);
    assertThat(rejected.via()).isEqualTo(Via.INGEST);
    assertThat(rejected.error().code()).isEqualTo("invalid_request");
    assertThat(rejected.error().message()).contains("/method: integer found, string expected");
    assertThat(deadLetters.readRecordsToList()).hasSize(2);
  }

  @Test
  void theKeyMustBeTheTaskId() {
    send(null, request("k-1", "acquia", ""));

    Completion rejected = onlyCompletion();
    assertThat(rejected.error().code()).isEqualTo("invalid_key");
    assertThat(rejected.error().message()).contains("found no key");
    assertThat(dispatcher.jobs).isEmpty();
  }

  @Test
  void requestsBreakingTheRulesAreRejectedWithTheRuleNamed() {
    send("p-1", request("p-1", "nobody", ""));
    send("p-2", "{\"taskId\":\"p-2\",\"provider\":\"acquia\",\"method\":\"GET\",\"path\":\"/a/../../admin\"}");
    send("p-3", "{\"taskId\":\"p-3\",\"provider\":\"acquia\",\"method\":\"GET\",\"path\":\"/a/%2e%2e/admin\"}");
    send("p-4", "{\"taskId\":\"p-4\",\"provider\":\"documents\",\"method\":\"GET\",\"path\":\"/x\","
        + "\"headers\":{\"Elements-Async-Callback-Url\":\"https://evil.example.com\"}}");
    send("p-5", "{\"taskId\":\"p-5\",\"provider\":\"acquia\",\"method\":\"GET\",\"path\":\"/x\",\"timeout\":\"P30D\"}");

    List<Completion> rejected = completions.readValuesToList();
    assertThat(rejected).extracting(c -> c.error().code())
        .containsExactly("unknown_provider", "invalid_path", "invalid_path", "forbidden_header", "invalid_timeout");
    assertThat(rejected).allSatisfy(c -> assertThat(c.status()).isEqualTo(CompletionStatus.REJECTED));
    assertThat(deadLetters.readRecordsToList()).hasSize(5);
    assertThat(dispatcher.jobs).isEmpty();
    assertThat(meters.deadLetters("invalid_path")).isEqualTo(2);
    assertThat(meters.deadLetters("invalid_timeout")).isEqualTo(1);
    assertThat(meters.service().completions().count("acquia", CompletionStatus.REJECTED)).isEqualTo(3);
    assertThat(meters.service().completions().count("documents", CompletionStatus.REJECTED)).isEqualTo(1);
    assertThat(meters.service().registry().get("bridge.completions").tags("service", "ingest", "provider", "unknown",
        "status", "rejected").counter().count()).as("'nobody' is not a configured provider: no series of its own")
        .isEqualTo(1);
    assertThat(meters.service().registry().get(IngestMeters.DEAD_LETTERS).tag("code", "unknown_provider").counter()
        .count()).isEqualTo(1);
  }

  @Test
  void anUpstreamRefusalEndsAsRejectedWithStatusAndBody() throws Exception {
    send("r-1", request("r-1", "acquia", ""));
    DispatchJob job = dispatcher.jobs.get(0);

    answer(job, DispatchEvent.ended(job, DispatchEvent.Outcome.REJECTED, 422, "upstream_rejected",
        "provider acquia refused the request with HTTP 422", json.readTree("{\"message\":\"name taken\"}")));

    Completion rejected = onlyCompletion();
    assertThat(rejected.status()).isEqualTo(CompletionStatus.REJECTED);
    assertThat(rejected.upstream().httpStatus()).isEqualTo(422);
    assertThat(rejected.result().path("message").asText()).isEqualTo("name taken");
    assertThat(rejected.metadata()).containsEntry("team", "blue");
  }

  @Test
  void retriableFailuresBackOffThenGiveUpAsFailed() {
    send("t-1", request("t-1", "acquia", ""));
    answer(dispatcher.jobs.get(0), DispatchEvent.retry(dispatcher.jobs.get(0), 503, null, "upstream_unavailable", "503"));
    advance(Duration.ofMillis(500));
    assertThat(dispatcher.jobs).as("no retry before the backoff").hasSize(1);

    advance(Duration.ofSeconds(2));
    assertThat(dispatcher.jobs).hasSize(2);
    assertThat(dispatcher.jobs.get(1).attempt()).isEqualTo(2);
    answer(dispatcher.jobs.get(1), DispatchEvent.retry(dispatcher.jobs.get(1), 429, 5_000L, "upstream_unavailable", "429"));
    advance(Duration.ofSeconds(3));
    assertThat(dispatcher.jobs).as("Retry-After: 5 s is honoured").hasSize(2);
    advance(Duration.ofSeconds(3));
    assertThat(dispatcher.jobs).hasSize(3);

    answer(dispatcher.jobs.get(2), DispatchEvent.retry(dispatcher.jobs.get(2), 500, null, "upstream_unavailable", "500"));
    Completion failed = onlyCompletion();
    assertThat(failed.status()).isEqualTo(CompletionStatus.FAILED);
    assertThat(failed.via()).isEqualTo(Via.INGEST);
    assertThat(failed.error().message()).startsWith("gave up after 3 attempts");
  }

  @Test
  void staleAndDuplicatedAnswersChangeNothing() {
    send("s-1", request("s-1", "acquia", ""));
    DispatchJob first = dispatcher.jobs.get(0);
    answer(first, DispatchEvent.retry(first, 503, null, "upstream_unavailable", "503"));
    answer(first, DispatchEvent.accepted(first, 202, "https://cloud.acquia.com/n", null)); // answer to a finished attempt
    advance(Duration.ofSeconds(3));
    DispatchJob second = dispatcher.jobs.get(1);
    answer(second, DispatchEvent.accepted(second, 202, "https://cloud.acquia.com/n", null));
    answer(second, DispatchEvent.accepted(second, 202, "https://cloud.acquia.com/n", null));

    assertThat(tasks.readValuesToList()).hasSize(1);
    assertThat(completions.isEmpty()).isTrue();
  }

  @Test
  void anUnknownOutcomeOfAPostFailsTheTaskAndOfAPutSendsItAgain() {
    send("u-post", request("u-post", "acquia", ""));
    send("u-put", "{\"taskId\":\"u-put\",\"provider\":\"acquia\",\"method\":\"PUT\",\"path\":\"/x\"}");
    dispatcher.forgetAll(); // the process that made the calls is gone and no answer was recorded

    advance(Duration.ofSeconds(41)); // requestTimeout (30 s) + margin

    Completion failed = onlyCompletion();
    assertThat(failed.taskId()).isEqualTo("u-post");
    assertThat(failed.error().code()).isEqualTo("dispatch_outcome_unknown");
    assertThat(failed.error().message()).contains("POST attempt 1 was in flight when the instance that sent it"
        + " stopped, or could not record the upstream's answer in Kafka in time").contains("dispatch.onUnknownOutcome");
    advance(Duration.ofMillis(200));
    assertThat(dispatcher.jobs).extracting(DispatchJob::taskId).containsExactly("u-post", "u-put", "u-put");
  }

  @Test
  void withAnIdempotencyKeyAnUnknownOutcomeOfAPostIsSentAgainUnderAuto() {
    send("k-post", request("k-post", "acquia-keyed", ""));
    dispatcher.forgetAll(); // the process that made the call is gone and no answer was recorded

    advance(Duration.ofSeconds(41)); // requestTimeout (30 s) + margin
    advance(Duration.ofMillis(200));

    assertThat(completions.isEmpty()).as("no dispatch_outcome_unknown").isTrue();
    assertThat(dispatcher.jobs).extracting(DispatchJob::taskId).containsExactly("k-post", "k-post");
    DispatchJob again = dispatcher.jobs.get(1);
    answer(again, DispatchEvent.accepted(again, 202, "https://cloud.acquia.com/n", null));
    assertThat(tasks.readValuesToList()).extracting(TaskAccepted::taskId).containsExactly("k-post");
  }

  @Test
  void noCapacityMeansLaterNotLost() {
    dispatcher.capacity = false;
    send("c-1", request("c-1", "acquia", ""));
    assertThat(dispatcher.jobs).isEmpty();

    dispatcher.capacity = true;
    advance(Duration.ofMillis(300));

    assertThat(dispatcher.jobs).extracting(DispatchJob::taskId).containsExactly("c-1");
  }

  @Test
  void whileStoppingNothingIsSentAndNothingIsLostForTheNextInstance() {
    dispatcher.stopAccepting();
    send("stop-1", request("stop-1", "acquia", ""));
    advance(Duration.ofSeconds(5));
    assertThat(dispatcher.jobs).isEmpty();
    assertThat(completions.isEmpty()).as("waiting work is not an unknown outcome").isTrue();

    dispatcher.accepting = true; // as the next instance would, with the same stores
    advance(Duration.ofSeconds(2));

    assertThat(dispatcher.jobs).extracting(DispatchJob::taskId).containsExactly("stop-1");
    assertThat(completions.isEmpty()).isTrue();
  }

  @Test
  void aTaskThatCannotBeSentBeforeItsDeadlineTimesOut() {
    dispatcher.capacity = false;
    send("d-1", request("d-1", "acquia", ",\"timeout\":\"PT2S\""));

    advance(Duration.ofSeconds(3));

    Completion timedOut = onlyCompletion();
    assertThat(timedOut.status()).isEqualTo(CompletionStatus.TIMED_OUT);
    assertThat(timedOut.via()).isEqualTo(Via.DEADLINE);
    assertThat(dispatcher.jobs).isEmpty();
  }

  @Test
  void aTaskIdIsRememberedForTheRetentionThenForgotten() {
    send("e-1", request("e-1", "acquia", ""));
    answer(dispatcher.jobs.get(0), DispatchEvent.accepted(dispatcher.jobs.get(0), 202, "https://cloud.acquia.com/n", null));

    advance(Duration.ofMinutes(59));
    send("e-1", request("e-1", "acquia", ""));
    assertThat(dispatcher.jobs).hasSize(1);

    advance(Duration.ofMinutes(2));
    send("e-1", request("e-1", "acquia", ""));
    assertThat(dispatcher.jobs).hasSize(2);
  }

  @Test
  void callbackTasksAreHandedOverWithTheirCorrelationId() {
    send("cb-1", "{\"taskId\":\"cb-1\",\"provider\":\"documents\",\"method\":\"POST\",\"path\":\"/hubs/documents/folders/copy\"}");
    DispatchJob job = dispatcher.jobs.get(0);

    answer(job, DispatchEvent.accepted(job, 200, null, "1028"));

    TaskAccepted accepted = tasks.readValue();
    assertThat(accepted.mode()).isEqualTo(TaskMode.CALLBACK);
    assertThat(accepted.correlationId()).isEqualTo("1028");
    assertThat(accepted.deadline()).isEqualTo(submitted().plus(Duration.ofHours(24)));
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Records jobs instead of calling anyone. */
  static final class FakeDispatcher implements UpstreamDispatcher {
    final List<DispatchJob> jobs = new ArrayList<>();
    final Set<String> accounted = ConcurrentHashMap.newKeySet();
    volatile boolean capacity = true;
    volatile boolean accepting = true;

    @Override
    public boolean isAccepting() {
      return accepting;
    }

    @Override
    public void stopAccepting() {
      accepting = false;
    }

    @Override
    public boolean awaitIdle(Duration timeout) {
      return true;
    }

    @Override
    public boolean tryDispatch(DispatchJob job) {
      if (!capacity || !accepting) {
        return false;
      }
      jobs.add(job);
      accounted.add(job.key());
      return true;
    }

    @Override
    public boolean isAccountedFor(DispatchJob job) {
      return accounted.contains(job.key());
    }

    void forgetAll() {
      accounted.clear();
    }

    @Override
    public void close() {
    }
  }
}
