package io.asyncbridge.callbacks.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.callbacks.correlation.CorrelationState;
import io.asyncbridge.callbacks.correlation.WebhookReceived;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallbacksStatusSourceTest {

  private final CallbacksStatusSource source = new CallbacksStatusSource(null, () -> null);

  @Test
  void theKeyIsTheCorrelationKeyIngestsPartNames() {
    assertThat(source.keyOf("t-1", new JsonObject().put("provider", "documents").put("correlationId", "1028")))
        .isEqualTo("documents|1028");
    assertThat(source.keyOf("t-1", new JsonObject().put("provider", "hooks"))).isEqualTo("hooks|task:t-1");
    assertThat(source.keyOf("t-1", new JsonObject())).as("no provider known: the part is skipped").isNull();
  }

  @Test
  void eachPhaseIsShownWithoutTheWebhooksBody() {
    TaskAccepted task = new TaskAccepted("t-1", "documents", TaskMode.CALLBACK, Instant.parse("2026-12-01T10:00:00Z"),
        Instant.parse("2026-12-01T10:00:01Z"), Instant.parse("2026-12-02T10:00:00Z"), 200, null, "1028",
        Map.of("team", "blue"));
    JsonObject waiting = CallbacksStatusSource.describe(new CorrelationState(CorrelationState.Phase.WAITING_FOR_WEBHOOK,
        task, null, "t-1", task.deadline()));
    JsonObject early = CallbacksStatusSource.describe(new CorrelationState(CorrelationState.Phase.EARLY_WEBHOOK, null,
        new WebhookReceived("documents", null, "1029", Instant.parse("2026-12-01T10:00:02Z"),
            "{\"secretField\":\"do-not-show\"}".getBytes(StandardCharsets.UTF_8)), null,
        Instant.parse("2026-12-01T11:00:02Z")));
    JsonObject completed = CallbacksStatusSource.describe(new CorrelationState(CorrelationState.Phase.COMPLETED, null,
        null, "t-1", Instant.parse("2026-12-01T11:00:00Z")));

    assertThat(waiting.getString("phase")).isEqualTo("waiting_for_webhook");
    assertThat(waiting.getString("correlationId")).isEqualTo("1028");
    assertThat(waiting.getString("deadline")).isEqualTo("2026-12-02T10:00:00Z");
    assertThat(waiting.getBoolean("earlyWebhookHeld")).isFalse();
    assertThat(early.getBoolean("earlyWebhookHeld")).isTrue();
    assertThat(early.getString("heldUntil")).isEqualTo("2026-12-01T11:00:02Z");
    assertThat(early.encode()).doesNotContain("do-not-show");
    assertThat(completed.getString("phase")).isEqualTo("completed");
  }
}
