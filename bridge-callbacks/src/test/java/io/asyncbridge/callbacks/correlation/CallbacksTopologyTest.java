package io.asyncbridge.callbacks.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.schemas.ErrorCode;
import io.asyncbridge.testkit.time.MutableClock;
import io.asyncbridge.callbacks.testing.TestConfigs;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.schemas.trace.TraceContext;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallbacksTopologyTest {

  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  private static final ObjectMapper JSON = EventJson.newMapper();
  private static final EventSchemaValidator VALIDATOR = EventSchemaValidator.create();

  @TempDir
  Path stateDir;

  private final BridgeConfig config = TestConfigs.config();
  private final MutableClock clock = new MutableClock(START);
  private TopologyTestDriver driver;
  private TestInputTopic<String, TaskAccepted> tasks;
  private TestInputTopic<String, CorrelationEvent> webhooks;
  private TestOutputTopic<String, Completion> completions;

  @BeforeEach
  void startDriver() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "callbacks-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver = new TopologyTestDriver(CallbacksTopology.build(config, clock, ServiceMeters.forTests("callbacks", config)), props, START);
    tasks = driver.createInputTopic(config.topics().tasks(), Serdes.String().serializer(),
        JsonSerde.of(TaskAccepted.class).serializer());
    webhooks = driver.createInputTopic(config.topics().webhooks(), Serdes.String().serializer(),
        new CorrelationEventSerde().serializer());
    completions = driver.createOutputTopic(config.topics().completions(), Serdes.String().deserializer(),
        JsonSerde.of(Completion.class).deserializer());
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  void taskThenWebhookCompletesOnceWithTheBody() throws Exception {
    accept(task("t-1", "1028", Duration.ofHours(1)));
    String body = "{\"eventId\": 1028, \"instanceId\": 30, \"response\": {\"events\": []}}";

    webhook(new WebhookReceived("documents", "t-1", "1028", clock.instant(), bytes(body)));

    List<TestRecord<String, Completion>> out = completions.readRecordsToList();
    assertThat(out).hasSize(1);
    Completion completion = out.get(0).value();
    assertThat(out.get(0).key()).isEqualTo("t-1");
    assertThat(completion.status()).isEqualTo(CompletionStatus.SUCCEEDED);
    assertThat(completion.via()).isEqualTo(Via.CALLBACK);
    assertThat(completion.result()).isEqualTo(json(body));
    assertThat(completion.upstream().eventId()).isEqualTo("1028");
    assertThat(completion.upstream().httpStatus()).isEqualTo(202);
    assertThat(completion.metadata()).containsEntry("team", "docs");
    assertThat(header(out.get(0), "ce_id")).isEqualTo("t-1:completion");
    assertThat(header(out.get(0), "ce_subject")).isEqualTo("t-1");
    assertThat(VALIDATOR.validate(EventType.COMPLETION, JSON.writeValueAsBytes(completion))).isEmpty();
  }

  @Test
  void completionsCarryTheTraceContextOfTheirTaskWhateverTheOrderOrEnd() {
    TraceContext trace = TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "vendor=abc")
        .orElseThrow();
    accept(traced(task("t-traced", "501", Duration.ofHours(1)), trace));
    webhook(new WebhookReceived("documents", null, "502", clock.instant(), bytes("{\"eventId\": 502}")));
    accept(traced(task("t-traced-early", "502", Duration.ofHours(1)), trace));
    accept(traced(task("t-traced-late", "503", Duration.ofMinutes(1)), trace));
    accept(task("t-plain", "504", Duration.ofHours(1)));
    webhook(new WebhookReceived("documents", null, "501", clock.instant(), bytes("{\"eventId\": 501}")));
    webhook(new WebhookReceived("documents", null, "504", clock.instant(), bytes("{\"eventId\": 504}")));
    tick(Duration.ofMinutes(2));

    Map<String, TestRecord<String, Completion>> out = new java.util.HashMap<>();
    completions.readRecordsToList().forEach(record -> out.put(record.key(), record));
    assertThat(out).containsOnlyKeys("t-traced", "t-traced-early", "t-traced-late", "t-plain");
    for (String taskId : List.of("t-traced", "t-traced-early", "t-traced-late")) {
      assertThat(header(out.get(taskId), "traceparent")).as(taskId).isEqualTo(trace.traceparent());
      assertThat(header(out.get(taskId), "tracestate")).as(taskId).isEqualTo("vendor=abc");
    }
    assertThat(out.get("t-traced-late").value().status()).isEqualTo(CompletionStatus.TIMED_OUT);
    assertThat(header(out.get("t-plain"), "traceparent")).isNull();
  }

  @Test
  void earlyWebhookIsHeldUntilItsTaskArrives() {
    webhook(new WebhookReceived("documents", null, "77", clock.instant(), bytes("{\"eventId\": \"77\"}")));
    assertThat(completions.isEmpty()).as("no task yet").isTrue();

    clock.advance(Duration.ofMinutes(5));
    accept(task("t-early", "77", Duration.ofHours(1)));

    List<Completion> out = completions.readValuesToList();
    assertThat(out).singleElement().satisfies(c -> {
      assertThat(c.taskId()).isEqualTo("t-early");
      assertThat(c.status()).isEqualTo(CompletionStatus.SUCCEEDED);
    });
  }

  @Test
  void duplicatesYieldOneCompletion() {
    accept(task("t-dup", "5", Duration.ofHours(1)));
    WebhookReceived webhook = new WebhookReceived("documents", "t-dup", "5", clock.instant(), bytes("{\"eventId\": 5}"));

    webhook(webhook);
    webhook(webhook);
    webhook(webhook);
    accept(task("t-dup", "5", Duration.ofHours(1)));
    tick(Duration.ofHours(2));

    assertThat(completions.readValuesToList()).singleElement()
        .satisfies(c -> assertThat(c.status()).isEqualTo(CompletionStatus.SUCCEEDED));
  }

  @Test
  void duplicateEarlyWebhooksYieldOneCompletion() {
    WebhookReceived webhook = new WebhookReceived("documents", null, "6", clock.instant(), bytes("{\"eventId\": 6}"));
    webhook(webhook);
    webhook(webhook);

    accept(task("t-dup-early", "6", Duration.ofHours(1)));
    webhook(webhook);

    assertThat(completions.readValuesToList()).hasSize(1);
  }

  @Test
  void aBodyReportingAnErrorFailsTheTask() throws Exception {
    accept(task("t-fail", "9", Duration.ofHours(1)));
    String body = "{\"eventId\": 9, \"response\": {\"error\": {\"message\": \"quota exceeded\"}}}";

    webhook(new WebhookReceived("documents", "t-fail", "9", clock.instant(), bytes(body)));

    Completion completion = completions.readValue();
    assertThat(completion.status()).isEqualTo(CompletionStatus.FAILED);
    assertThat(completion.via()).isEqualTo(Via.CALLBACK);
    assertThat(completion.error().code()).isEqualTo(ErrorCode.UPSTREAM_FAILED.code());
    assertThat(completion.error().message()).contains("/response/error");
    assertThat(completion.result()).isEqualTo(json(body));
    assertThat(VALIDATOR.validate(EventType.COMPLETION, JSON.writeValueAsBytes(completion))).isEmpty();
    assertThat(completions.isEmpty()).isTrue();
  }

  @Test
  void aFailedStatusWordFailsTheTask() {
    accept(task("t-status", "10", Duration.ofHours(1)));

    webhook(new WebhookReceived("documents", null, "10", clock.instant(), bytes("{\"eventId\": 10, \"eventStatus\": \"Failed\"}")));

    assertThat(completions.readValue().error().message()).contains("Failed");
  }

  @Test
  void aTaskWithoutWebhookTimesOutAtItsDeadline() throws Exception {
    accept(task("t-never", "11", Duration.ofMinutes(30)));

    tick(Duration.ofMinutes(29));
    assertThat(completions.isEmpty()).as("before the deadline").isTrue();
    tick(Duration.ofMinutes(2));

    TestRecord<String, Completion> record = completions.readRecord();
    Completion completion = record.value();
    assertThat(completion.status()).isEqualTo(CompletionStatus.TIMED_OUT);
    assertThat(completion.via()).isEqualTo(Via.DEADLINE);
    assertThat(completion.error().code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED.code());
    assertThat(header(record, "ce_type")).isEqualTo("io.asyncbridge.task.completed");
    assertThat(VALIDATOR.validate(EventType.COMPLETION, JSON.writeValueAsBytes(completion))).isEmpty();

    webhook(new WebhookReceived("documents", null, "11", clock.instant(), bytes("{\"eventId\": 11}")));
    assertThat(completions.isEmpty()).as("a late webhook changes nothing").isTrue();
  }

  @Test
  void deadlinesWithSubMillisecondPrecisionStillFire() {
    accept(task("t-nanos", "17", Duration.ofSeconds(30).plusNanos(123_456_789)));

    tick(Duration.ofSeconds(32));

    assertThat(completions.readValue().status()).isEqualTo(CompletionStatus.TIMED_OUT);
  }

  @Test
  void anEarlyWebhookExpiresWhenNoTaskClaimsIt() {
    webhook(new WebhookReceived("documents", null, "12", clock.instant(), bytes("{\"eventId\": 12}")));

    tick(Duration.ofMinutes(11)); // retention is 10 minutes
    accept(task("t-late-task", "12", Duration.ofMinutes(30)));

    assertThat(completions.isEmpty()).as("the expired webhook no longer completes the task").isTrue();
    tick(Duration.ofMinutes(31));
    assertThat(completions.readValue().status()).isEqualTo(CompletionStatus.TIMED_OUT);
  }

  @Test
  void aWebhookOnAnotherTasksRouteIsIgnored() {
    accept(task("t-victim", "13", Duration.ofHours(1)));

    webhook(new WebhookReceived("documents", "t-attacker", "13", clock.instant(), bytes("{\"eventId\": 13, \"response\": {\"error\": \"x\"}}")));
    assertThat(completions.isEmpty()).as("forged webhook ignored").isTrue();

    webhook(new WebhookReceived("documents", "t-victim", "13", clock.instant(), bytes("{\"eventId\": 13}")));
    assertThat(completions.readValue().status()).isEqualTo(CompletionStatus.SUCCEEDED);
  }

  @Test
  void aForgedEarlyWebhookDoesNotCompleteTheTask() {
    webhook(new WebhookReceived("documents", "t-attacker", "14", clock.instant(), bytes("{\"eventId\": 14}")));

    accept(task("t-victim2", "14", Duration.ofHours(1)));
    assertThat(completions.isEmpty()).isTrue();

    webhook(new WebhookReceived("documents", "t-victim2", "14", clock.instant(), bytes("{\"eventId\": 14}")));
    assertThat(completions.readValue().taskId()).isEqualTo("t-victim2");
  }

  @Test
  void taskWithoutCorrelationIdMeetsItsPerTaskWebhook() {
    TaskAccepted task = new TaskAccepted("b-1", "builds", TaskMode.CALLBACK, START, START, START.plusSeconds(600), 201,
        null, null, Map.of());
    accept(task);

    webhook(new WebhookReceived("builds", "b-1", null, clock.instant(), bytes("{\"state\": \"broken\"}")));

    Completion completion = completions.readValue();
    assertThat(completion.status()).isEqualTo(CompletionStatus.FAILED);
    assertThat(completion.upstream().eventId()).isNull();
  }

  @Test
  void pollTasksAreNotOurs() {
    accept(new TaskAccepted("p-1", "acquia", TaskMode.POLL, START, START, START.plusSeconds(60), 202,
        "https://cloud.acquia.com/api/notifications/1", null, Map.of()));

    tick(Duration.ofMinutes(5));

    assertThat(completions.isEmpty()).isTrue();
  }

  @Test
  void aSecondTaskWithTheSameCorrelationIdFailsInsteadOfHanging() {
    accept(task("t-first", "15", Duration.ofHours(1)));
    accept(task("t-second", "15", Duration.ofHours(1)));

    Completion second = completions.readValue();
    assertThat(second.taskId()).isEqualTo("t-second");
    assertThat(second.status()).isEqualTo(CompletionStatus.FAILED);

    webhook(new WebhookReceived("documents", null, "15", clock.instant(), bytes("{\"eventId\": 15}")));
    assertThat(completions.readValue().taskId()).isEqualTo("t-first");
  }

  @Test
  void theCompletedMarkerIsForgottenAfterRetention() {
    accept(task("t-forget", "16", Duration.ofHours(1)));
    webhook(new WebhookReceived("documents", null, "16", clock.instant(), bytes("{\"eventId\": 16}")));
    assertThat(completions.readValuesToList()).hasSize(1);
    assertThat(waitingEntries()).as("the task stopped waiting").isZero();

    tick(Duration.ofMinutes(11)); // retention is 10 minutes
    accept(task("t-forget", "16", Duration.ofMinutes(30)));
    assertThat(waitingEntries()).as("no marker: the same task handed over again waits again").isOne();
  }

  @Test
  void heldEntriesLeaveWithTheirSegmentWithoutOneDeleteEach() {
    for (int i = 0; i < 50; i++) {
      webhook(new WebhookReceived("documents", null, "early-" + i, clock.instant(), bytes("{\"eventId\": 1}")));
    }
    accept(task("t-marked", "marked", Duration.ofHours(1)));
    webhook(new WebhookReceived("documents", null, "marked", clock.instant(), bytes("{\"eventId\": 2}")));
    assertThat(heldEntries()).isEqualTo(51);

    // Past the retention and a segment (at most half the retention, at least a minute), the next write drops them.
    tick(Duration.ofMinutes(16));
    webhook(new WebhookReceived("documents", null, "later", clock.instant(), bytes("{\"eventId\": 3}")));

    assertThat(heldEntries()).isOne();
    assertThat(waitingEntries()).isZero();
  }

  private long waitingEntries() {
    long count = 0;
    try (var all = driver.<String, Object>getKeyValueStore(CallbacksTopology.WAITING_STORE).all()) {
      while (all.hasNext()) {
        all.next();
        count++;
      }
    }
    return count;
  }

  // ---- cancel

  private void cancel(String taskId, String eventId, String reason) {
    tasks.pipeInput(taskId, TaskAccepted.cancelOf(taskId, "documents", TaskMode.CALLBACK, eventId, reason,
        clock.instant()), clock.instant());
  }

  @Test
  void aCancelWhileWaitingEndsTheTaskOnceAndALaterWebhookOrDeadlineProducesNothing() throws Exception {
    accept(task("t-c", "900", Duration.ofMinutes(10)));
    clock.advance(Duration.ofSeconds(3));

    cancel("t-c", "900", "the customer closed the ticket");

    List<TestRecord<String, Completion>> out = completions.readRecordsToList();
    assertThat(out).hasSize(1);
    Completion cancelled = out.get(0).value();
    assertThat(out.get(0).key()).isEqualTo("t-c");
    assertThat(cancelled.status()).isEqualTo(CompletionStatus.CANCELLED);
    assertThat(cancelled.via()).isEqualTo(Via.CALLBACK);
    assertThat(cancelled.error().code()).isEqualTo("cancelled");
    assertThat(cancelled.error().message()).endsWith(": the customer closed the ticket");
    assertThat(cancelled.upstream().eventId()).isEqualTo("900");
    assertThat(cancelled.metadata()).containsEntry("team", "docs");
    assertThat(header(out.get(0), "ce_id")).isEqualTo("t-c:completion");
    assertThat(VALIDATOR.validate(EventType.COMPLETION, JSON.writeValueAsBytes(cancelled))).isEmpty();
    assertThat(driver.<String, CorrelationState>getKeyValueStore(CallbacksTopology.WAITING_STORE).get(
        CorrelationKeys.forId("documents", "900"))).as("no longer waiting").isNull();

    webhook(new WebhookReceived("documents", "t-c", "900", clock.instant(), bytes("{\"eventId\": 900}")));
    cancel("t-c", "900", "twice");
    tick(Duration.ofMinutes(20));
    assertThat(completions.isEmpty()).as("the webhook meets the completed marker; no deadline is left").isTrue();
  }

  @Test
  void aCancelAfterTheWebhookOrOfATaskWithoutCorrelationIdIsHandled() {
    accept(task("t-done", "901", Duration.ofMinutes(10)));
    webhook(new WebhookReceived("documents", null, "901", clock.instant(), bytes("{\"eventId\": 901}")));
    cancel("t-done", "901", "too late");
    accept(task("t-keyed", null, Duration.ofMinutes(10)));
    cancel("t-keyed", null, null);
    cancel("t-unknown", "902", null);

    List<Completion> out = completions.readValuesToList();
    assertThat(out).extracting(Completion::taskId).containsExactly("t-done", "t-keyed");
    assertThat(out).extracting(Completion::status).containsExactly(CompletionStatus.SUCCEEDED,
        CompletionStatus.CANCELLED);
    assertThat(out.get(1).error().message()).endsWith(": cancelled by request");
  }

  private long heldEntries() {
    long count = 0;
    try (var all = driver.<String, Object>getWindowStore(CallbacksTopology.HELD_STORE).all()) {
      while (all.hasNext()) {
        all.next();
        count++;
      }
    }
    return count;
  }

  private TaskAccepted task(String taskId, String eventId, Duration timeout) {
    return new TaskAccepted(taskId, "documents", TaskMode.CALLBACK, clock.instant(), clock.instant(),
        clock.instant().plus(timeout), 202, null, eventId, Map.of("team", "docs"));
  }

  private static TaskAccepted traced(TaskAccepted task, TraceContext trace) {
    return new TaskAccepted(task.taskId(), task.provider(), task.mode(), task.submittedAt(), task.acceptedAt(),
        task.deadline(), task.httpStatus(), task.notificationUrl(), task.correlationId(), task.metadata(), null, trace);
  }

  private void accept(TaskAccepted task) {
    tasks.pipeInput(task.taskId(), task, clock.instant());
  }

  private void webhook(WebhookReceived webhook) {
    webhooks.pipeInput(webhook.correlationKey(), new CorrelationEvent.Webhook(webhook), clock.instant());
  }

  private void tick(Duration by) {
    clock.advance(by);
    driver.advanceWallClockTime(by);
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String header(TestRecord<String, Completion> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
