package io.asyncbridge.poller.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.poller.poll.CancelCaller;
import io.asyncbridge.poller.poll.PollJob;
import io.asyncbridge.poller.poll.PollObservation;
import io.asyncbridge.poller.poll.PollOutcome;
import io.asyncbridge.poller.state.PollTask;
import io.asyncbridge.poller.state.PollTaskSerde;
import io.asyncbridge.poller.status.PollScheduleViews;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.testkit.time.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A forwarded cancel of a task whose provider has a cancel call: the call first, then the one completion. */
class PollerCancelCallTest {

  static final String YAML = """
      providers:
        ops:
          type: google-lro
          baseUrl: https://ops.example.com/v1
          auth: {type: header, header: X-Goog-Api-Key, value: key-of-the-test}
          poll: {initialDelay: 1s, initialInterval: 5s, multiplier: 1, maxInterval: 5s, jitter: 0, requestTimeout: 10s}
      """;
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final String URL = "https://ops.example.com/v1/operations/op-1";
  static final Duration TICK = PollerTopology.Tuning.defaults().tick();

  final MutableClock clock = new MutableClock(T0);
  final RecordingDispatcher dispatcher = new RecordingDispatcher();
  final RecordingCancels cancels = new RecordingCancels();
  BridgeConfig config;
  TopologyTestDriver driver;
  TestInputTopic<String, TaskAccepted> tasks;
  TestOutputTopic<String, Completion> completions;

  @TempDir
  Path stateDir;

  static final class RecordingCancels implements CancelCaller {
    final List<PollJob> calls = new ArrayList<>();
    /** How many of the next calls the provider's lane holds back (its rate limit, say). */
    int heldBack;

    @Override
    public boolean cancels(String provider) {
      return "ops".equals(provider);
    }

    @Override
    public Start tryCancel(PollJob job) {
      if (heldBack > 0) {
        heldBack--;
        return Start.NOT_NOW;
      }
      calls.add(job);
      return Start.STARTED;
    }
  }

