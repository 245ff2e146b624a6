package io.asyncbridge.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the two duration spellings the config accepts: ISO-8601 ({@code PT30S}) and short ({@code 30s}). */
public final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {
  }

  public static Optional<Duration> parse(String text) {
    String value = text.trim();
    Matcher shortForm = SHORT.matcher(value.toLowerCase(Locale.ROOT));
    if (shortForm.matches()) {
      long amount = Long.parseLong(shortForm.group(1));
      return Optional.of(switch (shortForm.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      });
    }
    try {
      Duration duration = Duration.parse(value.toUpperCase(Locale.ROOT));
      return duration.isNegative() ? Optional.empty() : Optional.of(duration);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  public static String format(Duration duration) {
    return duration.toString();
  }
}
