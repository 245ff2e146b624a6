package io.asyncbridge.core.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A {@code generic} provider's cancel call, {@code providers.<name>.cancel}: made (best effort) before the
 * completion of a task cancelled while it is polled (poll mode) or while its webhook is awaited (callback mode).
 *
 * @param method the HTTP method, upper case
 * @param path poll mode: either {@code {notificationUrl}} followed by a suffix (the call goes to the task's
 *     notification URL with it appended), or a path relative to the base URL; callback mode: a path relative to the
 *     base URL in which {@code {correlationId}} stands for the task's correlation id (as one path segment)
 */
public record CancelCall(String method, String path) {

  public static final String NOTIFICATION_URL = "{notificationUrl}";
  public static final String CORRELATION_ID = "{correlationId}";

  public CancelCall {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
  }

  /** The URL of the call for a task followed at {@code notificationUrl}. */
  public String url(String baseUrl, String notificationUrl) {
    if (path.startsWith(NOTIFICATION_URL)) {
      return notificationUrl + path.substring(NOTIFICATION_URL.length());
    }
    return relativeTo(baseUrl, path);
  }

  /**
   * The URL of the call for a callback-mode task whose upstream id is {@code correlationId}: the id percent-encoded
   * as one path segment, so that no id can reach another path or host.
   */
  public String urlForCorrelation(String baseUrl, String correlationId) {
    return relativeTo(baseUrl, path.replace(CORRELATION_ID, pathSegment(correlationId)));
  }

  private static String relativeTo(String baseUrl, String path) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return base + (path.startsWith("/") ? path : "/" + path);
  }

  /**
   * RFC 3986 path-segment encoding ({@code URLEncoder} is form encoding: its '+' for a space is fixed here); a
   * segment of dots alone would be a relative step, so its dots are encoded too.
   */
  static String pathSegment(String value) {
    String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
  }
}
