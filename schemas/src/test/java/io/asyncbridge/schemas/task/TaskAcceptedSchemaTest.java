package io.asyncbridge.schemas.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.schemas.Examples;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.trace.TraceContext;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the services write to the tasks topic is what task-accepted.schema.json says, and they read its examples. */
class TaskAcceptedSchemaTest {

  private static final EventSchemaValidator VALIDATOR = EventSchemaValidator.create();
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123456Z");
  private final JsonSerde<TaskAccepted> serde = JsonSerde.of(TaskAccepted.class);

  static Stream<TaskAccepted> written() {
    TraceContext trace = TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "vendor=abc")
        .orElseThrow();
    return Stream.of(
        new TaskAccepted("db-create-42", "acquia", TaskMode.POLL, T0, T0.plusMillis(250), T0.plusSeconds(3600), 202,
            "https://cloud.acquia.com/api/notifications/n-1", null, Map.of("team", "web")),
        new TaskAccepted("vm-9", "azure", TaskMode.POLL, T0, T0, T0.plus(Duration.ofDays(3)), 201,
            "https://management.azure.com/operations/1", null, Map.of(), Duration.ofMillis(1500), trace),
        new TaskAccepted("vm-10", "azure", TaskMode.POLL, T0, T0, T0.plusSeconds(60), 202,
            "http://127.0.0.1:8089/operations/2", null, Map.of(), Duration.ofHours(30)),
        new TaskAccepted("bulk-7", "cloud-elements", TaskMode.CALLBACK, T0, T0, T0.plusSeconds(1800), 200, null,
            "evt-5d2c", Map.of("k", "v"), null, trace),
        new TaskAccepted("job-1", "documents", TaskMode.CALLBACK, T0, T0, T0.plusSeconds(60), 202, null, null,
            Map.of()),
        TaskAccepted.cancelOf("bulk-7", "cloud-elements", TaskMode.CALLBACK, "evt-5d2c", "closed", T0),
        TaskAccepted.cancelOf("db-create-42", "acquia", TaskMode.POLL, null, null, T0));
  }

  @ParameterizedTest
  @MethodSource("written")
  void everyRecordTheServicesWriteMatchesTheSchema(TaskAccepted task) {
    byte[] bytes = serde.serialize("bridge.tasks", task);

    assertThat(VALIDATOR.validate(EventType.TASK_ACCEPTED, bytes)).as(new String(bytes)).isEmpty();
    assertThat(serde.deserialize("bridge.tasks", bytes)).isEqualTo(task);
  }

  @Test
  void theServicesReadEveryValidExample() {
    List<Path> examples = Examples.valid(EventType.TASK_ACCEPTED);

    assertThat(examples).isNotEmpty();
    for (Path example : examples) {
      TaskAccepted read = serde.deserialize("bridge.tasks", Examples.read(example));
      assertThat(read.taskId()).as(example.toString()).isNotBlank();
      assertThat(read.cancels()).as(example.toString()).isEqualTo(read.mode() == null);
      byte[] rewritten = serde.serialize("bridge.tasks", read);
      assertThat(VALIDATOR.validate(EventType.TASK_ACCEPTED, rewritten)).as(example.toString()).isEmpty();
    }
  }
}
