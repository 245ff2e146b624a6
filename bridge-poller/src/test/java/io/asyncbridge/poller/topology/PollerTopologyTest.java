package io.asyncbridge.poller.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.poller.poll.PollAnswerQueue;
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
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import io.asyncbridge.testkit.time.MutableClock;
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
  TestOutputTopic<String, byte[]> changelog;
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
    meters = ServiceMeters.forTests("poller", config);
    driver = new TopologyTestDriver(PollerTopology.build(config, dispatcher, clock, PollerTopology.Tuning.defaults(),
        meters), props, T0);
    tasks = driver.createInputTopic(config.topics().tasks(), new StringSerializer(),
        JsonSerde.of(TaskAccepted.class));
    changelog = driver.createOutputTopic("poller-test-" + PollerTopology.TASKS_STORE + "-changelog",
        new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer());
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

  /** Queues the answer as the HTTP client does; the next tick applies it. */
  void answer(PollJob job, PollOutcome outcome, String word, Integer percent, Long retryAfterMillis) {
    offer(job, outcome, word, percent, retryAfterMillis);
    applyAnswers();
  }

  void offer(PollJob job, PollOutcome outcome, String word, Integer percent, Long retryAfterMillis) {
    JsonNode result = outcome.terminal() && outcome != PollOutcome.FATAL ? resource(word) : null;
    assertThat(job.replyTo().offer(new PollObservation(job.taskId(), job.attempt(), clock.instant(), outcome, word,
        percent, outcome == PollOutcome.NOT_FOUND ? 404 : 200, retryAfterMillis, result,
        outcome == PollOutcome.FATAL ? "notification_host_not_allowed" : null, null))).isTrue();
  }

  /** One tick: the punctuator applies the queued answers (and starts nothing that is not yet due). */
  void applyAnswers() {
    assertThat(advance(TICK)).as("no poll due within the tick that applied the answers").isEmpty();
  }

  /** Records written to the task store's changelog so far (each a durable write). */
  int durableWrites() {
    return changelog.readRecordsToList().size();
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

  void assertGone(String taskId) {
    assertThat(taskStore().get(taskId)).isNull();
  }

  static String header(TestRecord<String, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  // ---- tests

  @Test
  void firstPollAfterInitialDelayCarriesAttemptProviderAndUrl() {
    accept("t1");

    PollJob job = pollAfter(Duration.ofSeconds(2));

    assertThat(job.taskId()).isEqualTo("t1");
    assertThat(job.attempt()).isEqualTo(1);
    assertThat(job.provider()).isEqualTo("acquia");
    assertThat(job.url()).isEqualTo(URL);
    assertThat(durableWrites()).as("the hand-off is written; the poll's lease is not").isEqualTo(1);
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
  void aRunningAnswersRetryAfterSetsTheNextPollShorterOrLongerThanTheBackoff() {
    accept("t1");
    PollJob job = pollAfter(Duration.ofSeconds(2));

    answer(job, PollOutcome.RUNNING, "Running", null, 2_000L); // the backoff would wait 5 s
    job = pollAfter(Duration.ofSeconds(2));
    answer(job, PollOutcome.RUNNING, "Running", null, 30_000L); // the backoff would wait 10 s
    job = pollAfter(Duration.ofSeconds(30));
    answer(job, PollOutcome.RUNNING, "Running", null, 0L); // "now" is taken as the 1 s floor
    job = pollAfter(Duration.ofSeconds(1));
    answer(job, PollOutcome.RUNNING, "Running", null);

    assertThat(pollAfter(Duration.ofSeconds(20)).attempt()).as("without Retry-After the backoff goes on").isEqualTo(5);
  }

  @Test
  void aRunningAnswersRetryAfterIsIgnoredWhenTheProviderDoesNotHonourIt() {
    config = new BridgeConfigLoader(Map.of()).parse("test", YAML.replace("jitter: 0", "jitter: 0\n      honourRetryAfter: false"));
    driver.close();
    start(config);
    accept("t1");
    PollJob job = pollAfter(Duration.ofSeconds(2));

    answer(job, PollOutcome.RUNNING, "Running", null, 1_000L);

    assertThat(pollAfter(Duration.ofSeconds(5)).attempt()).isEqualTo(2);
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

    assertThat(job.replyTo().offer(classifier.classify(job,
        new io.asyncbridge.core.upstream.UpstreamResponse(200, Map.of(), body), clock.instant()))).isTrue();
    applyAnswers();

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
    job = pollAfter(Duration.ofSeconds(10)); // at about 17 s; the next poll would be past the deadline
    answer(job, PollOutcome.RUNNING, "in-progress", null);

    assertThat(advance(Duration.ofSeconds(11))).isEmpty();  // at about 28 s
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
    offer(second, PollOutcome.RUNNING, "in-progress", 50, null);
    offer(second, PollOutcome.RUNNING, "in-progress", 60, null);     // duplicate answer of attempt 2: ignored
    applyAnswers();
    assertThat(progress.readValuesToList()).extracting(ProgressEvent::progress).containsExactly(50);
    PollJob third = pollAfter(Duration.ofSeconds(5));
    offer(third, PollOutcome.FAILED, "failed", null, null);
    offer(third, PollOutcome.FAILED, "failed", null, null);
    offer(third, PollOutcome.SUCCEEDED, "completed", null, null);
    applyAnswers();

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
    assertThat(advance(Duration.ofSeconds(98))).as("kept, never polled").isEmpty();
    assertThat(completions.isEmpty()).isTrue();
    advance(Duration.ofSeconds(1));

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
    assertThat(advance(TICK)).hasSize(2_000);
    assertThat(advance(TICK)).hasSize(1_000);
  }

  @Test
  void answersWaitInTheQueueUntilTheNextTick() {
    accept("t1");
    PollJob job = pollAfter(Duration.ofSeconds(2));

    offer(job, PollOutcome.RUNNING, "in-progress", 20, null);
    assertThat(progress.isEmpty()).as("not applied before the punctuator runs").isTrue();
    applyAnswers();

    assertThat(progress.readValue().progress()).isEqualTo(20);
  }

  @Test
  void anAnswerThatChangesNothingWritesNothing() {
    accept("t1");
    assertThat(durableWrites()).isEqualTo(1);
    PollJob job = pollAfter(Duration.ofSeconds(2));
    // The interval grows 5 s -> 10 s -> 20 s (maxInterval): two backoff steps are worth keeping, then none.
    long[] waits = {5, 10, 20, 20, 20, 20};
    for (long wait : waits) {
      answer(job, PollOutcome.RUNNING, "in-progress", null);
      job = pollAfter(Duration.ofSeconds(wait));
    }
    assertThat(durableWrites()).as("only the two backoff steps while the interval grew").isEqualTo(2);
    assertThat(taskStore().get("t1").intervalIndex()).isEqualTo(2);

    answer(job, PollOutcome.RUNNING, "in-progress", 40); // new progress: the record and its event, together
    assertThat(durableWrites()).isEqualTo(1);
    assertThat(taskStore().get("t1").lastProgress()).isEqualTo(40);
    assertThat(progress.readValue().progress()).isEqualTo(40);
    job = pollAfter(Duration.ofSeconds(20));
    answer(job, PollOutcome.RUNNING, "in-progress", 40);
    assertThat(durableWrites()).as("the same progress again").isZero();

    job = pollAfter(Duration.ofSeconds(20));
    answer(job, PollOutcome.SUCCEEDED, "completed", 100);
    List<TestRecord<String, byte[]>> last = changelog.readRecordsToList();
    assertThat(last).hasSize(1);
    assertThat(last.get(0).value()).as("the end deletes the record").isNull();
    assertThat(completions.readValue().status()).isEqualTo(CompletionStatus.SUCCEEDED);
  }

  @Test
  void aRetryAfterBeyondTheIntervalIsKeptForARestart() {
    accept("t1");
    PollJob job = pollAfter(Duration.ofSeconds(2));
    durableWrites();

    answer(job, PollOutcome.THROTTLED, null, null, 3_000L); // shorter than the 5 s interval: nothing to keep
    assertThat(durableWrites()).as("only the backoff step").isEqualTo(1);
    job = pollAfter(Duration.ofSeconds(5));
    Instant answeredAt = clock.instant();
    answer(job, PollOutcome.THROTTLED, null, null, 600_000L);

    assertThat(durableWrites()).isEqualTo(1);
    assertThat(taskStore().get("t1").notBeforeMillis())
        .isBetween(answeredAt.plusSeconds(600).toEpochMilli(), answeredAt.plusSeconds(600).plus(TICK).toEpochMilli());
    assertThat(advance(Duration.ofSeconds(599))).isEmpty();
    assertThat(advance(Duration.ofSeconds(1))).hasSize(1);
  }

  @Test
  void theNotFoundGraceStartsAfreshAfterTheNotificationWasFound() {
    accept("t1");
    PollJob job = pollAfter(Duration.ofSeconds(2));
    answer(job, PollOutcome.NOT_FOUND, null, null);            // a run of 404s starts at about 2 s
    assertThat(taskStore().get("t1").notFoundSinceMillis()).isPositive();
    job = pollAfter(Duration.ofSeconds(5));
    answer(job, PollOutcome.RUNNING, "in-progress", null);     // found: the run ends
    assertThat(taskStore().get("t1").notFoundSinceMillis()).isZero();
    job = pollAfter(Duration.ofSeconds(10));                   // at about 17 s
    answer(job, PollOutcome.RUNNING, "in-progress", null);
    job = pollAfter(Duration.ofSeconds(20));                   // at about 37 s
    for (int i = 0; i < 2; i++) {                              // 404s at about 37 and 57 s
      answer(job, PollOutcome.NOT_FOUND, null, null);
      job = pollAfter(Duration.ofSeconds(20));
    }
    answer(job, PollOutcome.NOT_FOUND, null, null);            // at about 77 s

    assertThat(completions.isEmpty()).as("77 s after acceptance, but only 40 s into this run of 404s").isTrue();
    job = pollAfter(Duration.ofSeconds(20));                   // at about 97 s: 60 s into the run
    answer(job, PollOutcome.NOT_FOUND, null, null);
    assertThat(completions.readValue().error().code()).isEqualTo("notification_not_found");
  }

  @Test
  void lateAnswersForARevokedPartitionAreDropped() {
    accept("t1");
    PollJob job = pollAfter(Duration.ofSeconds(2));

    driver.close(); // the stream task goes away: its partition now belongs to another instance
    driver = null;

    PollAnswerQueue queue = job.replyTo();
    assertThat(queue.isClosed()).isTrue();
    assertThat(queue.offer(new PollObservation("t1", 1, clock.instant(), PollOutcome.SUCCEEDED, "completed", 100,
        200, null, resource("completed"), null, null))).isFalse();
    assertThat(queue.dropped()).isEqualTo(1);
    assertThat(queue.size()).isZero();
  }

  // ---- cancel

  void cancel(String taskId, String reason) {
    tasks.pipeInput(taskId, TaskAccepted.cancelOf(taskId, "acquia", TaskMode.POLL, null, reason, clock.instant()));
  }

  @Test
  void aCancelWhilePolledEndsTheTaskOnceAndItsPollsLateAnswerIsIgnored() throws Exception {
    accept("t1");
    PollJob out = pollAfter(Duration.ofSeconds(2));
    durableWrites();

    cancel("t1", "the customer closed the ticket");

    List<TestRecord<String, Completion>> records = completions.readRecordsToList();
    assertThat(records).hasSize(1);
    Completion cancelled = records.get(0).value();
    assertThat(cancelled.status()).isEqualTo(CompletionStatus.CANCELLED);
    assertThat(cancelled.via()).isEqualTo(Via.POLL);
    assertThat(cancelled.error().code()).isEqualTo("cancelled");
    assertThat(cancelled.error().message()).endsWith(": the customer closed the ticket");
    assertThat(cancelled.metadata()).containsEntry("team", "db");
    assertThat(header(records.get(0), "ce_subject")).isEqualTo("t1");
    assertThat(VALIDATOR.validate(EventType.COMPLETION, JsonSerde.of(Completion.class).serialize("c", cancelled))).isEmpty();
    assertGone("t1");
    assertThat(changelog.readRecordsToList()).as("the delete, in the completion's transaction")
        .singleElement().satisfies(record -> assertThat(record.value()).isNull());

    answer(out, PollOutcome.SUCCEEDED, "completed", 100);
    assertThat(completions.isEmpty()).as("the superseded poll's answer").isTrue();
    assertThat(advance(Duration.ofHours(2))).as("no more polls, no deadline").isEmpty();
    assertThat(completions.isEmpty()).isTrue();
  }

  @Test
  void aCancelAfterTheEndOrOfAnotherModeChangesNothing() {
    accept("t1");
    PollJob job = pollAfter(Duration.ofSeconds(2));
    answer(job, PollOutcome.SUCCEEDED, "completed", 100);
    assertThat(completions.readValuesToList()).extracting(Completion::status)
        .containsExactly(CompletionStatus.SUCCEEDED);

    cancel("t1", "too late");
    tasks.pipeInput("cb", TaskAccepted.cancelOf("cb", "documents", TaskMode.CALLBACK, "evt", null, clock.instant()));
    cancel("never-seen", null);

    assertThat(completions.isEmpty()).isTrue();
    assertThat(meters.registry().get("bridge.cancels.ignored").tag("reason", "ended").counter().count())
        .as("a poll-mode cancel of a task no longer here").isEqualTo(2);
  }

  @Test
  void aCancelBeforeTheFirstPollMeansTheTaskIsNeverPolled() {
    accept("t1");
    cancel("t1", null);
    Completion cancelled = completions.readValuesToList().get(0);
    assertThat(cancelled.error().message()).endsWith(": cancelled by request");
    assertThat(advance(Duration.ofMinutes(5))).isEmpty();
    assertThat(completions.isEmpty()).isTrue();
  }
}
