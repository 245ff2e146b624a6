package io.asyncbridge.ingest.topology;

import io.asyncbridge.schemas.TaskError;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds the dead-letter copy of a request that cannot be processed: the original key and value untouched, the
 * original headers kept, and headers that say what was wrong and where the record came from.
 */
public final class DeadLetters {

  public static final String ERROR_CODE = "bridge.error.code";
  public static final String ERROR_MESSAGE = "bridge.error.message";
  public static final String ORIGINAL_TOPIC = "bridge.original.topic";
  public static final String ORIGINAL_PARTITION = "bridge.original.partition";
  public static final String ORIGINAL_OFFSET = "bridge.original.offset";
  public static final String ORIGINAL_TIMESTAMP = "bridge.original.timestamp";

  private DeadLetters() {
  }

  static Record<Object, Object> record(Record<Object, Object> original, RecordMetadata source, TaskError error) {
    Headers headers = new RecordHeaders(original.headers().toArray());
    put(headers, ERROR_CODE, error.code());
    put(headers, ERROR_MESSAGE, error.message());
    put(headers, ORIGINAL_TOPIC, source.topic());
    put(headers, ORIGINAL_PARTITION, Integer.toString(source.partition()));
    put(headers, ORIGINAL_OFFSET, Long.toString(source.offset()));
    put(headers, ORIGINAL_TIMESTAMP, Long.toString(original.timestamp()));
    return new Record<>(original.key(), original.value(), original.timestamp(), headers);
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
