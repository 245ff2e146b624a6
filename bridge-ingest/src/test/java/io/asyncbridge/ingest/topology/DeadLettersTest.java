package io.asyncbridge.ingest.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.schemas.TaskError;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.junit.jupiter.api.Test;

/** The dead-letter copy keeps the original whole while it fits the dead-letter topic, and says what it cut. */
class DeadLettersTest {

  private static final RecordMetadata SOURCE = new RecordMetadata() {
    @Override
    public String topic() {
      return "bridge.requests";
    }

    @Override
    public int partition() {
      return 2;
    }

    @Override
    public long offset() {
      return 41;
    }
  };
  private static final TaskError ERROR = new TaskError("request_too_large", "too large ".repeat(10_000));

  @Test
  void aRecordThatFitsIsCopiedWhole() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", bytes("00-abc-def-01"));
    byte[] value = new byte[DeadLetters.MAX_VALUE_BYTES];
    Record<Object, Object> copy = DeadLetters.record(new Record<>(bytes("t-1"), value, 7L, headers), SOURCE, ERROR);

    assertThat((byte[]) copy.key()).isEqualTo(bytes("t-1"));
    assertThat((byte[]) copy.value()).isSameAs(value);
    assertThat(text(copy, "traceparent")).isEqualTo("00-abc-def-01");
    assertThat(text(copy, DeadLetters.ORIGINAL_OFFSET)).isEqualTo("41");
    assertThat(copy.headers().lastHeader(DeadLetters.VALUE_TRUNCATED)).isNull();
    assertThat(copy.headers().lastHeader(DeadLetters.KEY_TRUNCATED)).isNull();
    assertThat(copy.headers().lastHeader(DeadLetters.HEADERS_OMITTED)).isNull();
  }

  @Test
  void aValueKeyOrHeadersBeyondTheLimitsAreCutAndTheCutIsSaid() {
    byte[] key = new byte[DeadLetters.MAX_KEY_BYTES + 1];
    Arrays.fill(key, (byte) 'k');
    byte[] value = new byte[DeadLetters.MAX_VALUE_BYTES * 3];
    Arrays.fill(value, (byte) 'v');
    RecordHeaders headers = new RecordHeaders();
    headers.add("big-1", new byte[DeadLetters.MAX_HEADER_BYTES / 2]);
    headers.add("big-2", new byte[DeadLetters.MAX_HEADER_BYTES / 2]);

    Record<Object, Object> copy = DeadLetters.record(new Record<>(key, value, 7L, headers), SOURCE, ERROR);

    assertThat((byte[]) copy.key()).isEqualTo(Arrays.copyOf(key, DeadLetters.MAX_KEY_BYTES));
    assertThat((byte[]) copy.value()).isEqualTo(Arrays.copyOf(value, DeadLetters.MAX_VALUE_BYTES));
    assertThat(text(copy, DeadLetters.KEY_TRUNCATED)).isEqualTo(Integer.toString(key.length));
    assertThat(text(copy, DeadLetters.VALUE_TRUNCATED)).isEqualTo(Integer.toString(value.length));
    assertThat(text(copy, DeadLetters.HEADERS_OMITTED)).isEqualTo("2");
    assertThat(copy.headers().lastHeader("big-1")).isNull();
    assertThat(text(copy, DeadLetters.ERROR_CODE)).isEqualTo("request_too_large");
    assertThat(text(copy, DeadLetters.ERROR_MESSAGE)).hasSize(DeadLetters.MAX_MESSAGE_CHARS).endsWith("...");
    assertThat(text(copy, DeadLetters.ORIGINAL_PARTITION)).isEqualTo("2");
    int size = ((byte[]) copy.key()).length + ((byte[]) copy.value()).length
        + Arrays.stream(copy.headers().toArray()).mapToInt(h -> h.key().length() + h.value().length).sum();
    assertThat(size).as("fits even a dead-letter topic with Kafka's default 1 MiB").isLessThan(1024 * 1024 - 4096);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Record<Object, Object> record, String header) {
    return Optional.ofNullable(record.headers().lastHeader(header))
        .map(h -> new String(h.value(), StandardCharsets.UTF_8)).orElse(null);
  }
}
