package io.asyncbridge.poller.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class PollTaskSerdeTest {

  final PollTaskSerde serde = new PollTaskSerde();
  final PollTask task = new PollTask("acquia", "https://cloud.acquia.com/api/notifications/1", 1_000, 2_000, 9_000,
      202, Map.of("team", "db"), 3, 40, 5_000, 7_000);

  @Test
  void aTaskSurvivesTheRoundTrip() {
    assertThat(serde.deserialize("t", serde.serialize("t", task))).isEqualTo(task);
  }

  @Test
  void aTracedTaskKeepsItsTraceContextAndAnUntracedOneStaysVersion2() {
    PollTask untraced = new PollTask("acquia", "https://cloud.acquia.com/api/notifications/n-1", 1_000, 2_000, 9_000,
        202, java.util.Map.of("team", "blue"), 3, 40, 0, 0);
    PollTask traced = untraced.traced(io.asyncbridge.schemas.trace.TraceContext.of(
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "vendor=abc").orElseThrow());
    PollTaskSerde serde = new PollTaskSerde();

    assertThat(serde.serialize("t", untraced)[0]).isEqualTo(PollTaskSerde.VERSION_2);
    assertThat(serde.serialize("t", traced)[0]).isEqualTo(PollTaskSerde.VERSION_3);
    assertThat(serde.deserialize("t", serde.serialize("t", traced))).isEqualTo(traced);
    assertThat(serde.deserialize("t", serde.serialize("t", untraced))).isEqualTo(untraced);
  }

  @Test
  void aVersion1RecordIsReadWithoutItsScheduleFields() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(1);
      writeString(out, "acquia");
      writeString(out, "https://cloud.acquia.com/api/notifications/1");
      out.writeLong(1_000);
      out.writeLong(2_000);
      out.writeLong(9_000);
      out.writeShort(202);
      out.writeInt(2);        // partition
      out.writeInt(17);       // attempt
      out.writeBoolean(true); // awaiting
      out.writeShort(3);
      out.writeByte(40);
      out.writeLong(8_000);   // next due
      out.writeShort(1);
      writeString(out, "team");
      writeString(out, "db");
    }

    PollTask read = serde.deserialize("t", bytes.toByteArray());

    assertThat(read).isEqualTo(new PollTask("acquia", "https://cloud.acquia.com/api/notifications/1", 1_000, 2_000,
        9_000, 202, Map.of("team", "db"), 3, 40, 0, 0));
  }

  @Test
  void extraBytesOrAnUnknownVersionAreRefusedWithTheTopic() {
    byte[] valid = serde.serialize("t", task);
    byte[] longer = Arrays.copyOf(valid, valid.length + 2);
    byte[] future = valid.clone();
    future[0] = 9;

    assertThatThrownBy(() -> serde.deserialize("poll-tasks-changelog", longer))
        .isInstanceOf(SerializationException.class).hasMessageContaining("2 unexpected bytes")
        .hasMessageContaining("poll-tasks-changelog");
    assertThatThrownBy(() -> serde.deserialize("t", future)).isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown encoding version 9");
    assertThatThrownBy(() -> serde.deserialize("t", Arrays.copyOf(valid, 20)))
        .isInstanceOf(SerializationException.class).hasMessageContaining("cannot decode");
  }

  private static void writeString(DataOutputStream out, String value) throws Exception {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }
}
