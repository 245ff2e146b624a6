package io.asyncbridge.core.upstream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
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

  /** What replaces a redacted value in a body. */
  public static final String MASK = "****";

  /** Values shorter than this are not redacted: replacing them could garble ordinary text (a real secret is longer). */
  static final int MIN_REDACTED_LENGTH = 8;

  /**
   * This answer with every occurrence of each of {@code values} in the body replaced by {@link #MASK}. Some upstreams
   * echo the request's headers in their answers (an error body quoting the Authorization header); the body may become
   * a completion's result, so the bridge's credentials must be taken out first.
   */
  public UpstreamResponse redacted(Collection<String> values) {
    byte[] redacted = body;
    for (String value : values) {
      if (value != null && value.length() >= MIN_REDACTED_LENGTH) {
        redacted = replace(redacted, value.getBytes(StandardCharsets.UTF_8));
      }
    }
    return redacted == body ? this : new UpstreamResponse(status, headers, redacted);
  }

  private static byte[] replace(byte[] text, byte[] value) {
    int at = indexOf(text, value, 0);
    if (at < 0) {
      return text;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length);
    byte[] mask = MASK.getBytes(StandardCharsets.UTF_8);
    int from = 0;
    while (at >= 0) {
      out.write(text, from, at - from);
      out.writeBytes(mask);
      from = at + value.length;
      at = indexOf(text, value, from);
    }
    out.write(text, from, text.length - from);
    return out.toByteArray();
  }

  private static int indexOf(byte[] text, byte[] value, int from) {
    outer:
    for (int i = from; i <= text.length - value.length; i++) {
      for (int j = 0; j < value.length; j++) {
        if (text[i + j] != value[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
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
