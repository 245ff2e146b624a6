package io.asyncbridge.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One object of the configuration tree, read key by key. Each read:
 * <ul>
 *   <li>first looks for an environment override named after the key path
 *       ({@code kafka.bootstrapServers} is {@code BRIDGE_KAFKA_BOOTSTRAP_SERVERS});</li>
 *   <li>records the key as known, so that {@link #rejectUnknownKeys()} can name every typo;</li>
 *   <li>reports a problem with the full key path instead of throwing, so that one start-up lists
 *       everything that is wrong at once.</li>
 * </ul>
 */
final class ConfigNode {

  private final String path;
  private final JsonNode node;
  private final ConfigContext context;
  private final Set<String> readKeys = new LinkedHashSet<>();

  ConfigNode(String path, JsonNode node, ConfigContext context) {
    this.path = path;
    this.node = node == null || node.isNull() ? JsonNodeFactory.instance.objectNode() : node;
    this.context = context;
    if (!this.node.isObject()) {
      context.problem(pathOrRoot() + ": expected a mapping of keys, found " + describe(this.node));
    }
  }

  String path() {
    return path;
  }

  String keyPath(String key) {
    if (key.isEmpty()) {
      return pathOrRoot(); // a problem of this node as a whole
    }
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return context.env(envName(keyPath(key))).isPresent() || (node.isObject() && node.has(key) && !node.get(key).isNull());
  }

  ConfigNode child(String key) {
    readKeys.add(key); // a section, not a key of its own: its keys are recorded as they are read
    return new ConfigNode(keyPath(key), node.isObject() ? node.get(key) : null, context);
  }

  /** The keys present under this node, in file order (for maps such as {@code providers}). */
  List<String> keys() {
    List<String> keys = new ArrayList<>();
    if (node.isObject()) {
      node.fieldNames().forEachRemaining(keys::add);
    }
    return keys;
  }

  Optional<String> optionalString(String key) {
    read(key);
    String keyPath = keyPath(key);
    Optional<String> override = context.env(envName(keyPath));
    if (override.isPresent()) {
      return Optional.of(context.resolve(keyPath, override.get()));
    }
    JsonNode value = node.isObject() ? node.get(key) : null;
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isValueNode()) {
      context.problem(keyPath + ": expected a single value, found " + describe(value));
      return Optional.empty();
    }
    return Optional.of(context.resolve(keyPath, value.asText()));
  }

  String string(String key, String defaultValue) {
    return optionalString(key).orElse(defaultValue);
  }

  Optional<String> requiredString(String key, String why) {
    Optional<String> value = optionalString(key).filter(text -> !text.isBlank());
    if (value.isEmpty() && !context.hasProblem(keyPath(key))) {
      context.problem(keyPath(key) + ": is required" + (why.isEmpty() ? "" : " (" + why + ")"));
    }
    return value;
  }

  Optional<Secret> optionalSecret(String key) {
    return optionalString(key).filter(text -> !text.isEmpty()).map(Secret::of);
  }

  Optional<Secret> requiredSecret(String key, String why) {
    return requiredString(key, why).map(Secret::of);
  }

  /**
   * A key that rotates: one secret, or a list of them newest first. A scalar (in the file or an environment override)
   * is one secret as written, never split, since a secret may hold any character; a list names each key on its own
   * line, usually as {@code ${VAR}} references. Items that resolve to nothing (an unset {@code ${OLD_KEY:-}}) are
   * skipped, so an optional previous key costs no edit of the file. Problems never quote a value.
   */
  List<Secret> secretList(String key) {
    read(key);
    String keyPath = keyPath(key);
    Optional<String> override = context.env(envName(keyPath));
    if (override.isPresent()) {
      String text = context.resolve(keyPath, override.get());
      return text.isBlank() ? List.of() : List.of(Secret.of(text));
    }
    JsonNode value = node.isObject() ? node.get(key) : null;
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (value.isValueNode()) {
      String text = context.resolve(keyPath, value.asText());
      return text.isBlank() ? List.of() : List.of(Secret.of(text));
    }
    if (!value.isArray()) {
      context.problem(keyPath + ": expected a secret or a list of secrets, found " + (value.isObject() ? "a mapping" : "something else"));
      return List.of();
    }
    List<Secret> secrets = new ArrayList<>();
    int index = 0;
    for (JsonNode item : value) {
      if (!item.isValueNode() || item.isNull()) {
        context.problem(keyPath + "[" + index + "]: expected a single value, found "
            + (item.isNull() ? "nothing" : item.isArray() ? "a list" : "a mapping"));
      } else {
        String text = context.resolve(keyPath + "[" + index + "]", item.asText());
        if (!text.isBlank()) {
          Secret secret = Secret.of(text);
          if (secrets.contains(secret)) {
            context.problem(keyPath + "[" + index + "]: the same key is listed twice");
          } else {
            secrets.add(secret);
          }
        }
      }
      index++;
    }
    return List.copyOf(secrets);
  }

  int integer(String key, int defaultValue, int min, int max) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(text.get().trim());
      if (value < min || value > max) {
        context.problem(keyPath(key) + ": " + value + " is out of range, expected " + min + ".." + max);
        return defaultValue;
      }
      return value;
    } catch (NumberFormatException e) {
      context.problem(keyPath(key) + ": '" + text.get() + "' is not an integer");
      return defaultValue;
    }
  }

  double decimal(String key, double defaultValue, double min, double max) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    try {
      double value = Double.parseDouble(text.get().trim());
      if (!(value >= min && value <= max)) {
        context.problem(keyPath(key) + ": " + text.get() + " is out of range, expected " + min + ".." + max);
        return defaultValue;
      }
      return value;
    } catch (NumberFormatException e) {
      context.problem(keyPath(key) + ": '" + text.get() + "' is not a number");
      return defaultValue;
    }
  }

  /** A number above 0 (at most {@code max}), or empty when the key is absent. */
  java.util.OptionalDouble positiveDecimal(String key, double max) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return java.util.OptionalDouble.empty();
    }
    try {
      double value = Double.parseDouble(text.get().trim());
      if (!(value > 0 && value <= max)) {
        context.problem(keyPath(key) + ": " + text.get() + " is out of range, expected a number above 0 and at most "
            + (long) max);
        return java.util.OptionalDouble.empty();
      }
      return java.util.OptionalDouble.of(value);
    } catch (NumberFormatException e) {
      context.problem(keyPath(key) + ": '" + text.get() + "' is not a number");
      return java.util.OptionalDouble.empty();
    }
  }

  boolean bool(String key, boolean defaultValue) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    String value = text.get().trim().toLowerCase(Locale.ROOT);
    if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    context.problem(keyPath(key) + ": '" + text.get() + "' is not a boolean (true or false)");
    return defaultValue;
  }

  /** An ISO-8601 duration such as {@code PT30S}, or a short form such as {@code 30s}, {@code 500ms}, {@code 5m}. */
  Duration duration(String key, Duration defaultValue, Duration min) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    Optional<Duration> parsed = Durations.parse(text.get());
    if (parsed.isEmpty()) {
      context.problem(keyPath(key) + ": '" + text.get() + "' is not a duration (use ISO-8601 like PT30S, or 30s, 500ms, 5m, 1h)");
      return defaultValue;
    }
    if (parsed.get().compareTo(min) < 0) {
      context.problem(keyPath(key) + ": " + text.get() + " is too short, at least " + Durations.format(min));
      return defaultValue;
    }
    return parsed.get();
  }

  Optional<URI> optionalHttpUrl(String key) {
    Optional<String> text = optionalString(key).filter(value -> !value.isBlank());
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(text.get().trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        context.problem(keyPath(key) + ": '" + text.get() + "' is not an http(s) URL");
        return Optional.empty();
      }
      if (uri.getHost() == null || uri.getHost().isBlank()) {
        context.problem(keyPath(key) + ": '" + text.get() + "' has no host");
        return Optional.empty();
      }
      if (uri.getRawUserInfo() != null) {
        context.problem(keyPath(key) + ": credentials in the URL are not allowed; use the provider's auth keys");
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      context.problem(keyPath(key) + ": '" + text.get() + "' is not a valid URL (" + e.getReason() + ")");
      return Optional.empty();
    }
  }

  Optional<URI> requiredHttpUrl(String key, String why) {
    if (!has(key)) {
      read(key);
      context.problem(keyPath(key) + ": is required" + (why.isEmpty() ? "" : " (" + why + ")"));
      return Optional.empty();
    }
    return optionalHttpUrl(key);
  }

  /** A list of strings; an environment override is a comma-separated list. */
  List<String> stringList(String key, List<String> defaultValue) {
    read(key);
    String keyPath = keyPath(key);
    Optional<String> override = context.env(envName(keyPath));
    if (override.isPresent()) {
      return splitList(context.resolve(keyPath, override.get()));
    }
    JsonNode value = node.isObject() ? node.get(key) : null;
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (value.isValueNode()) {
      return splitList(context.resolve(keyPath, value.asText()));
    }
    if (!value.isArray()) {
      context.problem(keyPath + ": expected a list, found " + describe(value));
      return defaultValue;
    }
    List<String> items = new ArrayList<>();
    int index = 0;
    for (JsonNode item : value) {
      if (!item.isValueNode() || item.isNull()) {
        context.problem(keyPath + "[" + index + "]: expected a single value, found " + describe(item));
      } else {
        items.add(context.resolve(keyPath + "[" + index + "]", item.asText()));
      }
      index++;
    }
    return List.copyOf(items);
  }

  /**
   * A free-form map of string values (Kafka client properties, extra headers). Environment overrides:
   * {@code BRIDGE_KAFKA_PRODUCER_LINGER_MS=0} sets {@code linger.ms} under {@code kafka.producer}.
   */
  Map<String, String> stringMap(String key, boolean envKeysAreDotted) {
    read(key);
    String keyPath = keyPath(key);
    Map<String, String> values = new LinkedHashMap<>();
    JsonNode value = node.isObject() ? node.get(key) : null;
    if (value != null && !value.isNull()) {
      if (!value.isObject()) {
        context.problem(keyPath + ": expected a mapping, found " + describe(value));
      } else {
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          flatten(keyPath, field.getKey(), field.getValue(), values);
        }
      }
    }
    if (envKeysAreDotted) {
      String prefix = envName(keyPath) + "_";
      context.envWithPrefix(prefix).forEach((name, text) -> values.put(
          name.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'),
          context.resolve(keyPath, text)));
    }
    return Map.copyOf(values);
  }

  private void flatten(String keyPath, String key, JsonNode value, Map<String, String> into) {
    if (value.isObject()) {
      // YAML users write "linger: {ms: 5}" by accident as often as "linger.ms: 5"; accept both.
      value.fields().forEachRemaining(field -> flatten(keyPath, key + "." + field.getKey(), field.getValue(), into));
    } else if (value.isValueNode() && !value.isNull()) {
      into.put(key, context.resolve(keyPath + "." + key, value.asText()));
    } else {
      context.problem(keyPath + "." + key + ": expected a single value, found " + describe(value));
    }
  }

  <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    String wanted = text.get().trim().replace('-', '_').toUpperCase(Locale.ROOT);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(wanted)) {
        return constant;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      allowed.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    context.problem(keyPath(key) + ": '" + text.get() + "' is not one of " + allowed);
    return defaultValue;
  }

  void each(Consumer<String> forKey) {
    keys().forEach(forKey);
  }

  /** Whether a problem was already reported for this key or one of its list items. */
  boolean hasProblemAt(String key) {
    return context.hasProblem(keyPath(key)) || context.hasProblemUnder(keyPath(key) + "[");
  }

  void problem(String key, String message) {
    context.problem(keyPath(key) + ": " + message);
  }

  /** Marks a key as known here, and records its path in the catalogue of keys the loader reads. */
  private void read(String key) {
    readKeys.add(key);
    context.keyRead(keyPath(key));
  }

  /** Names every key in the file that no reader asked for: almost always a typo. */
  void rejectUnknownKeys() {
    for (String key : keys()) {
      if (!readKeys.contains(key)) {
        context.problem(keyPath(key) + ": unknown key" + suggestion(key));
      }
    }
  }

  private String suggestion(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String known : readKeys) {
      int distance = editDistance(key.toLowerCase(Locale.ROOT), known.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        bestDistance = distance;
        best = known;
      }
    }
    return best != null && bestDistance <= 3 ? " (did you mean '" + best + "'?)" : "";
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private String pathOrRoot() {
    return path.isEmpty() ? "(top level)" : path;
  }

  /** {@code providers.acquia.clientSecret} becomes {@code BRIDGE_PROVIDERS_ACQUIA_CLIENT_SECRET}. */
  static String envName(String keyPath) {
    StringBuilder name = new StringBuilder("BRIDGE_");
    char previous = '_';
    for (char c : keyPath.toCharArray()) {
      if (c == '.' || c == '-' || c == '[' || c == ']') {
        c = '_';
      } else if (Character.isUpperCase(c) && Character.isLowerCase(previous)) {
        name.append('_');
      }
      if (c == '_' && name.charAt(name.length() - 1) == '_') {
        previous = c;
        continue;
      }
      name.append(Character.toUpperCase(c));
      previous = c;
    }
    return name.toString();
  }

  private static List<String> splitList(String text) {
    List<String> items = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        items.add(part.trim());
      }
    }
    return List.copyOf(items);
  }

  static String describe(JsonNode value) {
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isArray()) {
      return "a list";
    }
    if (value.isNull()) {
      return "nothing";
    }
    return "'" + value.asText() + "'";
  }
}
