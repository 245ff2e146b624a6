package io.asyncbridge.core.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** One HTTP call to an upstream; {@code body} is null for none. */
public record UpstreamRequest(String method, URI url, Map<String, String> headers, byte[] body, Duration timeout) {

  public UpstreamRequest {
    headers = Map.copyOf(headers);
  }

  public static UpstreamRequest get(URI url, Duration timeout) {
    return new UpstreamRequest("GET", url, Map.of("Accept", "application/json"), null, timeout);
  }
}
