package io.asyncbridge.poller.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.asyncbridge.testkit.time.MutableClock;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.config.TaskMode;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.task.TaskAccepted;
import io.asyncbridge.poller.poll.PollJob;
import io.asyncbridge.poller.poll.PollObservation;
import io.asyncbridge.poller.poll.PollOutcome;
import io.asyncbridge.poller.state.PollTask;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.ProgressEvent;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.serde.JsonSerde;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PollerTopologyTest {

  static final String YAML = """
      providers:
        acquia:
          type: acquia
          baseUrl: https://cloud.acquia.com/api
          clientId: id
          clientSecret: secret
          poll:
            initialDelay: PT2S
            initialInterval: PT5S
            multiplier: 2
            maxInterval: PT20S
            jitter: 0
            notFoundGrace: PT60S
            requestTimeout: PT10S
      """;
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final String URL = "https://cloud.acquia.com/api/notifications/1111";
  static final Duration LEASE = Duration.ofSeconds(12); // requestTimeout + the 2 s margin
  static final Duration TICK = PollerTopology.Tuning.defaults().tick();
  static final ObjectMapper JSON = EventJson.newMapper();
  static final EventSchemaValidator VALIDATOR = EventSchemaValidator.create();

  final MutableClock clock = new MutableClock(T0);
  final RecordingDispatcher dispatcher = new RecordingDispatcher();
  BridgeConfig config;
  ServiceMeters meters;
  TopologyTestDriver driver;
  TestInputTopic<String, TaskAccepted> tasks;
  TestInputTopic<String, PollObservation> observations;
  TestOutputTopic<String, Completion> completions;
  TestOutputTopic<String, ProgressEvent> progress;

  @TempDir
  Path stateDir;

  @BeforeEach
  void start() {
    start(new BridgeConfigLoader(Map.of()).parse("test", YAML));
  }

  void start(BridgeConfig loaded) {
    config = loaded;
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "poller-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        org.apache.kafka.streams.errors.LogAndContinueExceptionHandler.class.getName());
    meters = ServiceMeters.detached("poller", config);
    driver = new TopologyTestDriver(PollerTopology.build(config, dispatcher, clock, PollerTopology.Tuning.defaults(),
        meters), props, T0);
    tasks = driver.createInputTopic(config.topics().tasks(), new StringSerializer(),
        JsonSerde.of(TaskAccepted.class));
    observations = driver.createInputTopic(config.topics().pollObservations(), new StringSerializer(),
        JsonSerde.of(PollObservation.class));
    completions = driver.createOutputTopic(config.topics().completions(), new StringDeserializer(),
        JsonSerde.of(Completion.class));
    progress = driver.createOutputTopic(config.topics().progress(), new StringDeserializer(),
        JsonSerde.of(ProgressEvent.class));
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  // ---- helpers

  void accept(String taskId, Duration timeout) {
    tasks.pipeInput(taskId, new TaskAccepted(taskId, "acquia", TaskMode.POLL, T0.minusSeconds(1), clock.instant(),
        T0.minusSeconds(1).plus(timeout), 202, URL, null, Map.of("team", "db")));
  }

  void accept(String taskId) {
    accept(taskId, Duration.ofHours(1));
  }

  /** Moves both clocks; the driver then runs the punctuator once. */
  List<PollJob> advance(Duration by) {
    clock.advance(by);
    driver.advanceWallClockTime(by);
    return dispatcher.drain();
  }

  void answer(PollJob job, PollOutcome outcome, String word, Integer percent) {
    answer(job, outcome, word, percent, null);
  }

  void answer(PollJob job, PollOutcome outcome, String word, Integer percent, Long retryAfterMillis) {
    JsonNode result = outcome.terminal() && outcome != PollOutcome.FATAL ? resource(word) : null;
    observations.pipeInput(job.taskId(), new PollObservation(job.taskId(), job.attempt(), clock.instant(), outcome,
        word, percent, outcome == PollOutcome.NOT_FOUND ? 404 : 200, retryAfterMillis, result,
        outcome == PollOutcome.FATAL ? "notification_host_not_allowed" : null, null));
  }

  static JsonNode resource(String word) {
    return JSON.createObjectNode().put("status", word).put("uuid", "1111");
  }

  /** Asserts that nothing is polled before {@code wait} and exactly one job on the first tick after it. */
  PollJob pollAfter(Duration wait) {
    assertThat(advance(wait.minusMillis(1))).as("nothing due before %s", wait).isEmpty();
    List<PollJob> jobs = advance(TICK);
    assertThat(jobs).as("one poll due after %s", wait).hasSize(1);
    return jobs.get(0);
  }

  KeyValueStore<String, PollTask> taskStore() {
    return driver.getKeyValueStore(PollerTopology.TASKS_STORE);
  }

  KeyValueStore<String, String> dueStore() {
    return driver.getKeyValueStore(PollerTopology.DUE_STORE);
  }

  void assertGone(String taskId) {
    assertThat(taskStore().get(taskId)).isNull();
    try (var all = dueStore().all()) {
      assertThat(all).toIterable().noneMatch(entry -> entry.value.equals(taskId));
    }
  }

  static String header(TestRecord<String, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  // ---- tests

  @Test
  void firstPollAfterInitialDelayCarriesAttemptPartitionAndUrl() {
    accept("t1");

    PollJob job = pollAfter(Duration.ofSeconds(2));

    assertThat(job).isEqualTo(new PollJob("t1", 1, 0, "acquia", URL));
    assertThat(taskStore().get("t1").awaiting()).isTrue();
  }

  @Test
  void aRetryAfterOnTheAcceptAnswerSetsTheFirstPollsDelay() {
    tasks.pipeInput("t1", new TaskAccepted("t1", "acquia", TaskMode.POLL, T0, clock.instant(), T0.plusSeconds(3600),
        202, URL, null, Map.of(), Duration.ofSeconds(9)));

    assertThat(pollAfter(Duration.ofSeconds(9)).attempt()).as("not before the upstream asked, not the initialDelay")
        .isEqualTo(1);
  }

  @Test
  void aRetryAfterOnTheAcceptAnswerIsIgnoredWhenTheProviderDoesNotHonourIt() {
    config = new BridgeConfigLoader(Map.of()).parse("test", YAML.replace("jitter: 0", "jitter: 0\n      honourRetryAfter: false"));
    driver.close();
    start(config);
    tasks.pipeInput("t1", new TaskAccepted("t1", "acquia", TaskMode.POLL, T0, clock.instant(), T0.plusSeconds(3600),
        202, URL, null, Map.of(), Duration.ofSeconds(9)));

    assertThat(pollAfter(Duration.ofSeconds(2)).attempt()).isEqualTo(1);
  }

  @Test
  void backoffGrowsByTheMultiplierAndIsCappedAtMaxInterval() {
    accept("t1");
    PollJob job = pollAfter(Duration.ofSeconds(2));
    for (long expected : new long[] {5, 10, 20, 20, 20}) {
      answer(job, PollOutcome.RUNNING, "in-progress", null);
      job = pollAfter(Duration.ofSeconds(expected));
    }
    assertThat(job.attempt()).isEqualTo(6);
  }

  @Test
  void retryAfterIsHonouredWhenLongerThanTheBackoff() {
    accept("t1");
    PollJob job = pollAfter(Duration.ofSeconds(2));

    answer(job, PollOutcome.THROTTLED, null, null, 45_000L);

    assertThat(pollAfter(Duration.ofSeconds(45)).attempt()).isEqualTo(2);
  }

  @Test
  void notFoundIsToleratedWithinTheGraceThenFails() {
    accept("t1");
    PollJob job = pollAfter(Duration.ofSeconds(2));
    answer(job, PollOutcome.NOT_FOUND, null, null);   // at 2 s
    job = pollAfter(Duration.ofSeconds(5));           // at 7 s
    answer(job, PollOutcome.NOT_FOUND, null, null);
    job = pollAfter(Duration.ofSeconds(10));          // at 17 s
    answer(job, PollOutcome.NOT_FOUND, null, null);
    job = pollAfter(Duration.ofSeconds(20));          // at 37 s
    answer(job, PollOutcome.NOT_FOUND, null, null);
    job = pollAfter(Duration.ofSeconds(20));          // at 57 s
    answer(job, PollOutcome.NOT_FOUND, null, null);
    assertThat(completions.isEmpty()).as("still within the 60 s grace").isTrue();
    job = pollAfter(Duration.ofSeconds(20));          // at 77 s

    answer(job, PollOutcome.NOT_FOUND, null, null);

    Completion completion = completions.readValue();
    assertThat(completion.status()).isEqualTo(CompletionStatus.FAILED);
    assertThat(completion.error().code()).isEqualTo("notification_not_found");
    assertGone("t1");
  }

  @ParameterizedTest(name = "status {0} -> {1}")
  @CsvSource({
      "in-progress, running", "in_progress, running", "started, running", "queued, running", "SUCCEEDED?, running",
      "completed, succeeded", "succeeded, succeeded", "Completed, succeeded", "failed, failed"})
  void everyAcquiaStatusWordMapsThroughTheClassifier(String word, String expected) throws Exception {
    accept("t1");
    PollJob job = pollAfter(Duration.ofSeconds(2));
    var classifier = new io.asyncbridge.poller.http.NotificationClassifier(
        config.provider("acquia").orElseThrow().status(), JSON);
    byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("status", word).put("progress", 40));

    observations.pipeInput("t1", classifier.classify(job,
        new io.asyncbridge.core.upstream.UpstreamResponse(200, Map.of(), body), clock.instant()));

    if (expected.equals("running")) {
      assertThat(completions.isEmpty()).isTrue();
      assertThat(taskStore().get("t1")).isNotNull();
      assertThat(pollAfter(Duration.ofSeconds(5)).attempt()).isEqualTo(2);
    } else {
      Completion completion = completions.readValue();
      assertThat(completion.status().wireName()).isEqualTo(expected);
      assertThat(completion.via()).isEqualTo(Via.POLL);
      assertThat(completion.result().get("status").asText()).isEqualTo(word);
      if (expected.equals("failed")) {
        assertThat(completion.error().code()).isEqualTo("upstream_failed");
      }
      assertGone("t1");
    }
  }

  @Test
  void progressIsPublishedOnlyWhenItChangesAndReaches100OnSuccess() {
    accept("t1");
    PollJob job = pollAfter(Duration.ofSeconds(2));
    answer(job, PollOutcome.RUNNING, "in-progress", 10);
    job = pollAfter(Duration.ofSeconds(5));
    answer(job, PollOutcome.RUNNING, "in-progress", 10);
    job = pollAfter(Duration.ofSeconds(10));
    answer(job, PollOutcome.RUNNING, "started", 55);
    job = pollAfter(Duration.ofSeconds(20));

    answer(job, PollOutcome.SUCCEEDED, "completed", null);

    List<TestRecord<String, ProgressEvent>> events = progress.readRecordsToList();
    assertThat(events).extracting(record -> record.value().progress()).containsExactly(10, 55, 100);
    assertThat(events).extracting(record -> record.value().upstreamStatus())
        .containsExactly("in-progress", "started", "completed");
    assertThat(events.get(0).value().metadata()).containsEntry("team", "db");
    assertThat(header(events.get(0), "ce_type")).isEqualTo("io.asyncbridge.task.progress");
    for (TestRecord<String, ProgressEvent> event : events) {
      assertThat(VALIDATOR.validate(EventType.PROGRESS, JsonSerde.of(ProgressEvent.class).serialize("p",
          event.value()))).isEmpty();
    }
    assertThat(completions.readValue().status()).isEqualTo(CompletionStatus.SUCCEEDED);
  }

  @Test
  void noProgressEventWhenTheUpstreamNeverReportedProgress() {
    accept("t1");
    PollJob job = pollAfter(Duration.ofSeconds(2));

    answer(job, PollOutcome.SUCCEEDED, "completed", null);

    assertThat(progress.isEmpty()).isTrue();
    assertThat(completions.getQueueSize()).isEqualTo(1);
  }

  @Test
  void deadlineEndsTheTaskTimedOutViaDeadline() {
    accept("t1", Duration.ofSeconds(30)); // deadline at T0 + 29 s (submitted 1 s before acceptance)
    PollJob job = pollAfter(Duration.ofSeconds(2));
    answer(job, PollOutcome.RUNNING, "in-progress", null);
    job = pollAfter(Duration.ofSeconds(5));
    answer(job, PollOutcome.RUNNING, "in-progress", null);
    job = pollAfter(Duration.ofSeconds(10)); // at about 17.5 s; the next poll would be past the deadline
    answer(job, PollOutcome.RUNNING, "in-progress", null);

    assertThat(advance(Duration.ofSeconds(11))).isEmpty();  // at about 28.5 s
    assertThat(completions.isEmpty()).isTrue();
    assertThat(advance(Duration.ofSeconds(1))).as("no poll at the deadline").isEmpty();

    TestRecord<String, Completion> record = completions.readRecord();
    Completion completion = record.value();
    assertThat(completion.status()).isEqualTo(CompletionStatus.TIMED_OUT);
    assertThat(completion.via()).isEqualTo(Via.DEADLINE);
    assertThat(completion.error().code()).isEqualTo("deadline_exceeded");
    assertThat(completion.completedAt()).isBetween(T0.plusSeconds(29), T0.plusMillis(29_600));
    assertThat(header(record, "ce_type")).isEqualTo("io.asyncbridge.task.completed");
    assertGone("t1");
    assertThat(advance(Duration.ofMinutes(5))).isEmpty();
    assertThat(completions.isEmpty()).isTrue();
  }

  @Test
  void aTerminalObservationTwiceOrAStaleAttemptGivesExactlyOneCompletion() {
    accept("t1");
    PollJob first = pollAfter(Duration.ofSeconds(2));
    // No answer within the lease: the poll is sent again with the next attempt.
    PollJob second = pollAfter(LEASE);
    assertThat(second.attempt()).isEqualTo(2);

    answer(first, PollOutcome.SUCCEEDED, "completed", 100);          // stale attempt: ignored
    assertThat(completions.isEmpty()).isTrue();
    answer(second, PollOutcome.RUNNING, "in-progress", 50);
    answer(second, PollOutcome.RUNNING, "in-progress", 60);          // duplicate answer of attempt 2: ignored
    assertThat(progress.readValuesToList()).extracting(ProgressEvent::progress).containsExactly(50);
    PollJob third = pollAfter(Duration.ofSeconds(5));
    answer(third, PollOutcome.FAILED, "failed", null);
    answer(third, PollOutcome.FAILED, "failed", null);
    answer(third, PollOutcome.SUCCEEDED, "completed", null);

    List<Completion> all = completions.readValuesToList();
    assertThat(all).hasSize(1);
    assertThat(all.get(0).status()).isEqualTo(CompletionStatus.FAILED);
    assertGone("t1");
    assertThat(advance(Duration.ofMinutes(2))).isEmpty();
  }

  @Test
  void completionsCarryCloudEventsHeadersAndValidateAgainstTheSchema() throws Exception {
    accept("ok");
    accept("bad");
    accept("lost");
    accept("late", Duration.ofSeconds(10));
    List<PollJob> jobs = advance(Duration.ofSeconds(2));
    assertThat(jobs).extracting(PollJob::taskId).containsExactlyInAnyOrder("ok", "bad", "lost", "late");
    for (PollJob job : jobs) {
      switch (job.taskId()) {
        case "ok" -> answer(job, PollOutcome.SUCCEEDED, "completed", 100);
        case "bad" -> answer(job, PollOutcome.FAILED, "failed", null);
        case "lost" -> answer(job, PollOutcome.FATAL, null, null);
        default -> { }
      }
    }
    advance(Duration.ofSeconds(8));

    List<TestRecord<String, Completion>> records = completions.readRecordsToList();
    assertThat(records).extracting(TestRecord::key).containsExactlyInAnyOrder("ok", "bad", "lost", "late");
    for (TestRecord<String, Completion> record : records) {
      Completion completion = record.value();
      byte[] json = JsonSerde.of(Completion.class).serialize("c", completion);
      assertThat(VALIDATOR.validate(EventType.COMPLETION, json)).as(record.key()).isEmpty();
      assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
      assertThat(header(record, "ce_id")).isEqualTo(record.key() + ":completion");
      assertThat(header(record, "ce_subject")).isEqualTo(record.key());
      assertThat(header(record, "ce_source")).isEqualTo("/async-bridge/providers/acquia");
      assertThat(header(record, "ce_time")).isNotBlank();
      assertThat(completion.upstream().notificationUrl()).isEqualTo(URL);
      assertThat(completion.upstream().httpStatus()).isEqualTo(202);
      assertThat(completion.metadata()).containsEntry("team", "db");
      assertGone(record.key());
    }
    assertThat(records.stream().filter(r -> r.key().equals("lost")).findFirst().orElseThrow().value().error().code())
        .isEqualTo("notification_host_not_allowed");
  }

  @Test
  void inFlightTasksAndCompletionsAreMetered() {
    accept("ok");
    accept("bad");
    accept("slow");
    accept("ok"); // a repeated hand-off is not a second task
    assertThat(meters.inFlight().count("acquia")).isEqualTo(3);

    for (PollJob job : advance(Duration.ofSeconds(2))) {
      if (job.taskId().equals("ok")) {
        answer(job, PollOutcome.SUCCEEDED, "completed", 100);
      } else if (job.taskId().equals("bad")) {
        answer(job, PollOutcome.FAILED, "failed", null);
      }
    }

    assertThat(meters.inFlight().count("acquia")).isEqualTo(1);
    assertThat(meters.completions().count("acquia", CompletionStatus.SUCCEEDED)).isEqualTo(1);
    assertThat(meters.completions().count("acquia", CompletionStatus.FAILED)).isEqualTo(1);
    assertThat(meters.registry().get("bridge.completions").tags("service", "poller", "provider", "acquia", "mode",
        "poll", "status", "succeeded").counter().count()).isEqualTo(1);
    driver.close(); // the stream task goes away (revoked): its tasks leave this instance's gauge
    driver = null;
    assertThat(meters.inFlight().count("acquia")).isZero();
  }

  @Test
  void aRepeatedHandOffDoesNotRestartTheTaskAndOtherModesAreIgnored() {
    accept("t1");
    clock.advance(Duration.ofSeconds(1));
    accept("t1");
    tasks.pipeInput("cb", new TaskAccepted("cb", "acquia", TaskMode.CALLBACK, T0, T0, T0.plusSeconds(60), 202, null,
        "corr", Map.of()));

    List<PollJob> jobs = advance(Duration.ofSeconds(1)); // at 2 s: due by the first hand-off, not the second

    assertThat(jobs).extracting(PollJob::taskId).containsExactly("t1");
    assertThat(taskStore().get("cb")).isNull();
  }

  @Test
  void aSaturatedProviderKeepsItsTasksDueUntilCapacityFrees() {
    dispatcher.capacity = 1;
    accept("a");
    accept("b");

    assertThat(advance(Duration.ofSeconds(2))).hasSize(1);
    assertThat(advance(Duration.ofMillis(200))).isEmpty();
    dispatcher.capacity = 5;
    assertThat(advance(Duration.ofMillis(200))).hasSize(1);
  }

  @Test
  void aTaskOfAnUnknownProviderIsKeptUntilItsDeadline() {
    tasks.pipeInput("x", new TaskAccepted("x", "gone", TaskMode.POLL, T0, T0, T0.plusSeconds(100), 202, URL, null,
        Map.of()));

    assertThat(advance(Duration.ofSeconds(1))).isEmpty();
    assertThat(taskStore().get("x")).isNotNull();
    assertThat(taskStore().get("x").nextDueAt()).isEqualTo(T0.plusSeconds(21)); // the largest maxInterval
    advance(Duration.ofSeconds(99));

    Completion completion = completions.readValue();
    assertThat(completion.status()).isEqualTo(CompletionStatus.TIMED_OUT);
    assertGone("x");
  }

  @Test
  void manyDueTasksAreStartedInBoundedBatchesPerTick() {
    for (int i = 0; i < 5_000; i++) {
      accept("bulk-" + i);
    }

    assertThat(advance(Duration.ofSeconds(2))).hasSize(2_000);
    assertThat(advance(Duration.ofMillis(150))).hasSize(2_000);
    assertThat(advance(Duration.ofMillis(150))).hasSize(1_000);
  }
}
