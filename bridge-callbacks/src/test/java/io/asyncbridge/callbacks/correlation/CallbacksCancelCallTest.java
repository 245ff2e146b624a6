package io.asyncbridge.callbacks.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.callbacks.cancel.CancelAnswer;
import io.asyncbridge.callbacks.cancel.CancelCalls;
import io.asyncbridge.callbacks.cancel.CancelJob;
import io.asyncbridge.callbacks.testing.TestConfigs;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.testkit.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forwarded cancel of a waiting task whose provider has a cancel call: the cancel stored first, then the call, then
 * the one completion on its answer; a webhook or the deadline while the call is out changes nothing.
 */
class CallbacksCancelCallTest {

  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  @TempDir
  Path stateDir;

  private final BridgeConfig config = TestConfigs.config();
  private final MutableClock clock = new MutableClock(START);
  private final RecordingCancels cancels = new RecordingCancels();
  private TopologyTestDriver driver;
  private TestInputTopic<String, TaskAccepted> tasks;
  private TestInputTopic<String, CorrelationEvent> webhooks;
  private TestOutputTopic<String, Completion> completions;

  /** The payments provider has a cancel call; the calls are recorded and answered by the test. */
  static final class RecordingCancels implements CancelCalls {
    final List<CancelJob> calls = new ArrayList<>();
    int heldBack;

    @Override
    public boolean cancels(String provider) {
      return "payments".equals(provider);
    }

    @Override
    public Duration timeout(String provider) {
      return CALL_TIMEOUT;
    }

    @Override
    public Start tryCancel(CancelJob job) {
      if (heldBack > 0) {
        heldBack--;
        return Start.NOT_NOW;
      }
      calls.add(job);
      return Start.STARTED;
    }
  }

