package io.asyncbridge.core.config;

import java.net.URI;
import java.util.Optional;

/**
 * OpenTelemetry tracing ({@code observability.tracing}): off unless an OTLP endpoint is configured. When on, each
 * service exports spans of the dispatch, each poll, the webhook's receipt and the completion of every task whose
 * request carried a W3C {@code traceparent}, over OTLP/HTTP (protobuf) to {@code otlpEndpoint}.
 *
 * @param otlpEndpoint where spans are sent, e.g. {@code http://collector:4318/v1/traces}; a URL without a path gets
 *     {@code /v1/traces}. Empty: tracing is off (the trace context is still carried on records and calls)
 * @param serviceName the {@code service.name} of the spans, followed by {@code -ingest}, {@code -poller} or
 *     {@code -callbacks}
 */
public record TracingSettings(Optional<URI> otlpEndpoint, String serviceName) {

  public static final String DEFAULT_SERVICE_NAME = "async-bridge";
  public static final String TRACES_PATH = "/v1/traces";

  public static TracingSettings off() {
    return new TracingSettings(Optional.empty(), DEFAULT_SERVICE_NAME);
  }

  public boolean enabled() {
    return otlpEndpoint.isPresent();
  }

  /** The URL spans are posted to: the endpoint, with {@value #TRACES_PATH} when it has no path of its own. */
  public Optional<String> tracesUrl() {
    return otlpEndpoint.map(uri -> {
      String text = uri.toString();
      String path = uri.getRawPath();
      if (path == null || path.isEmpty() || path.equals("/")) {
        return (text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + TRACES_PATH;
      }
      return text;
    });
  }
}
