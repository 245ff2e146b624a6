package io.asyncbridge.callbacks.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.schemas.trace.TraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class CorrelationSerdesTest {

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final TaskAccepted TASK = new TaskAccepted("t-1", "documents", TaskMode.CALLBACK, T0,
      T0.plusMillis(250), T0.plusSeconds(3600).plusNanos(123_456_789), 202, null, "1028", Map.of("team", "docs"));
  private static final byte[] BODY = "{\"eventId\":1028,\"response\":{\"events\":[1.5,\"x\"]}}"
      .getBytes(StandardCharsets.UTF_8);
  private static final WebhookReceived WEBHOOK = new WebhookReceived("documents", "t-1", "1028", T0.plusSeconds(5), BODY);

  /** What the versions before the binary format wrote (produced by that code, kept verbatim). */
  private static final String LEGACY_TASK_JSON = "{\"taskId\":\"t-1\",\"provider\":\"documents\",\"mode\":\"CALLBACK\","
      + "\"submittedAt\":\"2026-11-23T10:00:00Z\",\"acceptedAt\":\"2026-11-23T10:00:00.250Z\","
      + "\"deadline\":\"2026-11-23T11:00:00.123456789Z\",\"httpStatus\":202,\"notificationUrl\":null,"
      + "\"correlationId\":\"1028\",\"metadata\":{\"team\":\"docs\"}}";
  private static final String LEGACY_WEBHOOK_JSON = "{\"provider\":\"documents\",\"routeTaskId\":\"t-1\","
      + "\"correlationId\":\"1028\",\"receivedAt\":\"2026-11-23T10:00:05Z\","
      + "\"body\":{\"eventId\":1028,\"response\":{\"events\":[1.5,\"x\"]}}}";

  private final CorrelationEventSerde events = new CorrelationEventSerde();
  private final CorrelationStateSerde states = new CorrelationStateSerde();

  @Test
  void eventsRoundTripWithTheBodyAsReceived() {
    byte[] spaced = "{ \"eventId\" : 1028 ,\n \"x\": \"\\u00e9\" }".getBytes(StandardCharsets.UTF_8);
    WebhookReceived webhook = new WebhookReceived("documents", null, "1028", T0.plusNanos(7), spaced);

    assertThat(events.deserialize("w", events.serialize("w", new CorrelationEvent.Webhook(webhook))))
        .isEqualTo(new CorrelationEvent.Webhook(webhook));
    assertThat(((CorrelationEvent.Webhook) events.deserialize("w", events.serialize("w",
        new CorrelationEvent.Webhook(webhook)))).webhook().body()).isEqualTo(spaced);
    assertThat(events.deserialize("w", events.serialize("w", new CorrelationEvent.Task(TASK))))
        .isEqualTo(new CorrelationEvent.Task(TASK));
    CorrelationEvent.Cancel cancel = new CorrelationEvent.Cancel(io.asyncbridge.schemas.task.TaskAccepted.cancelOf("t-1",
        "documents", TaskMode.CALLBACK, "1028", "closed", T0.plusNanos(3)));
    assertThat(events.deserialize("w", events.serialize("w", cancel))).isEqualTo(cancel);
  }

  @Test
  void aTasksTraceContextRoundTripsAndAnUntracedTaskIsWrittenAsBefore() {
    TaskAccepted traced = new TaskAccepted("t-1", "documents", TaskMode.CALLBACK, T0, T0, T0.plusSeconds(60), 202,
        null, "1028", Map.of(), null, TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            null).orElseThrow());

    assertThat(events.deserialize("w", events.serialize("w", new CorrelationEvent.Task(traced))))
        .isEqualTo(new CorrelationEvent.Task(traced));
    CorrelationState waiting = CorrelationState.waiting(traced, traced.deadline());
    assertThat(states.deserialize("s", states.serialize("s", waiting))).isEqualTo(waiting);
    TaskAccepted untraced = new TaskAccepted("t-1", "documents", TaskMode.CALLBACK, T0, T0, T0.plusSeconds(60), 202,
        null, "1028", Map.of());
    assertThat(events.serialize("w", new CorrelationEvent.Task(traced)).length)
        .isGreaterThan(events.serialize("w", new CorrelationEvent.Task(untraced)).length + 55);
  }

  @Test
  void nullFieldsAndEmptyMetadataRoundTrip() {
    TaskAccepted sparse = new TaskAccepted("t-2", "builds", TaskMode.CALLBACK, T0, null, null, 0, null, null, null);
    WebhookReceived perTask = new WebhookReceived("builds", "t-2", null, T0, new byte[] {'{', '}'});

    assertThat(events.deserialize("w", events.serialize("w", new CorrelationEvent.Task(sparse))))
        .isEqualTo(new CorrelationEvent.Task(sparse));
    assertThat(events.deserialize("w", events.serialize("w", new CorrelationEvent.Webhook(perTask))))
        .isEqualTo(new CorrelationEvent.Webhook(perTask));
  }

  @Test
  void everyPhaseRoundTripsWithExactDueTimes() {
    for (CorrelationState state : new CorrelationState[] {
        CorrelationState.waiting(TASK, TASK.deadline()),
        CorrelationState.early(WEBHOOK, T0.plusSeconds(600)),
        CorrelationState.completed("t-1", T0.plusSeconds(900).plusNanos(1))}) {
      assertThat(states.deserialize("s", states.serialize("s", state))).isEqualTo(state);
    }
  }

  @Test
  void theBinaryFormIsSmallerThanTheJsonItReplaces() {
    byte[] waiting = states.serialize("s", CorrelationState.waiting(TASK, TASK.deadline()));
    assertThat(waiting.length).isLessThan(("{\"phase\":\"WAITING_FOR_WEBHOOK\",\"task\":" + LEGACY_TASK_JSON
        + ",\"webhook\":null,\"taskId\":\"t-1\",\"dueAt\":\"2026-11-23T11:00:00.123456789Z\"}").length());
    assertThat(events.serialize("w", new CorrelationEvent.Webhook(WEBHOOK)).length).isLessThan(BODY.length + 64);
  }

  @Test
  void recordsOfTheEarlierJsonFormatAreStillRead() {
    assertThat(events.deserialize("w", utf8("{\"type\":\"task\",\"task\":" + LEGACY_TASK_JSON + "}")))
        .isEqualTo(new CorrelationEvent.Task(TASK));
    assertThat(events.deserialize("w", utf8("{\"type\":\"webhook\",\"webhook\":" + LEGACY_WEBHOOK_JSON + "}")))
        .isEqualTo(new CorrelationEvent.Webhook(WEBHOOK));

    assertThat(states.deserialize("s", utf8("{\"phase\":\"WAITING_FOR_WEBHOOK\",\"task\":" + LEGACY_TASK_JSON
        + ",\"webhook\":null,\"taskId\":\"t-1\",\"dueAt\":\"2026-11-23T11:00:00.123456789Z\"}")))
        .isEqualTo(CorrelationState.waiting(TASK, TASK.deadline()));
    assertThat(states.deserialize("s", utf8("{\"phase\":\"EARLY_WEBHOOK\",\"task\":null,\"webhook\":"
        + LEGACY_WEBHOOK_JSON + ",\"taskId\":\"t-1\",\"dueAt\":\"2026-11-23T10:10:00Z\"}")))
        .isEqualTo(CorrelationState.early(WEBHOOK, T0.plusSeconds(600)));
    assertThat(states.deserialize("s", utf8("{\"phase\":\"COMPLETED\",\"task\":null,\"webhook\":null,"
        + "\"taskId\":\"t-1\",\"dueAt\":\"2026-11-23T10:15:00Z\"}")))
        .isEqualTo(CorrelationState.completed("t-1", T0.plusSeconds(900)));
  }

  @Test
  void damagedRecordsFailWithTheTopicNamed() {
    byte[] valid = events.serialize("w", new CorrelationEvent.Webhook(WEBHOOK));

    assertThatThrownBy(() -> events.deserialize("hooks", Arrays.copyOf(valid, valid.length - 10)))
        .isInstanceOf(SerializationException.class).hasMessageContaining("hooks");
    assertThatThrownBy(() -> events.deserialize("hooks", new byte[] {9, 1}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("unknown format 9");
    assertThatThrownBy(() -> states.deserialize("store", new byte[] {1, 7}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("store");
    assertThatThrownBy(() -> events.deserialize("hooks", utf8("{\"type\":\"other\"}")))
        .isInstanceOf(SerializationException.class).hasMessageContaining("unknown type 'other'");
    assertThatThrownBy(() -> events.deserialize("hooks", Arrays.copyOf(valid, valid.length + 3)))
        .isInstanceOf(SerializationException.class).hasMessageContaining("3 unexpected bytes");
    byte[] state = states.serialize("store", CorrelationState.completed("t-1", T0));
    assertThatThrownBy(() -> states.deserialize("store", Arrays.copyOf(state, state.length + 1)))
        .isInstanceOf(SerializationException.class).hasMessageContaining("1 unexpected bytes");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