  @BeforeEach
  void startDriver() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "callbacks-cancel-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver = new TopologyTestDriver(CallbacksTopology.build(config, clock, Duration.ofSeconds(1),
        ServiceMeters.forTests("callbacks", config), cancels), props, START);
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
  void theCancelIsStoredTheCallMadeAndItsAnswerIsInTheOneCompletion() {
    accept("t-1", "pay-1", Duration.ofHours(1));

    cancel("t-1", "pay-1", "the customer changed their mind");

    assertThat(completions.isEmpty()).as("not before the cancel call answered").isTrue();
    CorrelationState stored = waitingStore().get(CorrelationKeys.forId("payments", "pay-1"));
    assertThat(stored.isCancelling()).as("kept for a restart").isTrue();
    assertThat(stored.cancelReason()).isEqualTo("the customer changed their mind");
    assertThat(cancels.calls).singleElement().satisfies(call -> {
      assertThat(call.taskId()).isEqualTo("t-1");
      assertThat(call.correlationId()).isEqualTo("pay-1");
      assertThat(call.provider()).isEqualTo("payments");
    });

    answer(cancels.calls.get(0), CancelAnswer.Outcome.ACCEPTED, 200);

    List<Completion> out = completions.readValuesToList();
    assertThat(out).singleElement().satisfies(completion -> {
      assertThat(completion.taskId()).isEqualTo("t-1");
      assertThat(completion.status()).isEqualTo(CompletionStatus.CANCELLED);
      assertThat(completion.via()).isEqualTo(Via.CALLBACK);
      assertThat(completion.error().message()).isEqualTo("cancelled while the bridge waited for its webhook; the"
          + " upstream accepted the cancel call (HTTP 200): the customer changed their mind");
    });
    assertThat(waitingStore().get(CorrelationKeys.forId("payments", "pay-1"))).isNull();

    webhook("pay-1", "paid");
    tick(Duration.ofHours(2));
    assertThat(completions.isEmpty()).as("a later webhook or deadline changes nothing").isTrue();
    assertThat(cancels.calls).as("one call").hasSize(1);
  }

  @Test
  void aWebhookWhileTheCallIsOutProducesNothingAndTheCancelsAnswerGivesTheOneCompletion() {
    accept("t-race", "pay-2", Duration.ofHours(1));
    cancel("t-race", "pay-2", "race");

    webhook("pay-2", "paid");
    tick(Duration.ofSeconds(1));
    assertThat(completions.isEmpty()).as("the cancel came first and won").isTrue();
    cancel("t-race", "pay-2", "again");
    assertThat(cancels.calls).as("a repeated cancel makes no second call").hasSize(1);

    answer(cancels.calls.get(0), CancelAnswer.Outcome.REFUSED, 409);
    webhook("pay-2", "paid");
    tick(Duration.ofSeconds(1));

    List<Completion> out = completions.readValuesToList();
    assertThat(out).singleElement().satisfies(completion -> {
      assertThat(completion.status()).isEqualTo(CompletionStatus.CANCELLED);
      assertThat(completion.error().message()).contains("the upstream refused the cancel call (HTTP 409)")
          .endsWith(": race");
    });
  }

  @Test
  void anUnansweredCallIsGivenUpAfterItsTimeoutAndTheDeadlineDoesNotRaceIt() {
    accept("t-silent", "pay-3", Duration.ofSeconds(5));
    cancel("t-silent", "pay-3", null);

    tick(Duration.ofSeconds(6));
    assertThat(completions.isEmpty()).as("past the task's deadline, but the cancel is being made").isTrue();
    tick(CALL_TIMEOUT.plus(CorrelationProcessor.CANCEL_MARGIN));

    List<Completion> out = completions.readValuesToList();
    assertThat(out).singleElement().satisfies(completion -> {
      assertThat(completion.status()).isEqualTo(CompletionStatus.CANCELLED);
      assertThat(completion.error().message()).contains("the upstream did not answer the cancel call in time")
          .endsWith(": cancelled by request");
    });
    answer(cancels.calls.get(0), CancelAnswer.Outcome.ACCEPTED, 200);
    assertThat(completions.isEmpty()).as("an answer after the end is stale").isTrue();
  }

  @Test
  void aCallHeldBackByTheProvidersLimitsIsMadeLaterAndAProviderWithoutACancelCallEndsAtOnce() {
    accept("t-held", "pay-4", Duration.ofHours(1));
    accept("t-plain", "b-1", "builds");
    cancels.heldBack = 2;

    cancel("t-held", "pay-4", "held");
    cancel("t-plain", "b-1", "builds", "plain");
    assertThat(completions.readValuesToList()).singleElement().satisfies(completion -> {
      assertThat(completion.taskId()).isEqualTo("t-plain");
      assertThat(completion.error().message()).isEqualTo("cancelled while the bridge waited for its webhook; the"
          + " upstream was not asked to stop: plain");
    });
    tick(Duration.ofSeconds(1));
    assertThat(cancels.calls).isEmpty();
    tick(Duration.ofSeconds(1));

    assertThat(cancels.calls).singleElement().extracting(CancelJob::taskId).isEqualTo("t-held");
    assertThat(completions.isEmpty()).isTrue();
    answer(cancels.calls.get(0), CancelAnswer.Outcome.ACCEPTED, 202);
    assertThat(completions.readValuesToList()).singleElement().extracting(Completion::taskId).isEqualTo("t-held");
  }

  @Test
  void aCancellingTaskIsStoredWithItsReasonInAFormatOfItsOwn() {
    CorrelationStateSerde serde = new CorrelationStateSerde();
    TaskAccepted task = task("t-s", "pay-9", "payments", Duration.ofHours(1));
    CorrelationState waitingState = CorrelationState.waiting(task, task.deadline());
    CorrelationState cancelling = waitingState.cancelling("closed");

    byte[] bytes = serde.serializer().serialize("t", cancelling);
    assertThat(bytes[0]).isEqualTo(CorrelationStateSerde.FORMAT_2);
    assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(cancelling);
    assertThat(serde.serializer().serialize("t", waitingState)[0]).as("older versions read the others")
        .isEqualTo(CorrelationStateSerde.FORMAT_1);
    assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", waitingState)))
        .isEqualTo(waitingState);
  }

  private KeyValueStore<String, CorrelationState> waitingStore() {
    return driver.getKeyValueStore(CallbacksTopology.WAITING_STORE);
  }

  private TaskAccepted task(String taskId, String correlationId, String provider, Duration timeout) {
    return new TaskAccepted(taskId, provider, TaskMode.CALLBACK, clock.instant(), clock.instant(),
        clock.instant().plus(timeout), 202, null, correlationId, Map.of("team", "pay"));
  }

  private void accept(String taskId, String correlationId, Duration timeout) {
    tasks.pipeInput(taskId, task(taskId, correlationId, "payments", timeout), clock.instant());
  }

  private void accept(String taskId, String correlationId, String provider) {
    tasks.pipeInput(taskId, task(taskId, correlationId, provider, Duration.ofHours(1)), clock.instant());
  }

  private void cancel(String taskId, String correlationId, String reason) {
    cancel(taskId, correlationId, "payments", reason);
  }

  private void cancel(String taskId, String correlationId, String provider, String reason) {
    tasks.pipeInput(taskId, TaskAccepted.cancelOf(taskId, provider, TaskMode.CALLBACK, correlationId, reason,
        clock.instant()), clock.instant());
  }

  private void webhook(String correlationId, String status) {
    WebhookReceived webhook = new WebhookReceived("payments", null, correlationId, clock.instant(),
        ("{\"data\": {\"id\": \"" + correlationId + "\", \"status\": \"" + status + "\"}}")
            .getBytes(StandardCharsets.UTF_8));
    webhooks.pipeInput(webhook.correlationKey(), new CorrelationEvent.Webhook(webhook), clock.instant());
  }

  private void answer(CancelJob job, CancelAnswer.Outcome outcome, int httpStatus) {
    job.replyTo().offer(new CancelAnswer(job.key(), job.taskId(), job.attempt(), outcome, httpStatus));
    tick(Duration.ofSeconds(1));
  }

  private void tick(Duration by) {
    clock.advance(by);
    driver.advanceWallClockTime(by);
  }
}
