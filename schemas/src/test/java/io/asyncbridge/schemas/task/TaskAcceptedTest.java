package io.asyncbridge.schemas.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.schemas.serde.JsonSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-off event keeps reading what older instances wrote, and carries the first poll's delay when known. */
class TaskAcceptedTest {

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private final JsonSerde<TaskAccepted> serde = JsonSerde.of(TaskAccepted.class);

  @Test
  void aRecordWrittenBeforeTheFirstPollDelayExistedReadsAsWithoutOne() {
    String old = "{\"taskId\":\"t-1\",\"provider\":\"acquia\",\"mode\":\"POLL\",\"submittedAt\":\"2026-11-23T10:00:00Z\","
        + "\"acceptedAt\":\"2026-11-23T10:00:01Z\",\"deadline\":\"2026-11-23T11:00:00Z\",\"httpStatus\":202,"
        + "\"notificationUrl\":\"https://cloud.acquia.com/api/notifications/n-1\",\"correlationId\":null,"
        + "\"metadata\":{\"k\":\"v\"}}";

    TaskAccepted read = serde.deserialize("tasks", old.getBytes(StandardCharsets.UTF_8));

    assertThat(read.firstPollDelay()).isNull();
    assertThat(read.notificationUrl()).isEqualTo("https://cloud.acquia.com/api/notifications/n-1");
    assertThat(read.metadata()).containsEntry("k", "v");
  }

  @Test
  void theFirstPollDelayTravelsAndIsLeftOutWhenAbsent() {
    TaskAccepted with = new TaskAccepted("t-2", "azure", TaskMode.POLL, T0, T0, T0.plusSeconds(60), 202,
        "https://management.azure.com/operations/1", null, Map.of(), Duration.ofSeconds(7));
    TaskAccepted without = new TaskAccepted("t-3", "azure", TaskMode.POLL, T0, T0, T0.plusSeconds(60), 202,
        "https://management.azure.com/operations/2", null, Map.of());

    assertThat(serde.deserialize("tasks", serde.serialize("tasks", with)).firstPollDelay())
        .isEqualTo(Duration.ofSeconds(7));
    String written = new String(serde.serialize("tasks", without), StandardCharsets.UTF_8);
    assertThat(written).as("older readers see the record they know").doesNotContain("firstPollDelay");
    assertThat(serde.deserialize("tasks", written.getBytes(StandardCharsets.UTF_8))).isEqualTo(without);
  }

  @Test
  void aNegativeDelayMeansPollAtOnce() {
    TaskAccepted task = new TaskAccepted("t-4", "azure", TaskMode.POLL, T0, T0, T0.plusSeconds(60), 202, "https://x",
        null, Map.of(), Duration.ofSeconds(-3));
    assertThat(task.firstPollDelay()).isZero();
  }

  @Test
  void aCancelTravelsWithoutAModeSoOlderReadersSkipIt() {
    TaskAccepted cancel = TaskAccepted.cancelOf("t-5", "documents", TaskMode.CALLBACK, "evt-5", "closed", T0);

    String written = new String(serde.serialize("tasks", cancel), StandardCharsets.UTF_8);
    TaskAccepted read = serde.deserialize("tasks", written.getBytes(StandardCharsets.UTF_8));

    assertThat(written).contains("\"mode\":null", "\"cancel\":{\"mode\":\"CALLBACK\"");
    assertThat(read).isEqualTo(cancel);
    assertThat(read.cancels()).isTrue();
    assertThat(read.cancel().reasonOrDefault()).isEqualTo("closed");
    assertThat(new String(serde.serialize("tasks", new TaskAccepted("t-6", "azure", TaskMode.POLL, T0, T0, T0, 202,
        "https://x", null, Map.of())), StandardCharsets.UTF_8)).as("a hand-off has no cancel field")
        .doesNotContain("cancel");
  }
}
