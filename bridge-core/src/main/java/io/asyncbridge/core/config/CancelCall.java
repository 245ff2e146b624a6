package io.asyncbridge.core.config;

import java.util.Objects;

/**
 * A {@code generic} poll-mode provider's cancel call, {@code providers.<name>.cancel}: made (best effort) before the
 * completion of a task cancelled while it is polled.
 *
 * @param method the HTTP method, upper case
 * @param path either {@code {notificationUrl}} followed by a suffix (the call goes to the task's notification URL
 *     with it appended), or a path relative to the base URL
 */
public record CancelCall(String method, String path) {

  public static final String NOTIFICATION_URL = "{notificationUrl}";

  public CancelCall {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
  }

  /** The URL of the call for a task followed at {@code notificationUrl}. */
  public String url(String baseUrl, String notificationUrl) {
    if (path.startsWith(NOTIFICATION_URL)) {
      return notificationUrl + path.substring(NOTIFICATION_URL.length());
    }
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return base + (path.startsWith("/") ? path : "/" + path);
  }
}
