package io.asyncbridge.ingest.topology;

import io.asyncbridge.schemas.TaskError;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds the dead-letter copy of a request that cannot be processed: the original key and value untouched, the
 * original headers kept, and headers that say what was wrong and where the record came from.
 *
 * <p>A copy must always fit the dead-letter topic, or its write would fail and, with it, the stream thread, again and
 * again on the same record: one oversized request would block its partition. The bridge creates that topic for
 * records up to 2 MiB, but one created by hand has Kafka's default of 1 MiB, and a requests topic may allow larger
 * records than either. So the parts of a copy are bounded to fit 1 MiB with the bridge's own headers: a value over
 * {@value #MAX_VALUE_BYTES} bytes keeps its first {@value #MAX_VALUE_BYTES} bytes, a key over {@value #MAX_KEY_BYTES}
 * bytes its first {@value #MAX_KEY_BYTES}, original headers over {@value #MAX_HEADER_BYTES} bytes in all are left
 * out, and the reason is cut at {@value #MAX_MESSAGE_CHARS} characters. Each cut is said in a header
 * ({@link #VALUE_TRUNCATED}, {@link #KEY_TRUNCATED}, {@link #HEADERS_OMITTED}); the whole record stays at
 * {@link #ORIGINAL_TOPIC} / {@link #ORIGINAL_PARTITION} / {@link #ORIGINAL_OFFSET} for as long as that topic
 * retains it.
 */
public final class DeadLetters {

  public static final String ERROR_CODE = "bridge.error.code";
  public static final String ERROR_MESSAGE = "bridge.error.message";
  public static final String ORIGINAL_TOPIC = "bridge.original.topic";
  public static final String ORIGINAL_PARTITION = "bridge.original.partition";
  public static final String ORIGINAL_OFFSET = "bridge.original.offset";
  public static final String ORIGINAL_TIMESTAMP = "bridge.original.timestamp";
  /** Set to the value's original size in bytes when the copy keeps only its first {@value #MAX_VALUE_BYTES}. */
  public static final String VALUE_TRUNCATED = "bridge.value.truncated";
  /** Set to the key's original size in bytes when the copy keeps only its first {@value #MAX_KEY_BYTES}. */
  public static final String KEY_TRUNCATED = "bridge.key.truncated";
  /** Set to the number of original headers left out because together they exceeded {@value #MAX_HEADER_BYTES}. */
  public static final String HEADERS_OMITTED = "bridge.headers.omitted";

  /**
   * Set on a request that {@code bridge dlq replay} re-drove from the dead-letter topic (its value: when and why). A
   * request with this header may start again a task whose only ending was a rejection; any other task is ended or
   * running, and the request is a duplicate.
   */
  public static final String REPLAY = "bridge.replay";

  public static final int MAX_VALUE_BYTES = 768 * 1024;
  public static final int MAX_KEY_BYTES = 16 * 1024;
  public static final int MAX_HEADER_BYTES = 128 * 1024;
  static final int MAX_MESSAGE_CHARS = 8 * 1024;

  private DeadLetters() {
  }

  static Record<Object, Object> record(Record<Object, Object> original, RecordMetadata source, TaskError error) {
    Header[] originalHeaders = original.headers().toArray();
    boolean omitHeaders = headerBytes(originalHeaders) > MAX_HEADER_BYTES;
    Headers headers = new RecordHeaders(omitHeaders ? new Header[0] : originalHeaders);
    if (omitHeaders) {
      put(headers, HEADERS_OMITTED, Integer.toString(originalHeaders.length));
    }
    Object key = original.key();
    if (key instanceof byte[] bytes && bytes.length > MAX_KEY_BYTES) {
      put(headers, KEY_TRUNCATED, Integer.toString(bytes.length));
      key = Arrays.copyOf(bytes, MAX_KEY_BYTES);
    }
    Object value = original.value();
    if (value instanceof byte[] bytes && bytes.length > MAX_VALUE_BYTES) {
      put(headers, VALUE_TRUNCATED, Integer.toString(bytes.length));
      value = Arrays.copyOf(bytes, MAX_VALUE_BYTES);
    }
    put(headers, ERROR_CODE, error.code());
    String message = error.message() == null ? "" : error.message();
    put(headers, ERROR_MESSAGE, message.length() <= MAX_MESSAGE_CHARS ? message
        : message.substring(0, MAX_MESSAGE_CHARS - 3) + "...");
    put(headers, ORIGINAL_TOPIC, source.topic());
    put(headers, ORIGINAL_PARTITION, Integer.toString(source.partition()));
    put(headers, ORIGINAL_OFFSET, Long.toString(source.offset()));
    put(headers, ORIGINAL_TIMESTAMP, Long.toString(original.timestamp()));
    return new Record<>(key, value, original.timestamp(), headers);
  }

  /** Whether a request record carries the replay header. */
  public static boolean isReplay(Headers headers) {
    return headers.lastHeader(REPLAY) != null;
  }

  private static long headerBytes(Header[] headers) {
    long bytes = 0;
    for (Header header : headers) {
      bytes += header.key().length() + (header.value() == null ? 0 : header.value().length);
    }
    return bytes;
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
