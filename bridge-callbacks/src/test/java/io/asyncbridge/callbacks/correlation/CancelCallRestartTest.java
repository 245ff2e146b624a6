package io.asyncbridge.callbacks.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.callbacks.cancel.CancelAnswer;
import io.asyncbridge.callbacks.correlation.CallbacksCancelCallTest.RecordingCancels;
import io.asyncbridge.callbacks.testing.TestConfigs;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.testkit.time.MutableClock;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

/**
 * A crash while a cancel call is out: the stream task starts again on the stores it left (the cancel is in the
 * waiting task's state), makes the call again at once, and its answer gives the one completion.
 */
class CancelCallRestartTest {

  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  private static final Duration RETENTION = Duration.ofMinutes(10);

  private final BridgeConfig config = TestConfigs.config();
  private final MutableClock clock = new MutableClock(START);
  private final RecordingCancels cancels = new RecordingCancels();

  @Test
  void aCancellingTaskFoundAtStartHasItsCallMadeAgainAndEndsOnceOnItsAnswer() {
    MockProcessorContext<String, Completion> context = new MockProcessorContext<>();
    KeyValueStore<String, CorrelationState> waiting = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(CallbacksTopology.WAITING_STORE), Serdes.String(), new CorrelationStateSerde())
        .withLoggingDisabled().build();
    WindowStore<String, CorrelationState> held = Stores.windowStoreBuilder(Stores.inMemoryWindowStore(
        CallbacksTopology.HELD_STORE, RETENTION, Duration.ofMillis(1), false), Serdes.String(),
        new CorrelationStateSerde()).withLoggingDisabled().build();
    KeyValueStore<String, CorrelationState> legacy = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(CallbacksTopology.LEGACY_STORE), Serdes.String(), new CorrelationStateSerde())
        .withLoggingDisabled().build();
    waiting.init(context.getStateStoreContext(), waiting);
    held.init(context.getStateStoreContext(), held);
    legacy.init(context.getStateStoreContext(), legacy);
    context.addStateStore(waiting);
    context.addStateStore(held);
    context.addStateStore(legacy);
    // What the crashed instance left: the cancel recorded, its call out when it died.
    TaskAccepted task = new TaskAccepted("t-crash", "payments", TaskMode.CALLBACK, START, START,
        START.plus(Duration.ofHours(1)), 202, null, "pay-7", Map.of());
    String key = CorrelationKeys.of(task);
    waiting.put(key, CorrelationState.waiting(task, task.deadline()).cancelling("before the crash"));
    clock.advance(Duration.ofMinutes(1));

    ServiceMeters meters = ServiceMeters.forTests("callbacks", config);
    CorrelationProcessor processor = new CorrelationProcessor(Map.of(), Map.of(), RETENTION, Duration.ofSeconds(1),
        clock, meters.inFlight(), meters.tracing(), meters.completions(),
        Counter.builder("ignored").register(meters.registry()), cancels);
    processor.init(context);
    assertThat(cancels.calls).as("not before the first punctuation").isEmpty();

    punctuate(context);
    assertThat(cancels.calls).singleElement().satisfies(call -> {
      assertThat(call.taskId()).isEqualTo("t-crash");
      assertThat(call.correlationId()).isEqualTo("pay-7");
    });
    assertThat(context.forwarded()).isEmpty();

    CancelAnswer answer = new CancelAnswer(key, "t-crash", cancels.calls.get(0).attempt(),
        CancelAnswer.Outcome.ACCEPTED, 200);
    cancels.calls.get(0).replyTo().offer(answer);
    punctuate(context);

    List<Completion> out = context.forwarded().stream().<Completion>map(forwarded -> forwarded.record().value())
        .toList();
    assertThat(out).singleElement().satisfies(completion -> {
      assertThat(completion.status()).isEqualTo(CompletionStatus.CANCELLED);
      assertThat(completion.error().message()).isEqualTo("cancelled while the bridge waited for its webhook; the"
          + " upstream accepted the cancel call (HTTP 200): before the crash");
    });
    assertThat(waiting.get(key)).isNull();
    cancels.calls.get(0).replyTo().offer(answer);
    punctuate(context);
    assertThat(context.forwarded()).as("a repeated answer is stale").hasSize(1);
    assertThat(cancels.calls).hasSize(1);
    processor.close();
  }

  private void punctuate(MockProcessorContext<String, Completion> context) {
    clock.advance(Duration.ofSeconds(1));
    context.scheduledPunctuators().forEach(scheduled -> scheduled.getPunctuator().punctuate(clock.millis()));
  }
}
