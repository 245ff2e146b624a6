package io.asyncbridge.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ProgressEvent;
import io.asyncbridge.schemas.RequestMethod;
import io.asyncbridge.schemas.TaskOrigin;
import io.asyncbridge.schemas.TaskRequest;
import io.asyncbridge.schemas.Via;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void roundTripsEveryEventRecord() {
        TaskRequest request = TaskRequest.of("t1", "acquia", RequestMethod.POST, "/applications");
        Completion completion = Completion.succeeded(TaskOrigin.of(request, T0), Via.INGEST, T0.plusSeconds(1), null);
        ProgressEvent progress = ProgressEvent.of(TaskOrigin.of(request, T0), 50, "in-progress", T0);

        assertThat(roundTrip(JsonSerde.of(TaskRequest.class), request)).isEqualTo(request);
        assertThat(roundTrip(JsonSerde.of(Completion.class), completion)).isEqualTo(completion);
        assertThat(roundTrip(JsonSerde.of(ProgressEvent.class), progress)).isEqualTo(progress);
    }

    @Test
    void nullStaysNull() {
        JsonSerde<Completion> serde = JsonSerde.of(Completion.class);

        assertThat(serde.serializer().serialize("topic", null)).isNull();
        assertThat(serde.deserializer().deserialize("topic", null)).isNull();
    }

    @Test
    void deserializeErrorsNameTheTypeTheTopicAndTheReason() {
        JsonSerde<Completion> serde = JsonSerde.of(Completion.class);

        assertThatThrownBy(() -> serde.deserialize("bridge.completions", "not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("cannot deserialize Completion from topic bridge.completions (8 bytes): ")
                .hasMessageContaining("Unrecognized token 'not'");
        byte[] failedWithoutError = ("{\"taskId\":\"t\",\"provider\":\"p\",\"status\":\"failed\",\"via\":\"poll\","
                + "\"submittedAt\":\"2026-11-23T10:00:00Z\",\"completedAt\":\"2026-11-23T10:00:01Z\",\"error\":null}")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> serde.deserialize("bridge.completions", failedWithoutError))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("cannot deserialize Completion")
                .hasMessageContaining("error must be present");
    }

    private static <T> T roundTrip(JsonSerde<T> serde, T value) {
        return serde.deserializer().deserialize("topic", serde.serializer().serialize("topic", value));
    }
}
