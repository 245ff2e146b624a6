package io.asyncbridge.schemas.trace;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * W3C trace context (https://www.w3.org/TR/trace-context/) as a request record brings it: {@code traceparent} and,
 * optionally, {@code tracestate}. The bridge carries both unchanged to the upstream call and onto the task's events,
 * so the producer's trace continues through the upstream. Only a well-formed {@code traceparent} is carried (version
 * {@code 00} layout, ids not all zero); a {@code tracestate} longer than 512 characters or with characters the
 * specification does not allow is dropped, as the specification lets a vendor do.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TraceContext(String traceparent, String tracestate) {

  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";
  static final int MAX_TRACESTATE = 512;

  private static final Pattern PARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");
  private static final Pattern STATE = Pattern.compile("[\\x20-\\x7e&&[^,=]]*=[\\x20-\\x7e&&[^,=]]*(,[\\x20-\\x7e]*)*");

  /** The context of a record's headers, when its {@code traceparent} is well-formed. */
  public static Optional<TraceContext> from(Headers headers) {
    return of(text(headers.lastHeader(TRACEPARENT)), text(headers.lastHeader(TRACESTATE)));
  }

  /** The context of HTTP-style headers (case-insensitive names), when its {@code traceparent} is well-formed. */
  public static Optional<TraceContext> fromMap(Map<String, String> headers) {
    String parent = null;
    String state = null;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase(TRACEPARENT)) {
        parent = header.getValue();
      } else if (header.getKey().equalsIgnoreCase(TRACESTATE)) {
        state = header.getValue();
      }
    }
    return of(parent, state);
  }

  public static Optional<TraceContext> of(String traceparent, String tracestate) {
    if (traceparent == null) {
      return Optional.empty();
    }
    String parent = traceparent.trim();
    var matcher = PARENT.matcher(parent);
    if (!matcher.matches() || parent.startsWith("ff") || matcher.group(1).matches("0+")
        || matcher.group(2).matches("0+")) {
      return Optional.empty();
    }
    String state = tracestate == null ? null : tracestate.trim();
    if (state != null && (state.isEmpty() || state.length() > MAX_TRACESTATE || !STATE.matcher(state).matches())) {
      state = null;
    }
    return Optional.of(new TraceContext(parent, state));
  }

  /** Adds the context to record headers (replacing any there). */
  public Headers addTo(Headers headers) {
    headers.remove(TRACEPARENT);
    headers.add(TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII));
    headers.remove(TRACESTATE);
    if (tracestate != null) {
      headers.add(TRACESTATE, tracestate.getBytes(StandardCharsets.US_ASCII));
    }
    return headers;
  }

  /** Adds the context to HTTP headers (replacing any there, whatever their case). */
  public void addTo(Map<String, String> headers) {
    headers.keySet().removeIf(name -> name.equalsIgnoreCase(TRACEPARENT) || name.equalsIgnoreCase(TRACESTATE));
    headers.put(TRACEPARENT, traceparent);
    if (tracestate != null) {
      headers.put(TRACESTATE, tracestate);
    }
  }

  private static String text(Header header) {
    return header == null || header.value() == null || header.value().length > 1024 ? null
        : new String(header.value(), StandardCharsets.US_ASCII);
  }
}
