package io.asyncbridge.testkit.otlp;

import java.util.Map;

/**
 * One span as an OTLP receiver got it.
 *
 * @param traceId 32 hex digits
 * @param spanId 16 hex digits
 * @param parentSpanId 16 hex digits, or empty for a root span
 * @param kind the OTLP span kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer
 * @param serviceName the {@code service.name} of the span's resource
 * @param attributes the span's attributes, each value as text
 * @param statusCode the OTLP status code: 0 unset, 1 ok, 2 error
 */
public record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, int kind,
    String serviceName, Map<String, String> attributes, int statusCode, long startNanos, long endNanos) {

  public static final int KIND_SERVER = 2;
  public static final int KIND_CLIENT = 3;
  public static final int KIND_PRODUCER = 4;
  public static final int STATUS_ERROR = 2;

  public String attribute(String key) {
    return attributes.get(key);
  }

  /** The W3C {@code traceparent} that names this span as parent (sampled). */
  public String asTraceparent() {
    return "00-" + traceId + "-" + spanId + "-01";
  }
}