  @BeforeEach
  void start() {
    config = new BridgeConfigLoader(Map.of()).parse("test", YAML);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "poller-cancel-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(PollerTopology.build(config, dispatcher, clock, PollerTopology.Tuning.defaults(),
        ServiceMeters.forTests("poller", config), new PollScheduleViews(), cancels), props, T0);
    tasks = driver.createInputTopic(config.topics().tasks(), new StringSerializer(), JsonSerde.of(TaskAccepted.class));
    completions = driver.createOutputTopic(config.topics().completions(), new StringDeserializer(),
        JsonSerde.of(Completion.class));
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  List<PollJob> advance(Duration by) {
    clock.advance(by);
    driver.advanceWallClockTime(by);
    return dispatcher.drain();
  }

  void accept(String taskId) {
    tasks.pipeInput(taskId, new TaskAccepted(taskId, "ops", TaskMode.POLL, T0, T0, T0.plusSeconds(3600), 200, URL,
        null, Map.of()));
  }

  void cancel(String taskId, String reason) {
    tasks.pipeInput(taskId, TaskAccepted.cancelOf(taskId, "ops", TaskMode.POLL, null, reason, clock.instant()));
  }

  void answer(PollJob job, PollOutcome outcome, int httpStatus) {
    assertThat(job.replyTo().offer(new PollObservation(job.taskId(), job.attempt(), clock.instant(), outcome, null,
        null, httpStatus, null, null, null, null))).isTrue();
    advance(TICK);
  }

  KeyValueStore<String, PollTask> store() {
    return driver.getKeyValueStore(PollerTopology.TASKS_STORE);
  }

  @Test
  void theCancelCallIsMadeFirstAndItsAnswerIsInTheOneCompletion() {
    accept("t1");
    PollJob poll = advance(Duration.ofSeconds(1)).get(0);

    cancel("t1", "closed");
    assertThat(completions.isEmpty()).as("not before the cancel call answered").isTrue();
    assertThat(store().get("t1").cancelReason()).as("kept for a restart").isEqualTo("closed");
    assertThat(advance(TICK)).as("no poll while cancelling").isEmpty();
    assertThat(cancels.calls).singleElement().satisfies(call -> {
      assertThat(call.url()).isEqualTo(URL);
      assertThat(call.attempt()).isGreaterThan(poll.attempt());
    });

    answer(poll, PollOutcome.SUCCEEDED, 200); // the superseded poll: stale
    assertThat(completions.isEmpty()).isTrue();
    answer(cancels.calls.get(0), PollOutcome.SUCCEEDED, 200);

    Completion cancelled = completions.readValuesToList().get(0);
    assertThat(cancelled.status()).isEqualTo(CompletionStatus.CANCELLED);
    assertThat(cancelled.via()).isEqualTo(Via.POLL);
    assertThat(cancelled.error().message()).isEqualTo("cancelled while the bridge polled it; the upstream accepted"
        + " the cancel call (HTTP 200): closed");
    assertThat(store().get("t1")).isNull();
    assertThat(advance(Duration.ofHours(2))).isEmpty();
    assertThat(completions.isEmpty()).isTrue();
    assertThat(cancels.calls).hasSize(1);
  }

  @Test
  void aRefusedUnansweredOrRepeatedCancelStillGivesOneCompletionSayingSo() {
    accept("refused");
    accept("silent");
    advance(Duration.ofSeconds(1));
    cancel("refused", null);
    cancel("silent", "why not");
    cancel("silent", "again");
    advance(TICK);
    assertThat(cancels.calls).extracting(PollJob::taskId).containsExactly("refused", "silent");

    answer(cancels.calls.get(0), PollOutcome.FAILED, 501);
    advance(Duration.ofSeconds(13)); // request timeout + lease margin, unanswered

    List<Completion> all = completions.readValuesToList();
    assertThat(all).extracting(Completion::taskId).containsExactly("refused", "silent");
    assertThat(all.get(0).error().message()).contains("the upstream refused the cancel call (HTTP 501)")
        .endsWith(": cancelled by request");
    assertThat(all.get(1).error().message()).contains("did not answer the cancel call in time").endsWith(": why not");
    assertThat(cancels.calls).as("one call each").hasSize(2);
  }

  @Test
  void aCancellingTaskIsStoredWithItsReason() {
    PollTaskSerde serde = new PollTaskSerde();
    PollTask task = new PollTask("ops", URL, 1, 2, 3, 200, Map.of("k", "v"), 0, -1, 0, 0).cancelling("closed");
    assertThat(serde.deserialize("t", serde.serialize("t", task))).isEqualTo(task);
    PollTask traced = task.traced(io.asyncbridge.schemas.trace.TraceContext.of(
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null).orElseThrow());
    assertThat(serde.deserialize("t", serde.serialize("t", traced))).isEqualTo(traced);
    PollTask followed = new PollTask("ops", URL, 1, 2, 3, 200, Map.of(), 0, -1, 0, 0);
    assertThat(serde.serialize("t", followed)[0]).as("older pollers read a store without cancels").isEqualTo((byte) 2);
  }

  @Test
  void aCancelCallHeldBackByTheProvidersLaneIsAskedAgainNotGivenUp() {
    accept("t1");
    advance(Duration.ofSeconds(1));
    cancels.heldBack = 3;

    cancel("t1", "closed");
    advance(TICK);
    advance(TICK);
    assertThat(cancels.calls).as("held back by the lane so far").isEmpty();
    assertThat(completions.isEmpty()).as("held back is not a reason to end without the call").isTrue();
    advance(TICK);
    advance(TICK);

    assertThat(cancels.calls).singleElement().extracting(PollJob::taskId).isEqualTo("t1");
    answer(cancels.calls.get(0), PollOutcome.SUCCEEDED, 202);
    assertThat(completions.readValuesToList()).singleElement().satisfies(completion -> assertThat(
        completion.error().message()).contains("the upstream accepted the cancel call (HTTP 202)"));
  }
}
