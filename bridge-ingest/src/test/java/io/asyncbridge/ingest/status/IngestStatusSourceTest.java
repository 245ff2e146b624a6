package io.asyncbridge.ingest.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.ingest.topology.IngestTask;
import io.asyncbridge.schemas.RequestMethod;
import io.asyncbridge.schemas.TaskRequest;
import io.asyncbridge.schemas.task.TaskMode;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestStatusSourceTest {

  private final BridgeConfig config = new BridgeConfigLoader(Map.of()).parse("bridge.yaml", """
      providers:
        acquia: {type: acquia, baseUrl: 'https://cloud.acquia.com/api', clientId: id, clientSecret: secret}
      """);
  private final IngestStatusSource source = new IngestStatusSource(null, config, () -> null);
  private final Instant submitted = Instant.parse("2026-12-01T10:00:00Z");
  private final TaskRequest request = new TaskRequest("t-1", "acquia", RequestMethod.POST, "/applications/a/databases",
      Map.of("token", "query-secret"), Map.of("X-Api-Key", "header-secret"),
      JsonNodeFactory.instance.objectNode().put("password", "body-secret"), Duration.ofHours(1), Map.of("team", "blue"));

  @Test
  void aTaskNotSentYetIsReceivedAndARetriedOneDispatching() {
    IngestTask fresh = new IngestTask(IngestTask.State.PENDING, 0, 0, "e", 0, submitted,
        submitted.plus(Duration.ofHours(1)), submitted, null, request);
    IngestTask retried = fresh.with(IngestTask.State.SENDING, 1, "e", submitted.plusSeconds(40))
        .failedOnce("HTTP 503 from cloud.acquia.com", submitted.plusSeconds(50));

    JsonObject received = source.describe(fresh);
    JsonObject dispatching = source.describe(retried);

    assertThat(received.getString("state")).isEqualTo("received");
    assertThat(received.getString("mode")).isEqualTo("poll");
    assertThat(dispatching.getString("state")).isEqualTo("dispatching");
    assertThat(dispatching.getInteger("failures")).isEqualTo(1);
    assertThat(dispatching.getString("nextAttemptAt")).isEqualTo("2026-12-01T10:00:50Z");
    assertThat(dispatching.getString("lastError")).isEqualTo("HTTP 503 from cloud.acquia.com");
    for (JsonObject part : new JsonObject[] {received, dispatching}) {
      assertThat(part.encode()).doesNotContain("query-secret").doesNotContain("header-secret")
          .doesNotContain("body-secret").contains("blue");
    }
  }

  @Test
  void anEndedTaskSaysHowItLeftIngest() {
    JsonObject handedOver = source.describe(IngestTask.done(0, submitted, submitted.plus(Duration.ofDays(7)),
        new IngestTask.Ended("handed_over", "documents", TaskMode.CALLBACK, "1028")));
    JsonObject olderMarker = source.describe(IngestTask.done(0, submitted, submitted.plus(Duration.ofDays(7))));

    assertThat(handedOver.getString("state")).isEqualTo("ended");
    assertThat(handedOver.getString("outcome")).isEqualTo("handed_over");
    assertThat(handedOver.getString("mode")).isEqualTo("callback");
    assertThat(handedOver.getString("correlationId")).isEqualTo("1028");
    assertThat(olderMarker.getString("state")).isEqualTo("ended");
    assertThat(olderMarker.containsKey("outcome")).isFalse();
  }
}
