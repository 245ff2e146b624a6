package io.asyncbridge.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns the text of a scalar option into its value, or reports to the context why it is not one, with the key path
 * ({@code callbacks.port: 99999 is out of range, expected 0..65535}). The bounds are the option's declared ones.
 */
final class ScalarValues {

  private ScalarValues() {
  }

  static Optional<Integer> integer(ConfigContext context, String keyPath, String text, int min, int max) {
    try {
      int value = Integer.parseInt(text.trim());
      if (value < min || value > max) {
        context.problem(keyPath + ": " + value + " is out of range, expected " + min + ".." + max);
        return Optional.empty();
      }
      return Optional.of(value);
    } catch (NumberFormatException e) {
      context.problem(keyPath + ": '" + text + "' is not an integer");
      return Optional.empty();
    }
  }

  static Optional<Double> decimal(ConfigContext context, String keyPath, String text, double min, double max) {
    try {
      double value = Double.parseDouble(text.trim());
      if (!(value >= min && value <= max)) {
        context.problem(keyPath + ": " + text + " is out of range, expected " + min + ".." + max);
        return Optional.empty();
      }
      return Optional.of(value);
    } catch (NumberFormatException e) {
      context.problem(keyPath + ": '" + text + "' is not a number");
      return Optional.empty();
    }
  }

  /** A number above 0 and at most {@code max}. */
  static OptionalDouble positiveDecimal(ConfigContext context, String keyPath, String text, double max) {
    try {
      double value = Double.parseDouble(text.trim());
      if (!(value > 0 && value <= max)) {
        context.problem(keyPath + ": " + text + " is out of range, expected a number above 0 and at most " + (long) max);
        return OptionalDouble.empty();
      }
      return OptionalDouble.of(value);
    } catch (NumberFormatException e) {
      context.problem(keyPath + ": '" + text + "' is not a number");
      return OptionalDouble.empty();
    }
  }

  static Optional<Boolean> bool(ConfigContext context, String keyPath, String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.equals("true") || value.equals("false")) {
      return Optional.of(Boolean.parseBoolean(value));
    }
    context.problem(keyPath + ": '" + text + "' is not a boolean (true or false)");
    return Optional.empty();
  }

  /** An ISO-8601 duration such as {@code PT30S}, or a short form such as {@code 30s}, {@code 500ms}, {@code 5m}. */
  static Optional<Duration> duration(ConfigContext context, String keyPath, String text, Duration min) {
    Optional<Duration> parsed = Durations.parse(text);
    if (parsed.isEmpty()) {
      context.problem(keyPath + ": '" + text + "' is not a duration (use ISO-8601 like PT30S, or 30s, 500ms, 5m, 1h)");
      return Optional.empty();
    }
    if (parsed.get().compareTo(min) < 0) {
      context.problem(keyPath + ": " + text + " is too short, at least " + Durations.format(min));
      return Optional.empty();
    }
    return parsed;
  }

  /** An http(s) URL with a host and without credentials. */
  static Optional<URI> httpUrl(ConfigContext context, String keyPath, String text) {
    try {
      URI uri = new URI(text.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        context.problem(keyPath + ": '" + text + "' is not an http(s) URL");
        return Optional.empty();
      }
      if (uri.getHost() == null || uri.getHost().isBlank()) {
        context.problem(keyPath + ": '" + text + "' has no host");
        return Optional.empty();
      }
      if (uri.getRawUserInfo() != null) {
        context.problem(keyPath + ": credentials in the URL are not allowed; use the provider's auth keys");
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      context.problem(keyPath + ": '" + text + "' is not a valid URL (" + e.getReason() + ")");
      return Optional.empty();
    }
  }

  /** A constant written in lower case with '-' ({@code cloud-elements} is {@code CLOUD_ELEMENTS}). */
  static <E extends Enum<E>> Optional<E> enumValue(ConfigContext context, String keyPath, String text, Class<E> type) {
    String wanted = text.trim().replace('-', '_').toUpperCase(Locale.ROOT);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(wanted)) {
        return Optional.of(constant);
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      allowed.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    context.problem(keyPath + ": '" + text + "' is not one of " + allowed);
    return Optional.empty();
  }
}
