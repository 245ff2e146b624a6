package io.asyncbridge.core.upstream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** An upstream's answer, fully read. Header names are lower case. */
public record UpstreamResponse(int status, Map<String, String> headers, byte[] body) {

  public UpstreamResponse {
    headers = Map.copyOf(headers);
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** 5xx and 429 are worth another try; other 4xx are the request's fault. */
  public boolean isRetriable() {
    return status >= 500 || status == 429 || status == 408;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The longest Retry-After honoured; a larger value (or a far-future date) is taken as this. */
  public static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

  /**
   * Retry-After as delta-seconds or an HTTP date, at most {@link #MAX_RETRY_AFTER}; absent, negative or unparsable
   * values are ignored.
   */
  public Optional<Duration> retryAfter(Instant now) {
    return parseRetryAfter(now).map(wait -> wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
  }

  private Optional<Duration> parseRetryAfter(Instant now) {
    Optional<String> value = header("retry-after").map(String::trim);
    if (value.isEmpty() || value.get().isEmpty()) {
      return Optional.empty();
    }
    try {
      long seconds = Long.parseLong(value.get());
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(Math.min(seconds, MAX_RETRY_AFTER.toSeconds())));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(now, at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }
}
