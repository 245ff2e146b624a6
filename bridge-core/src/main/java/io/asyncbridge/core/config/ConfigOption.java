package io.asyncbridge.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One configuration option, declared once: its key path, how its value is read, its default, its bounds, what it
 * means, and whether it is a secret. {@link ConfigNode} reads a value through its declaration, so the conversion, the
 * default, the bounds check and the message of a problem come from here and not from the reader that asks.
 *
 * @param key the full key path; a provider's options use the pattern {@code providers.<name>.poll.maxInterval}
 * @param kind how the value is written and converted
 * @param defaultValue the value when the key is absent; empty when there is none (optional or required keys). A
 *     provider type may start from another default ({@link ProviderPreset})
 * @param min the smallest value accepted (numbers and durations)
 * @param max the largest value accepted (numbers)
 * @param enumType the constants an {@link Kind#ENUM} option accepts
 * @param description what the option means, one line
 * @param secret whether the value is a secret: never quoted in a problem, a log or a printed configuration
 */
public record ConfigOption<T>(String key, Kind kind, Optional<T> defaultValue, Optional<T> min, Optional<T> max,
    Optional<Class<? extends Enum<?>>> enumType, String description, boolean secret) {

  /** How an option's value is written in the file and what it becomes. */
  public enum Kind {
    STRING, SECRET, SECRET_LIST, INTEGER, DECIMAL,
    /** A number above 0 and at most {@code max}, or nothing (a rate limit). */
    POSITIVE_DECIMAL,
    BOOLEAN, DURATION, HTTP_URL,
    /** A JSON pointer; the empty string means "not used". */
    POINTER,
    STRING_LIST,
    /** Free-form keys and values (request headers). */
    STRING_MAP,
    /** Free-form client properties, also set by prefixed environment variables ({@code BRIDGE_KAFKA_PRODUCER_*}). */
    PROPERTIES,
    ENUM,
    /** No longer used: read, warned about and ignored, so that an old file still loads. */
    RETIRED
  }

  /** The placeholder of a provider's name in {@link #key()}. */
  public static final String PROVIDER_NAME = "<name>";

  public ConfigOption {
    if (key.isBlank() || key.endsWith(".") || description.isBlank()) {
      throw new IllegalArgumentException("an option needs a key path and a description: '" + key + "'");
    }
  }

  /** The last segment of the key path: the key inside its section. */
  public String name() {
    return key.substring(key.lastIndexOf('.') + 1);
  }

  /**
   * Whether a concrete key path is this option's: {@code providers.acquia.poll.maxInterval} is
   * {@code providers.<name>.poll.maxInterval}.
   */
  public boolean matches(String keyPath) {
    return key.equals(pattern(keyPath));
  }

  /** A concrete key path with the provider's name replaced by {@link #PROVIDER_NAME}. */
  static String pattern(String keyPath) {
    String[] parts = keyPath.split("\\.", 3);
    return parts.length == 3 && parts[0].equals("providers") ? "providers." + PROVIDER_NAME + "." + parts[2] : keyPath;
  }

  /** The default as the README writes it ({@code 30s}, {@code auto}), or empty without one. */
  public Optional<String> defaultText() {
    return defaultValue.map(value -> {
      if (value instanceof Duration duration) {
        return shortDuration(duration);
      }
      if (value instanceof Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
      }
      if (value instanceof List<?> list) {
        return String.join(", ", list.stream().map(String::valueOf).toList());
      }
      return String.valueOf(value);
    });
  }

  /** A value of this option as it may be shown: a secret's value never is. */
  public String display(Object value) {
    return secret ? "****" : String.valueOf(value);
  }

  private static String shortDuration(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 1000 != 0) {
      return millis + "ms";
    }
    long seconds = duration.toSeconds();
    if (seconds != 0 && seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds != 0 && seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    if (seconds != 0 && seconds % 60 == 0 && seconds > 60) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }

  // Declarations, one factory per kind; the catalogues (ServiceOptions, ProviderOptions) hold the constants.

  static ConfigOption<String> string(String key, String defaultValue, String description) {
    return new ConfigOption<>(key, Kind.STRING, Optional.of(defaultValue), Optional.empty(), Optional.empty(),
        Optional.empty(), description, false);
  }

  /** A string without a default: absent means "not set" (or, for a required key, a problem). */
  static ConfigOption<String> optionalString(String key, String description) {
    return new ConfigOption<>(key, Kind.STRING, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        description, false);
  }

  static ConfigOption<Secret> secret(String key, String description) {
    return new ConfigOption<>(key, Kind.SECRET, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        description, true);
  }

  /** One secret or a list of them, newest first (a key that rotates). */
  static ConfigOption<List<Secret>> secretList(String key, String description) {
    return new ConfigOption<>(key, Kind.SECRET_LIST, Optional.of(List.of()), Optional.empty(), Optional.empty(),
        Optional.empty(), description, true);
  }

  static ConfigOption<Integer> integer(String key, int defaultValue, int min, int max, String description) {
    return new ConfigOption<>(key, Kind.INTEGER, Optional.of(defaultValue), Optional.of(min), Optional.of(max),
        Optional.empty(), description, false);
  }

  static ConfigOption<Double> decimal(String key, double defaultValue, double min, double max, String description) {
    return new ConfigOption<>(key, Kind.DECIMAL, Optional.of(defaultValue), Optional.of(min), Optional.of(max),
        Optional.empty(), description, false);
  }

  /** A number above 0 and at most {@code max}; absent means "no limit". */
  static ConfigOption<Double> positiveDecimal(String key, double max, String description) {
    return new ConfigOption<>(key, Kind.POSITIVE_DECIMAL, Optional.empty(), Optional.empty(), Optional.of(max),
        Optional.empty(), description, false);
  }

  static ConfigOption<Boolean> bool(String key, boolean defaultValue, String description) {
    return new ConfigOption<>(key, Kind.BOOLEAN, Optional.of(defaultValue), Optional.empty(), Optional.empty(),
        Optional.empty(), description, false);
  }

  static ConfigOption<Duration> duration(String key, Duration defaultValue, Duration min, String description) {
    return new ConfigOption<>(key, Kind.DURATION, Optional.of(defaultValue), Optional.of(min), Optional.empty(),
        Optional.empty(), description, false);
  }

  static ConfigOption<URI> httpUrl(String key, String description) {
    return new ConfigOption<>(key, Kind.HTTP_URL, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), description, false);
  }

  static ConfigOption<URI> httpUrl(String key, URI defaultValue, String description) {
    return new ConfigOption<>(key, Kind.HTTP_URL, Optional.of(defaultValue), Optional.empty(), Optional.empty(),
        Optional.empty(), description, false);
  }

  /** A JSON pointer whose default (often a provider type's, see {@link ProviderPreset}) is "not used". */
  static ConfigOption<String> pointer(String key, String description) {
    return new ConfigOption<>(key, Kind.POINTER, Optional.of(""), Optional.empty(), Optional.empty(), Optional.empty(),
        description, false);
  }

  static ConfigOption<List<String>> stringList(String key, String description) {
    return new ConfigOption<>(key, Kind.STRING_LIST, Optional.of(List.of()), Optional.empty(), Optional.empty(),
        Optional.empty(), description, false);
  }

  static ConfigOption<Map<String, String>> stringMap(String key, String description) {
    return new ConfigOption<>(key, Kind.STRING_MAP, Optional.of(Map.of()), Optional.empty(), Optional.empty(),
        Optional.empty(), description, false);
  }

  /** Client properties; some of them (passwords, JAAS configs) are secrets, which {@link KafkaSettings} masks. */
  static ConfigOption<Map<String, String>> properties(String key, String description) {
    return new ConfigOption<>(key, Kind.PROPERTIES, Optional.of(Map.of()), Optional.empty(), Optional.empty(),
        Optional.empty(), description, true);
  }

  static <E extends Enum<E>> ConfigOption<E> enumeration(String key, Class<E> type, Optional<E> defaultValue,
      String description) {
    return new ConfigOption<>(key, Kind.ENUM, defaultValue, Optional.empty(), Optional.empty(), Optional.of(type),
        description, false);
  }

  static ConfigOption<String> retired(String key, String description) {
    return new ConfigOption<>(key, Kind.RETIRED, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), description, false);
  }
}
