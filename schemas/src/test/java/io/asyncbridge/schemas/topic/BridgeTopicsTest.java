package io.asyncbridge.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** The registry names each topic as configured and gives the serde its records are written with. */
class BridgeTopicsTest {

  private final TopicNames names = new TopicNames("team.requests", "team.completions", "team.progress", "team.dlq",
      "team.tasks", "team.results", "team.webhooks", 6, (short) 3, false);
  private final BridgeTopics topics = new BridgeTopics(names);

  @Test
  void everyTopicHasItsConfiguredName() {
    assertThat(topics.requests().name()).isEqualTo("team.requests");
    assertThat(topics.completions().name()).isEqualTo("team.completions");
    assertThat(topics.progress().name()).isEqualTo("team.progress");
    assertThat(topics.deadLetter().name()).isEqualTo("team.dlq");
    assertThat(topics.tasks().name()).isEqualTo("team.tasks");
    assertThat(topics.dispatchResults(Serdes.String()).name()).isEqualTo("team.results");
    assertThat(topics.webhooks(Serdes.String()).name()).isEqualTo("team.webhooks");
    assertThat(topics.names()).isSameAs(names);
  }

  @Test
  void theHandOffTravelsAsTheSchemaSays() {
    TaskAccepted task = new TaskAccepted("t-1", "acquia", TaskMode.POLL, Instant.parse("2026-12-02T10:00:00Z"),
        Instant.parse("2026-12-02T10:00:01Z"), Instant.parse("2026-12-02T11:00:00Z"), 202,
        "https://cloud.acquia.com/api/notifications/n-1", null, Map.of());

    byte[] written = topics.tasks().valueSerializer().serialize(names.tasks(), task);

    assertThat(EventSchemaValidator.create().validate(EventType.TASK_ACCEPTED, written)).isEmpty();
    assertThat(topics.tasks().valueDeserializer().deserialize(names.tasks(), written)).isEqualTo(task);
  }

  @Test
  void requestsAndDeadLettersStayRawSoIngestCanJudgeAnyBytes() {
    byte[] notJson = {(byte) 0xff, 0x00, '{'};

    assertThat(topics.requests().keyDeserializer().deserialize(names.requests(), notJson)).isEqualTo(notJson);
    assertThat(topics.requests().valueDeserializer().deserialize(names.requests(), notJson)).isEqualTo(notJson);
    assertThat(topics.deadLetter().valueSerializer().serialize(names.deadLetter(), notJson)).isEqualTo(notJson);
    assertThat(topics.tasks().keySerializer().serialize(names.tasks(), "t-1"))
        .isEqualTo("t-1".getBytes(StandardCharsets.UTF_8));
  }
}
